/**
 * @module Small file helpers: write all bytes, read a range, fsync a directory.
 */

/** Writes every byte of `data` (a single write may be short). */
export async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let o = 0;
  while (o < data.length) o += await file.write(data.subarray(o));
}

/** Reads up to `length` bytes at `offset`; fewer at end of file. */
export async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buf = new Uint8Array(length);
  let n = 0;
  while (n < length) {
    const r = await file.read(buf.subarray(n));
    if (r === null || r === 0) break;
    n += r;
  }
  return n === length ? buf : buf.subarray(0, n);
}

/** Makes a directory's entries (created, renamed, removed files) durable; ignored where unsupported. */
export async function syncDir(path: string): Promise<void> {
  let dir: Deno.FsFile | undefined;
  try {
    dir = await Deno.open(path, { read: true });
    await dir.sync();
  } catch {
    // Some platforms cannot fsync a directory; the data files themselves are synced.
  } finally {
    dir?.close();
  }
}
