/**
 * @module Staging a verified artifact as `releases/<version>/` beside the running one: unpacked (bundle form)
 * or installed as `bin/gateway` (binary form) in a temporary directory, checked, then renamed into place.
 */
import type { Envelope } from "../release/envelope.ts";
import type { ReleaseManifest } from "../release/manifest.ts";
import { ReleaseRejectedError } from "../release/rejection.ts";
import { syncDir, writeJsonAtomic } from "../release/json_file.ts";
import { ArchiveError, extractTarGz } from "./tar.ts";
import { exists, type Layout } from "./layout.ts";
import { currentVersion } from "./switch.ts";

/** What `.release.json` holds: the verified manifest and when it was installed. */
export interface ReleaseInfo {
  readonly manifest: Envelope<ReleaseManifest>;
  readonly installed: number;
}

/** Prefix of staging directories (removed by recovery when left behind by a crash). */
export const STAGING_PREFIX = ".staging-";

/**
 * Installs the verified artifact at `artifactPath` as `releases/<version>`. The artifact file is consumed.
 * Throws ReleaseRejectedError("artifact") when the artifact is not a usable release; nothing is left behind.
 */
export async function stageRelease(
  layout: Layout,
  envelope: Envelope<ReleaseManifest>,
  artifactPath: string,
  maxExpandedBytes: number,
): Promise<string> {
  const m = envelope.signed;
  const final = layout.release(m.version);
  if (await exists(final)) {
    // Left by a crash between staging and switching (never started): replaced by this verified copy.
    if ((await currentVersion(layout)) === m.version) {
      throw new ReleaseRejectedError("replay", `release ${m.version} is the current release`);
    }
    await Deno.remove(final, { recursive: true });
  }
  const staging = `${layout.releases}/${STAGING_PREFIX}${m.version}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(staging, { recursive: true });
  try {
    if (m.target.form === "bundle") {
      using file = await Deno.open(artifactPath, { read: true });
      try {
        await extractTarGz(file.readable, staging, { maxBytes: maxExpandedBytes });
      } catch (error) {
        if (error instanceof ArchiveError) {
          throw new ReleaseRejectedError("artifact", `release ${m.version}: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
    } else {
      await Deno.mkdir(`${staging}/bin`);
      await Deno.rename(artifactPath, `${staging}/bin/gateway`);
      await Deno.chmod(`${staging}/bin/gateway`, 0o755);
    }
    const launcher = await Deno.stat(`${staging}/bin/gateway`).catch(() => undefined);
    if (!launcher?.isFile || ((launcher.mode ?? 0) & 0o111) === 0) {
      throw new ReleaseRejectedError("artifact", `release ${m.version} has no executable bin/gateway`);
    }
    const info: ReleaseInfo = { manifest: envelope, installed: Date.now() };
    await writeJsonAtomic(`${staging}/.release.json`, info);
    await Deno.rename(staging, final);
    await syncDir(layout.releases);
    return final;
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw error;
  } finally {
    await Deno.remove(artifactPath).catch(() => {});
  }
}
