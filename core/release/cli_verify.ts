/**
 * @module `gateway release verify`: check a manifest (and optionally its artifact) against a trusted root.
 */
import type { Command } from "../cli/command.ts";
import { parseUpdateDocument } from "./manifest.ts";
import { applyRotations, trustInitialRoot } from "./root.ts";
import { verifyRelease } from "./verify.ts";
import { hashFile } from "./file_hash.ts";
import { readJsonFile } from "./json_file.ts";
import { ReleaseRejectedError } from "./rejection.ts";

export const verifyCommand: Command = {
  name: "verify",
  summary: "Verify a release manifest (signatures, threshold, expiry) and optionally its artifact",
  usage: "--manifest FILE --trust ROOT [--artifact FILE] [--current V] [--threshold N]",
  options: {
    manifest: { type: "string", arg: "FILE", description: "Signed manifest.", required: true },
    trust: { type: "string", arg: "ROOT", description: "Trusted root metadata.", required: true },
    artifact: { type: "string", arg: "FILE", description: "Artifact to check against the manifest." },
    current: {
      type: "string",
      arg: "SEMVER",
      description: "Version it would update from.",
      default: "0.0.0",
    },
    threshold: {
      type: "number",
      arg: "N",
      description: "Minimum signatures (besides the root's).",
      default: 1,
    },
  },
  async run({ options }) {
    try {
      const doc = parseUpdateDocument(await Deno.readFile(options.manifest as string));
      const root = await applyRotations(
        await trustInitialRoot(await readJsonFile(options.trust as string), options.trust as string),
        doc.roots,
      );
      const m = doc.release.signed;
      const report = await verifyRelease(doc.release, {
        root,
        threshold: options.threshold as number,
        now: Date.now(),
        currentVersion: options.current as string,
        target: m.target,
        maxArtifactBytes: Number.MAX_SAFE_INTEGER,
      });
      if (typeof options.artifact === "string") {
        const { sha256, size } = await hashFile(options.artifact);
        if (size !== m.artifact.size) {
          throw new ReleaseRejectedError(
            "artifact",
            `artifact has ${size} bytes, manifest says ${m.artifact.size}`,
          );
        }
        if (sha256 !== m.artifact.sha256) {
          throw new ReleaseRejectedError("hash", "artifact SHA-256 does not match the manifest");
        }
      }
      console.log(
        `ok: release ${m.version} for ${m.target.os}/${m.target.arch}/${m.target.form}, ` +
          `${report.valid.length} valid signature(s), expires ${m.expires}`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ReleaseRejectedError)) throw error;
      console.error(`rejected (${error.reason}): ${error.message}`);
      return 1;
    }
  },
};
