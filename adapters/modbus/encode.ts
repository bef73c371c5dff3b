/**
 * @module Encoding typed values into registers (the inverse of the codec), for the demo plant and tests.
 */
import type { Order, RegisterType } from "./codec.ts";
import { registerWidth } from "./codec.ts";

/** Registers holding `value` encoded as `type` in `order` (strings: `length` registers, NUL padded). */
export function encodeRegisters(
  type: Exclude<RegisterType, "bool">,
  value: number | string,
  order: Order = "ABCD",
  length = 1,
): number[] {
  const width = registerWidth(type, length);
  const view = new DataView(new ArrayBuffer(width * 2));
  if (type === "string") {
    const s = String(value);
    for (let i = 0; i < Math.min(s.length, width * 2); i++) view.setUint8(i, s.charCodeAt(i) & 0xff);
  } else {
    if (typeof value !== "number" || Number.isNaN(value) && !type.startsWith("float")) {
      throw new TypeError(`a ${type} needs a number, got ${String(value)}`);
    }
    switch (type) {
      case "int16":
        view.setInt16(0, value);
        break;
      case "uint16":
        view.setUint16(0, value);
        break;
      case "int32":
        view.setInt32(0, value);
        break;
      case "uint32":
        view.setUint32(0, value);
        break;
      case "float32":
        view.setFloat32(0, value);
        break;
      case "float64":
        view.setFloat64(0, value);
        break;
      case "int64":
        view.setBigInt64(0, BigInt(Math.trunc(value)));
        break;
      case "uint64":
        view.setBigUint64(0, BigInt(Math.trunc(value)));
        break;
    }
  }
  const wordSwap = type !== "string" && (order === "CDAB" || order === "DCBA");
  const byteSwap = order === "BADC" || order === "DCBA";
  const words: number[] = [];
  for (let i = 0; i < width; i++) {
    const w = view.getUint16((wordSwap ? width - 1 - i : i) * 2);
    words.push(byteSwap ? ((w & 0xff) << 8) | (w >> 8) : w);
  }
  return words;
}
