/**
 * @module Decoding Modbus registers into typed values, honouring byte and word order.
 *
 * Order names describe where the bytes of a 32-bit value A B C D (A most significant) sit on the wire:
 * `ABCD` big-endian (the Modbus default), `CDAB` word-swapped, `BADC` byte-swapped, `DCBA` little-endian.
 * For 64-bit values the same rule generalises: word swap reverses the order of all four registers, byte
 * swap exchanges the two bytes inside every register.
 */

/** Register data types. */
export const REGISTER_TYPES = [
  "bool",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "float32",
  "int64",
  "uint64",
  "float64",
  "string",
] as const;
export type RegisterType = typeof REGISTER_TYPES[number];

/** Byte/word orders. */
export const ORDERS = ["ABCD", "CDAB", "BADC", "DCBA"] as const;
export type Order = typeof ORDERS[number];

/** Registers (16-bit words) a value of `type` occupies; strings and bools are given by the caller. */
export function registerWidth(type: RegisterType, stringLength = 1): number {
  switch (type) {
    case "bool":
    case "int16":
    case "uint16":
      return 1;
    case "int32":
    case "uint32":
    case "float32":
      return 2;
    case "int64":
    case "uint64":
    case "float64":
      return 4;
    case "string":
      return stringLength;
  }
}

/** Whether the type is an integer type (bits and value maps apply to these). */
export function isIntegerType(type: RegisterType): boolean {
  return type === "int16" || type === "uint16" || type === "int32" || type === "uint32" ||
    type === "int64" || type === "uint64";
}

/** Puts `count` registers starting at `offset` into big-endian byte order (ABCD) according to `order`. */
export function toBigEndianBytes(
  words: ArrayLike<number>,
  offset: number,
  count: number,
  order: Order,
): DataView {
  const wordSwap = order === "CDAB" || order === "DCBA";
  const byteSwap = order === "BADC" || order === "DCBA";
  const buf = new DataView(new ArrayBuffer(count * 2));
  for (let i = 0; i < count; i++) {
    const w = words[offset + (wordSwap ? count - 1 - i : i)];
    if (w === undefined) {
      throw new RangeError(`register ${offset + i} is missing from a response of ${words.length} registers`);
    }
    const v = w & 0xffff;
    buf.setUint16(i * 2, byteSwap ? ((v & 0xff) << 8) | (v >> 8) : v, false);
  }
  return buf;
}

const latin1 = new TextDecoder("latin1");

/**
 * Decodes the value of `type` at `offset` of a register response. Integers wider than 2^53 lose precision
 * when converted to a number (documented); `rawBig` keeps the exact value for bit extraction.
 */
export function decodeRegisters(
  words: ArrayLike<number>,
  offset: number,
  type: Exclude<RegisterType, "bool">,
  order: Order,
  stringLength = 1,
): { value: number | string; rawBig?: bigint } {
  if (type === "string") {
    // Strings are byte sequences: only the byte order inside each register applies, never word order.
    const byteSwap = order === "BADC" || order === "DCBA";
    const bytes = new Uint8Array(stringLength * 2);
    for (let i = 0; i < stringLength; i++) {
      const w = words[offset + i];
      if (w === undefined) throw new RangeError(`register ${offset + i} is missing from the response`);
      bytes[i * 2] = byteSwap ? w & 0xff : (w >> 8) & 0xff;
      bytes[i * 2 + 1] = byteSwap ? (w >> 8) & 0xff : w & 0xff;
    }
    let end = bytes.indexOf(0);
    if (end < 0) end = bytes.length;
    return { value: latin1.decode(bytes.subarray(0, end)).trim() };
  }
  const view = toBigEndianBytes(words, offset, registerWidth(type), order);
  switch (type) {
    case "int16":
      return { value: view.getInt16(0, false) };
    case "uint16":
      return { value: view.getUint16(0, false) };
    case "int32":
      return { value: view.getInt32(0, false) };
    case "uint32":
      return { value: view.getUint32(0, false) };
    case "float32":
      return { value: view.getFloat32(0, false) };
    case "float64":
      return { value: view.getFloat64(0, false) };
    case "int64": {
      const big = view.getBigInt64(0, false);
      return { value: Number(big), rawBig: big };
    }
    case "uint64": {
      const big = view.getBigUint64(0, false);
      return { value: Number(big), rawBig: big };
    }
  }
}

/** Bit `index` (0 = least significant) of an integer raw value. */
export function bitOf(raw: number | bigint, index: number): boolean {
  if (typeof raw === "bigint") return ((raw >> BigInt(index)) & 1n) === 1n;
  if (index < 32) return ((raw >>> index) & 1) === 1;
  return Math.floor(raw / 2 ** index) % 2 === 1;
}
