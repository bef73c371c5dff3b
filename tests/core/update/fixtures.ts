/**
 * @module Test fixtures: release keys and roots, fake releases (tiny shell launchers packed as .tar.gz),
 * signed manifests, an A/B root with a first release installed, and directory snapshots.
 */
import {
  addSignatures,
  generateKeyFiles,
  type PrivateKeyFile,
  type PublicKeyInfo,
  type ReleaseManifest,
  type RootMetadata,
  signingKeyFrom,
} from "../../../core/release/mod.ts";
import { hashFile } from "../../../core/release/file_hash.ts";
import { Layout } from "../../../core/update/layout.ts";
import { switchCurrent } from "../../../core/update/switch.ts";

/** A generated key. */
export interface TestKey {
  readonly file: PrivateKeyFile;
  readonly keyid: string;
}

export async function makeKeys(n: number): Promise<TestKey[]> {
  const out: TestKey[] = [];
  for (let i = 0; i < n; i++) {
    const { privateFile } = await generateKeyFiles();
    out.push({ file: privateFile, keyid: privateFile.keyid });
  }
  return out;
}

/** Root metadata trusting `keys` with `threshold`, signed by `signers`. */
export async function makeRoot(keys: TestKey[], threshold: number, signers: TestKey[], version = 1) {
  const map: Record<string, PublicKeyInfo> = {};
  for (const k of keys) map[k.keyid] = { alg: "ed25519", public: k.file.public };
  const root: RootMetadata = { type: "root", version, threshold, keys: map };
  return await addSignatures(
    { signed: root, signatures: [] },
    await Promise.all(signers.map((k) => signingKeyFrom(k.file))),
  );
}

/** Launcher behaviours of fake releases. */
export type Behaviour = "healthy" | "crash" | "never_healthy" | "unhealthy_status";

/** The bin/gateway script of a fake release. */
export function launcherScript(version: string, behaviour: Behaviour): string {
  const head = `#!/bin/sh\n# fake gateway ${version} (${behaviour})\ntrap 'exit 0' TERM INT\n` +
    `[ "$1" = "--touch" ] && echo "migrated by ${version}" > "$2"\n`;
  if (behaviour === "crash") return `${head}echo "fake ${version} crashing" >&2\nexit 3\n`;
  if (behaviour === "never_healthy") return `${head}while :; do sleep 0.2 & wait $!; done\n`;
  const status = behaviour === "healthy" ? "ok" : "degraded";
  return `${head}while :; do
  [ -n "$GATEWAY_HEALTH_FILE" ] && printf '{"pid":%d,"version":"%s","status":"${status}","ts":%s}\\n' $$ "${version}" "$(date +%s%3N)" > "$GATEWAY_HEALTH_FILE.$$" && mv "$GATEWAY_HEALTH_FILE.$$" "$GATEWAY_HEALTH_FILE"
  sleep 0.2 & wait $!
done\n`;
}

/** Builds a fake bundle-form release archive; returns its path. */
export async function fakeReleaseTarGz(dir: string, version: string, behaviour: Behaviour): Promise<string> {
  const src = `${dir}/src-${version}-${behaviour}`;
  await Deno.mkdir(`${src}/bin`, { recursive: true });
  await Deno.writeTextFile(`${src}/bin/gateway`, launcherScript(version, behaviour), { mode: 0o755 });
  await Deno.chmod(`${src}/bin/gateway`, 0o755);
  await Deno.writeTextFile(`${src}/RELEASE.json`, JSON.stringify({ version, form: "bundle" }));
  const out = `${dir}/gateway-${version}-${behaviour}.tar.gz`;
  const r = await new Deno.Command("tar", { args: ["-czf", out, "-C", src, "."], stderr: "piped" }).output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  return out;
}

/** Options of {@link signManifest}. */
export interface ManifestOptions {
  readonly version: string;
  readonly artifact: string;
  readonly signers: TestKey[];
  readonly expires?: string;
  readonly minFrom?: string;
  readonly arch?: "x86_64" | "aarch64";
  readonly form?: "bundle" | "binary";
  readonly size?: number;
}

/** A signed manifest (bytes) for an artifact file. */
export async function signManifest(o: ManifestOptions): Promise<Uint8Array> {
  const { sha256, size } = await hashFile(o.artifact);
  const m: ReleaseManifest = {
    type: "release",
    version: o.version,
    target: { os: "linux", arch: o.arch ?? hostArch(), form: o.form ?? "bundle" },
    artifact: { name: o.artifact.split("/").pop()!, sha256, size: o.size ?? size },
    min_from_version: o.minFrom ?? "0.0.0",
    expires: o.expires ?? new Date(Date.now() + 86_400_000).toISOString(),
    released: new Date().toISOString(),
    notes: `test release ${o.version}`,
  };
  const env = await addSignatures(
    { signed: m, signatures: [] },
    await Promise.all(o.signers.map((k) => signingKeyFrom(k.file))),
  );
  return new TextEncoder().encode(JSON.stringify(env));
}

export function hostArch(): "x86_64" | "aarch64" {
  return Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";
}

/** A release root with `version` installed as current (a fake release) and a trusted root file. */
export async function makeRoot0(
  dir: string,
  version: string,
  root: unknown,
  behaviour: Behaviour = "healthy",
): Promise<Layout> {
  const layout = new Layout(`${dir}/root`);
  await layout.ensure();
  const rel = layout.release(version);
  await Deno.mkdir(`${rel}/bin`, { recursive: true });
  await Deno.writeTextFile(`${rel}/bin/gateway`, launcherScript(version, behaviour), { mode: 0o755 });
  await Deno.chmod(`${rel}/bin/gateway`, 0o755);
  await Deno.writeTextFile(`${rel}/RELEASE.json`, JSON.stringify({ version, form: "bundle" }));
  await Deno.writeTextFile(`${rel}/.release.json`, JSON.stringify({ provisioned: true }));
  await Deno.mkdir(`${layout.root}/trust`, { recursive: true });
  await Deno.writeTextFile(`${layout.root}/trust/root.json`, JSON.stringify(root));
  await switchCurrent(layout, version);
  return layout;
}

/** Every path under `dir` with its type, size and SHA-256 (symlinks by target), sorted. */
export async function snapshot(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  const here = prefix ? `${dir}/${prefix}` : dir;
  for await (const e of Deno.readDir(here)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) out.push(`${rel} -> ${await Deno.readLink(`${dir}/${rel}`)}`);
    else if (e.isDirectory) out.push(`${rel}/`, ...(await snapshot(dir, rel)));
    else out.push(`${rel} ${(await hashFile(`${dir}/${rel}`)).sha256}`);
  }
  return out.sort();
}

/** A ReadableStream over a file's bytes (optionally altered). */
export async function fileStream(
  path: string,
  alter?: (b: Uint8Array) => Uint8Array,
): Promise<ReadableStream<Uint8Array>> {
  let bytes: Uint8Array = await Deno.readFile(path);
  if (alter) bytes = alter(bytes);
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 16384) c.enqueue(bytes.slice(i, i + 16384));
      c.close();
    },
  });
}
