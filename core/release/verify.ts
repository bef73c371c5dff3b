/**
 * @module Verifying a release manifest before anything changes: signatures and threshold, expiry, target,
 * anti-downgrade and anti-replay, minimum version to update from, and the artifact size limit.
 */
import { type Envelope, requireThreshold, type SignatureReport } from "./envelope.ts";
import type { ReleaseManifest, ReleaseTarget } from "./manifest.ts";
import type { RootMetadata } from "./root.ts";
import { compareSemVer } from "./semver.ts";
import { ReleaseRejectedError } from "./rejection.ts";

/** What a manifest is checked against. */
export interface VerifyContext {
  readonly root: Envelope<RootMetadata>;
  /** Signatures required at least (the effective threshold is the larger of this and the root's). */
  readonly threshold: number;
  readonly now: number;
  /** Version running now. */
  readonly currentVersion: string;
  /** Highest version ever installed or attempted here (anti-replay); undefined when none recorded. */
  readonly highestVersion?: string | undefined;
  /** This gateway's target; the manifest must match it exactly. */
  readonly target: ReleaseTarget;
  /** Largest artifact accepted. */
  readonly maxArtifactBytes: number;
}

/** Checks `envelope` and returns the signature report; throws ReleaseRejectedError with the reason. */
export async function verifyRelease(
  envelope: Envelope<ReleaseManifest>,
  ctx: VerifyContext,
): Promise<SignatureReport> {
  const m = envelope.signed;
  const threshold = Math.max(ctx.threshold, ctx.root.signed.threshold);
  const report = await requireThreshold(envelope, ctx.root.signed.keys, threshold, `release ${m.version}`);
  const expires = Date.parse(m.expires);
  if (!(expires > ctx.now)) {
    throw new ReleaseRejectedError(
      "expired",
      `release ${m.version}: manifest expired at ${m.expires} (now ${new Date(ctx.now).toISOString()})`,
    );
  }
  const t = m.target;
  if (t.os !== ctx.target.os || t.arch !== ctx.target.arch || t.form !== ctx.target.form) {
    throw new ReleaseRejectedError(
      "target",
      `release ${m.version} is for ${t.os}/${t.arch}/${t.form}, this gateway is ` +
        `${ctx.target.os}/${ctx.target.arch}/${ctx.target.form}`,
    );
  }
  if (compareSemVer(m.version, ctx.currentVersion) <= 0) {
    throw new ReleaseRejectedError(
      "downgrade",
      `release ${m.version} is not newer than the running version ${ctx.currentVersion}`,
    );
  }
  if (ctx.highestVersion !== undefined && compareSemVer(m.version, ctx.highestVersion) <= 0) {
    throw new ReleaseRejectedError(
      "replay",
      `release ${m.version} is not newer than ${ctx.highestVersion}, already installed or attempted here`,
    );
  }
  if (compareSemVer(ctx.currentVersion, m.min_from_version) < 0) {
    throw new ReleaseRejectedError(
      "min_version",
      `release ${m.version} can only update from ${m.min_from_version} or later; running ${ctx.currentVersion}`,
    );
  }
  if (m.artifact.size > ctx.maxArtifactBytes) {
    throw new ReleaseRejectedError(
      "too_large",
      `release ${m.version}: artifact of ${m.artifact.size} bytes exceeds update.max_artifact_bytes ` +
        `(${ctx.maxArtifactBytes})`,
    );
  }
  return report;
}

/** The target of the running process for `form`. */
export function hostTarget(form: ReleaseTarget["form"]): ReleaseTarget {
  if (Deno.build.os !== "linux") throw new RangeError(`releases are built for linux, not ${Deno.build.os}`);
  const arch = Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";
  return { os: "linux", arch, form };
}
