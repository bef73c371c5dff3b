/**
 * @module A minimal protobuf wire-format writer and reader (varint, 64-bit, length-delimited, 32-bit).
 */

const enc = new TextEncoder();

/** Appends protobuf fields to a growing buffer. */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #len = 0;
  readonly #view = () => new DataView(this.#buf.buffer);

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  #rawVarint(v: number | bigint): void {
    this.#ensure(10);
    if (typeof v === "number" && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      while (v >= 0x80) {
        this.#buf[this.#len++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.#buf[this.#len++] = v;
      return;
    }
    let b = BigInt.asUintN(64, BigInt(v));
    while (b >= 0x80n) {
      this.#buf[this.#len++] = Number(b & 0x7fn) | 0x80;
      b >>= 7n;
    }
    this.#buf[this.#len++] = Number(b);
  }

  #tag(field: number, wire: number): void {
    this.#rawVarint(field * 8 + wire);
  }

  /** uint32/uint64/bool/enum; negative values are written as 64-bit two's complement. */
  varint(field: number, v: number | bigint | boolean): this {
    this.#tag(field, 0);
    this.#rawVarint(typeof v === "boolean" ? (v ? 1 : 0) : v);
    return this;
  }
  double(field: number, v: number): this {
    this.#tag(field, 1);
    this.#ensure(8);
    this.#view().setFloat64(this.#len, v, true);
    this.#len += 8;
    return this;
  }
  float(field: number, v: number): this {
    this.#tag(field, 5);
    this.#ensure(4);
    this.#view().setFloat32(this.#len, v, true);
    this.#len += 4;
    return this;
  }
  bytes(field: number, v: Uint8Array): this {
    this.#tag(field, 2);
    this.#rawVarint(v.length);
    this.#ensure(v.length);
    this.#buf.set(v, this.#len);
    this.#len += v.length;
    return this;
  }
  string(field: number, v: string): this {
    return this.bytes(field, enc.encode(v));
  }
  /** A nested message written by `fn`. */
  message(field: number, fn: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    fn(w);
    return this.bytes(field, w.finish());
  }
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** One decoded field. */
export type ProtoField =
  | { readonly field: number; readonly wire: 0; readonly value: bigint }
  | { readonly field: number; readonly wire: 1; readonly value: DataView }
  | { readonly field: number; readonly wire: 2; readonly value: Uint8Array }
  | { readonly field: number; readonly wire: 5; readonly value: DataView };

/** Reads the fields of one message; throws RangeError on malformed input. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let o = 0;
  const varint = (): bigint => {
    let r = 0n, shift = 0n;
    for (;;) {
      if (o >= buf.length) throw new RangeError("truncated varint");
      const b = buf[o++]!;
      r |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return r;
      shift += 7n;
      if (shift > 63n) throw new RangeError("varint too long");
    }
  };
  while (o < buf.length) {
    const key = Number(varint());
    const field = key >>> 3, wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (o + n > buf.length) throw new RangeError("truncated fixed field");
      out.push({ field, wire, value: new DataView(buf.buffer, buf.byteOffset + o, n) });
      o += n;
    } else if (wire === 2) {
      const n = Number(varint());
      if (o + n > buf.length) throw new RangeError("truncated length-delimited field");
      out.push({ field, wire, value: buf.subarray(o, o + n) });
      o += n;
    } else throw new RangeError(`unsupported wire type ${wire}`);
  }
  return out;
}
