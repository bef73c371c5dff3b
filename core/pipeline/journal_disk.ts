/**
 * @module The file-system calls that make a sink journal durable (fdatasync of a file, fsync of a directory),
 * behind a narrow interface so tests can count and order them; plus writing every byte of a buffer.
 */

/** The durability calls a journal makes; {@link realDisk} by default, wrapped by tests. */
export interface JournalDisk {
  /** fdatasync that blocks until done (the `always` burst sync, compaction, close). */
  syncDataSync(file: Deno.FsFile): void;
  /** fdatasync off the event loop (the `interval` timer). */
  syncData(file: Deno.FsFile): Promise<void>;
  /** fsync of a directory, making a created or renamed entry durable; a no-op where unsupported. */
  syncDirSync(path: string): void;
}

/** The real system calls. */
export const realDisk: JournalDisk = {
  syncDataSync: (file) => file.syncDataSync(),
  syncData: (file) => file.syncData(),
  syncDirSync(path) {
    let dir: Deno.FsFile | undefined;
    try {
      dir = Deno.openSync(path, { read: true });
      dir.syncSync();
    } catch {
      // Some platforms cannot fsync a directory (Windows); the files themselves are synced.
    } finally {
      dir?.close();
    }
  },
};

/** Writes every byte of `data` (a single write may be short). */
export function writeAllSync(file: Deno.FsFile, data: Uint8Array): void {
  let written = 0;
  while (written < data.length) written += file.writeSync(data.subarray(written));
}
