/**
 * @module Locating and probing the WebAssembly modules (no memory access): SIMD detection and reading the bytes.
 */

/** A minimal module (`() -> v128`: i32.const 0, i8x16.splat, i8x16.popcnt); validates only where SIMD128 is supported. */
const SIMD_PROBE = Uint8Array.from(
  "0061736d010000000105016000017b030201000a0a0108004100fd0ffd620b".match(/../g)!,
  (h) => parseInt(h, 16),
);

/** True when this runtime can compile WebAssembly SIMD128. */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The module bytes: explicit bytes, a file path, or a URL (default: `name` beside this file). */
export async function readWasm(
  bytes: BufferSource | undefined,
  path: string | URL | undefined,
  name: string,
): Promise<BufferSource> {
  if (bytes !== undefined) return bytes;
  if (typeof path === "string") return await Deno.readFile(path);
  const url = path ?? new URL(`./${name}`, import.meta.url);
  if (url.protocol === "file:") return await Deno.readFile(url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
