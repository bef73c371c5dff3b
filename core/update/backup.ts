/**
 * @module Data backups around an update: database files (e.g. `*.duckdb`) are copied while no gateway runs,
 * before the first start of the new version (which may migrate them forward); a rollback restores them so the
 * old version finds the schema it knows.
 */
import { syncDir } from "../release/json_file.ts";
import type { BackupEntry } from "./state.ts";

/** Copies every file under `dataDirs` whose name ends with one of `suffixes` into `dest`. */
export async function backupDataFiles(
  dataDirs: readonly string[],
  suffixes: readonly string[],
  dest: string,
): Promise<BackupEntry[]> {
  await Deno.remove(dest, { recursive: true }).catch(() => {});
  await Deno.mkdir(dest, { recursive: true });
  const out: BackupEntry[] = [];
  for (const [i, dir] of dataDirs.entries()) {
    for (const rel of await findFiles(dir, suffixes)) {
      const copy = `${dest}/${i}/${rel}`;
      await Deno.mkdir(copy.slice(0, copy.lastIndexOf("/")), { recursive: true });
      await Deno.copyFile(`${dir}/${rel}`, copy);
      await fsyncFile(copy);
      out.push({ source: `${dir}/${rel}`, copy });
    }
  }
  await syncDir(dest);
  return out;
}

/** Puts every backed-up file back (atomically per file) and drops write-ahead logs written since. */
export async function restoreDataFiles(backups: readonly BackupEntry[]): Promise<void> {
  for (const b of backups) {
    const tmp = `${b.source}.restore-tmp`;
    await Deno.copyFile(b.copy, tmp);
    await fsyncFile(tmp);
    await Deno.remove(`${b.source}.wal`).catch(() => {});
    await Deno.rename(tmp, b.source);
    await syncDir(b.source.slice(0, b.source.lastIndexOf("/")) || "/");
  }
}

async function findFiles(dir: string, suffixes: readonly string[], prefix = ""): Promise<string[]> {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(prefix ? `${dir}/${prefix}` : dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    throw error;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await findFiles(dir, suffixes, rel));
    else if (e.isFile && suffixes.some((s) => e.name.endsWith(s))) out.push(rel);
  }
  return out.sort();
}

async function fsyncFile(path: string): Promise<void> {
  using f = await Deno.open(path, { read: true, write: true });
  await f.sync();
}
