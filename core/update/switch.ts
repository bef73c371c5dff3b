/**
 * @module The atomic switch: `current` is a symlink replaced by rename(2), so at every instant it names
 * either the old or the new release, never nothing.
 */
import { syncDir } from "../release/json_file.ts";
import type { Layout } from "./layout.ts";

/** Points `current` at `releases/<version>` atomically (symlink to a temporary name, then rename over). */
export async function switchCurrent(layout: Layout, version: string): Promise<void> {
  const tmp = `${layout.root}/.current-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.symlink(layout.linkTarget(version), tmp);
  try {
    await Deno.rename(tmp, layout.current);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await syncDir(layout.root);
}

/** The version `current` points at, or undefined when it is missing or not a `releases/<version>` symlink. */
export async function currentVersion(layout: Layout): Promise<string | undefined> {
  let target: string;
  try {
    target = await Deno.readLink(layout.current);
  } catch {
    return undefined;
  }
  const m = /^(?:.*\/)?releases\/([^/]+)\/?$/.exec(target);
  return m ? m[1] : undefined;
}

/** True when `releases/<version>` is complete (its .release.json exists and its launcher is executable). */
export async function isComplete(layout: Layout, version: string): Promise<boolean> {
  try {
    await Deno.stat(layout.releaseInfo(version));
    const st = await Deno.stat(layout.launcher(version));
    return st.isFile && ((st.mode ?? 0o755) & 0o111) !== 0;
  } catch {
    return false;
  }
}
