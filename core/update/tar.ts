/**
 * @module Safe streaming extraction of a release .tar.gz (ustar, pax and GNU long names): regular files,
 * directories and in-tree relative symlinks only; absolute paths, `..`, hard links and devices are refused.
 */

/** Limits for {@link extractTarGz}. */
export interface ExtractLimits {
  /** Refuse archives that expand to more than this many bytes (zip-bomb guard). */
  readonly maxBytes: number;
  readonly maxEntries?: number;
}

/** A malformed or unsafe archive; the message names the entry. */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

/** Byte reader over a stream: exact reads for headers, zero-copy partial reads for file data. */
class Reader {
  #buf: Uint8Array = new Uint8Array(0);
  #it: AsyncIterator<Uint8Array>;
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#it = stream[Symbol.asyncIterator]();
  }
  /** Reads exactly n bytes, or fewer at end of stream. */
  async read(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.readSome(n - got);
      if (part.length === 0) break;
      parts.push(part);
      got += part.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(got);
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
  /** Reads between 1 and `max` bytes (0 at end of stream). */
  async readSome(max: number): Promise<Uint8Array> {
    if (this.#buf.length === 0) {
      const r = await this.#it.next();
      if (r.done) return new Uint8Array(0);
      this.#buf = r.value;
    }
    const out = this.#buf.subarray(0, Math.min(max, this.#buf.length));
    this.#buf = this.#buf.subarray(out.length);
    return out;
  }
  async close(): Promise<void> {
    await this.#it.return?.();
  }
}

const dec = new TextDecoder();
function str(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return dec.decode(z < 0 ? s : s.subarray(0, z));
}
function octal(b: Uint8Array, off: number, len: number): number {
  const t = str(b, off, len).trim();
  return t === "" ? 0 : parseInt(t, 8);
}

/** Checks a member path and returns it normalised (no leading ./). */
export function safeMemberPath(name: string): string {
  const p = name.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (p === "" || p === ".") return "";
  if (p.startsWith("/") || p.split("/").some((c) => c === ".." || c === "")) {
    throw new ArchiveError(`unsafe path in archive: "${name}"`);
  }
  return p;
}

/** Extracts a gzip-compressed tar stream into `dest` (which must exist and be empty). */
export async function extractTarGz(
  stream: ReadableStream<Uint8Array>,
  dest: string,
  limits: ExtractLimits,
): Promise<{ files: number; bytes: number }> {
  const reader = new Reader(
    stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    ),
  );
  let files = 0;
  let bytes = 0;
  let entries = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  try {
    for (;;) {
      const h = await reader.read(512);
      if (h.length === 0) throw new ArchiveError("archive ends without the end-of-archive marker");
      if (h.length < 512) throw new ArchiveError("archive is truncated (partial header)");
      if (h.every((x) => x === 0)) return { files, bytes };
      if (++entries > (limits.maxEntries ?? 200_000)) throw new ArchiveError("archive has too many entries");
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (sum !== octal(h, 148, 8)) {
        throw new ArchiveError(`corrupt tar header (checksum) after ${files} files`);
      }
      const type = String.fromCharCode(h[156]!);
      const size = octal(h, 124, 12);
      const prefix = str(h, 345, 155);
      let name = paxPath ?? longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
      if (type === "L" || type === "x" || type === "g") {
        const body = await readExact(reader, size, name);
        if (type === "L") longName = str(body, 0, body.length);
        if (type === "x") paxPath = paxValue(body, "path") ?? paxPath;
        continue;
      }
      longName = undefined;
      paxPath = undefined;
      const path = safeMemberPath(name);
      name = path;
      const target = path === "" ? dest : `${dest}/${path}`;
      const mode = octal(h, 100, 8) & 0o755;
      if (type === "5") {
        if (path !== "") await Deno.mkdir(target, { recursive: true });
        continue;
      }
      if (type === "2") {
        const link = str(h, 157, 100);
        const resolved = [...path.split("/").slice(0, -1), ...link.split("/")];
        let depth = 0;
        let escapes = false;
        for (const c of resolved) {
          depth += c === ".." ? -1 : c === "." || c === "" ? 0 : 1;
          if (depth < 0) escapes = true;
        }
        if (link.startsWith("/") || escapes) {
          throw new ArchiveError(`symlink ${path} -> ${link} leaves the release`);
        }
        await Deno.mkdir(parentOf(target), { recursive: true });
        await Deno.symlink(link, target);
        continue;
      }
      if (type !== "0" && type !== "\0" && type !== "7") {
        throw new ArchiveError(
          `unsupported entry type "${type}" for ${path} (only files, directories, symlinks)`,
        );
      }
      bytes += size;
      if (bytes > limits.maxBytes) throw new ArchiveError(`archive expands beyond ${limits.maxBytes} bytes`);
      await Deno.mkdir(parentOf(target), { recursive: true });
      const f = await Deno.open(target, { write: true, createNew: true, mode: mode || 0o644 });
      try {
        let left = size;
        while (left > 0) {
          const chunk = await reader.readSome(left);
          if (chunk.length === 0) throw new ArchiveError(`archive is truncated inside ${path}`);
          let off = 0;
          while (off < chunk.length) off += await f.write(chunk.subarray(off));
          left -= chunk.length;
        }
        await f.syncData();
      } finally {
        f.close();
      }
      await Deno.chmod(target, mode || 0o644);
      await skipPadding(reader, size, path);
      files++;
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(`cannot extract archive: ${(error as Error).message}`, { cause: error });
  } finally {
    await reader.close().catch(() => {});
  }
}

async function readExact(reader: Reader, size: number, name: string): Promise<Uint8Array> {
  if (size > 1 << 20) throw new ArchiveError(`extended header for ${name} is too large`);
  const body = await reader.read(size);
  if (body.length < size) throw new ArchiveError("archive is truncated (extended header)");
  await skipPadding(reader, size, name);
  return body.slice();
}

async function skipPadding(reader: Reader, size: number, name: string): Promise<void> {
  const pad = (512 - (size % 512)) % 512;
  if (pad && (await reader.read(pad)).length < pad) {
    throw new ArchiveError(`archive is truncated after ${name}`);
  }
}

function paxValue(body: Uint8Array, key: string): string | undefined {
  for (const line of dec.decode(body).split("\n")) {
    const m = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (m && m[1] === key) return m[2];
  }
  return undefined;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}
