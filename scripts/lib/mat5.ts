/**
 * @module Minimal MATLAB 5 (.mat v5) reader: little-endian files, numeric matrices (miMATRIX of any
 * numeric class, real part) returned as Float64Array, compressed elements (miCOMPRESSED, zlib)
 * inflated with DecompressionStream("deflate"). Char, cell, struct and sparse arrays are skipped.
 */

/** A numeric MATLAB variable (column-major data as float64). */
export interface MatVariable {
  readonly name: string;
  readonly dims: readonly number[];
  /** MATLAB class name, e.g. "double" or "uint16". */
  readonly className: string;
  readonly data: Float64Array;
}

const MI_MATRIX = 14, MI_COMPRESSED = 15;
const CLASS_NAMES: Record<number, string> = {
  6: "double",
  7: "single",
  8: "int8",
  9: "uint8",
  10: "int16",
  11: "uint16",
  12: "int32",
  13: "uint32",
  14: "int64",
  15: "uint64",
};

/** Element size and reader of each numeric miTYPE. */
const NUMERIC: Record<number, [number, (v: DataView, o: number) => number]> = {
  1: [1, (v, o) => v.getInt8(o)],
  2: [1, (v, o) => v.getUint8(o)],
  3: [2, (v, o) => v.getInt16(o, true)],
  4: [2, (v, o) => v.getUint16(o, true)],
  5: [4, (v, o) => v.getInt32(o, true)],
  6: [4, (v, o) => v.getUint32(o, true)],
  7: [4, (v, o) => v.getFloat32(o, true)],
  9: [8, (v, o) => v.getFloat64(o, true)],
  12: [8, (v, o) => Number(v.getBigInt64(o, true))],
  13: [8, (v, o) => Number(v.getBigUint64(o, true))],
};

interface Element {
  type: number;
  data: Uint8Array;
  /** Offset of the next element. */
  next: number;
}

/** Reads one tagged element at `at` (regular or small-data format). */
function element(buf: Uint8Array, at: number): Element {
  if (at + 8 > buf.length) throw new RangeError(`truncated MAT element at byte ${at}`);
  const v = new DataView(buf.buffer, buf.byteOffset + at, 8);
  const first = v.getUint32(0, true);
  if (first >>> 16 !== 0) {
    const size = first >>> 16;
    if (size > 4) throw new RangeError(`bad small MAT element at byte ${at}`);
    return { type: first & 0xffff, data: buf.subarray(at + 4, at + 4 + size), next: at + 8 };
  }
  const size = v.getUint32(4, true);
  if (at + 8 + size > buf.length) throw new RangeError(`MAT element at byte ${at} overruns the file`);
  const data = buf.subarray(at + 8, at + 8 + size);
  // Sub-elements are padded to 8 bytes; compressed elements are not.
  const padded = first === MI_COMPRESSED ? size : Math.ceil(size / 8) * 8;
  return { type: first, data, next: Math.min(buf.length, at + 8 + padded) };
}

function numbers(e: Element): Float64Array {
  const spec = NUMERIC[e.type];
  if (!spec) throw new TypeError(`unsupported MAT numeric type ${e.type}`);
  const [size, get] = spec, v = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  const out = new Float64Array(Math.floor(e.data.length / size));
  for (let i = 0; i < out.length; i++) out[i] = get(v, i * size);
  return out;
}

/** Parses an miMATRIX body; undefined for non-numeric or sparse arrays. */
function matrix(body: Uint8Array): MatVariable | undefined {
  const flags = element(body, 0);
  const cls = new DataView(flags.data.buffer, flags.data.byteOffset, 4).getUint32(0, true) & 0xff;
  const dimsEl = element(body, flags.next);
  const nameEl = element(body, dimsEl.next);
  const className = CLASS_NAMES[cls];
  if (className === undefined) return undefined;
  const dims = Array.from(numbers(dimsEl));
  const name = new TextDecoder().decode(nameEl.data);
  const real = element(body, nameEl.next);
  return { name, dims, className, data: numbers(real) };
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Reads every numeric variable of a little-endian MAT v5 file. */
export async function readMat5(bytes: Uint8Array): Promise<Map<string, MatVariable>> {
  if (bytes.length < 128) throw new RangeError("not a MAT v5 file: shorter than the 128-byte header");
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian === "MI") throw new TypeError("big-endian MAT files are not supported");
  if (endian !== "IM") throw new TypeError("not a MAT v5 file (missing IM endian indicator)");
  const vars = new Map<string, MatVariable>();
  const walk = async (buf: Uint8Array, start: number) => {
    for (let at = start; at + 8 <= buf.length;) {
      const e = element(buf, at);
      if (e.type === MI_COMPRESSED) await walk(await inflate(e.data), 0);
      else if (e.type === MI_MATRIX && e.data.length > 0) {
        const m = matrix(e.data);
        if (m) vars.set(m.name, m);
      }
      at = e.next;
    }
  };
  await walk(bytes, 128);
  return vars;
}
