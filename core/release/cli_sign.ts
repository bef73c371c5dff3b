/**
 * @module `gateway release sign`: write (or co-sign) the signed manifest of a release artifact.
 */
import type { Command } from "../cli/command.ts";
import { signingKeyFrom } from "./keys.ts";
import { addSignatures, type Envelope } from "./envelope.ts";
import { parseManifest, RELEASE_FORMS, type ReleaseManifest } from "./manifest.ts";
import { hashFile } from "./file_hash.ts";
import { readJsonFile, writeJsonAtomic } from "./json_file.ts";
import { isSemVer } from "./semver.ts";

export const signCommand: Command = {
  name: "sign",
  summary: "Sign a release artifact's manifest (or add signatures to an existing manifest)",
  usage: "--artifact FILE --version V --key KEY... --out FILE [options]   |   --add-to MANIFEST --key KEY...",
  details:
    "The manifest records the artifact's SHA-256 and size, the target, the oldest version it updates from\n" +
    "and an expiry. With k-of-n keys, each holder runs `sign --add-to manifest.json --key their.key`.",
  options: {
    artifact: { type: "string", arg: "FILE", description: "Artifact: compiled binary or bundle .tar.gz." },
    version: { type: "string", arg: "SEMVER", description: "Version of the release." },
    form: {
      type: "string",
      arg: "FORM",
      description: `Release form (${RELEASE_FORMS.join(" | ")}).`,
      default: "bundle",
    },
    arch: { type: "string", arg: "ARCH", description: "x86_64 | aarch64.", default: "x86_64" },
    "min-from": {
      type: "string",
      arg: "SEMVER",
      description: "Oldest version allowed to update to it.",
      default: "0.0.0",
    },
    "expires-days": { type: "number", arg: "DAYS", description: "Manifest validity in days.", default: 30 },
    notes: { type: "string", arg: "TEXT", description: "Release notes.", default: "" },
    key: { type: "string", arg: "KEY", description: "Private key file to sign with.", multiple: true },
    "add-to": { type: "string", arg: "MANIFEST", description: "Add signatures to this manifest instead." },
    out: { type: "string", arg: "FILE", description: "Output manifest (default: the --add-to file)." },
  },
  async run({ options }) {
    const keys = [];
    for (const path of options.key as string[]) {
      keys.push(await signingKeyFrom(await readJsonFile(path), path));
    }
    if (keys.length === 0) throw new TypeError("--key: at least one private key is needed");
    let env: Envelope<ReleaseManifest>;
    if (typeof options["add-to"] === "string") {
      env = parseManifest(await readJsonFile(options["add-to"]), options["add-to"]);
    } else {
      env = { signed: await manifestFromOptions(options), signatures: [] };
    }
    const out = (options.out ?? options["add-to"]) as string | undefined;
    if (!out) throw new TypeError("--out is required when not using --add-to");
    const signed = await addSignatures(env, keys);
    await writeJsonAtomic(out, signed);
    console.log(
      `release ${signed.signed.version} (${signed.signed.target.form}, ${signed.signed.artifact.size} bytes, ` +
        `sha256 ${
          signed.signed.artifact.sha256.slice(0, 16)
        }...): ${signed.signatures.length} signature(s) -> ${out}`,
    );
    return 0;
  },
};

async function manifestFromOptions(o: Readonly<Record<string, unknown>>): Promise<ReleaseManifest> {
  const artifact = o.artifact as string | undefined;
  const version = o.version as string | undefined;
  if (!artifact) throw new TypeError("--artifact is required");
  if (!version || !isSemVer(version)) {
    throw new TypeError(`--version: "${version ?? ""}" is not a semantic version`);
  }
  if (!isSemVer(o["min-from"] as string)) {
    throw new TypeError(`--min-from: "${o["min-from"]}" is not a semantic version`);
  }
  const form = o.form as string;
  if (!(RELEASE_FORMS as readonly string[]).includes(form)) {
    throw new TypeError(`--form: expected one of ${RELEASE_FORMS.join(", ")}`);
  }
  const arch = o.arch as string;
  if (arch !== "x86_64" && arch !== "aarch64") {
    throw new TypeError(`--arch: expected x86_64 or aarch64, got "${arch}"`);
  }
  const days = o["expires-days"] as number;
  if (!(days > 0)) throw new RangeError("--expires-days must be positive");
  const { sha256, size } = await hashFile(artifact);
  const now = Date.now();
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
  return {
    type: "release",
    version,
    target: { os: "linux", arch, form: form as ReleaseManifest["target"]["form"] },
    artifact: { name: artifact.split("/").pop()!, sha256, size },
    min_from_version: o["min-from"] as string,
    expires: iso(now + days * 86_400_000),
    released: iso(now),
    notes: o.notes as string,
  };
}
