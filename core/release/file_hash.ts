/**
 * @module Streaming SHA-256 of files and streams (artifacts are too large to hash in one buffer).
 */
import { createHash, type Hash } from "node:crypto";

/** Incremental SHA-256. */
export class Sha256 {
  readonly #hash: Hash = createHash("sha256");
  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }
  hex(): string {
    return this.#hash.digest("hex");
  }
}

/** SHA-256 (hex) and size of a file, read in chunks. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const h = new Sha256();
  let size = 0;
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.hex(), size };
}
