/**
 * @module Outbox records and their on-disk framing: `[u32 length][u32 crc32][body]`, little-endian.
 */
import { crc32 } from "./crc32.ts";

/** Classes of uplink messages, in the order the disk budget sacrifices them (alerts and events never). */
export const RECORD_CLASSES = ["raw", "rollups", "features", "scores", "alerts", "events"] as const;
export type RecordClass = typeof RECORD_CLASSES[number];

/** An uplink message waiting in the outbox. */
export interface OutboxRecord {
  /** Gateway-wide sequence, monotonically increasing across restarts (the message id). */
  readonly seq: number;
  readonly cls: RecordClass;
  /** When it was appended, ms since epoch. */
  readonly enqueuedAt: number;
  /** Timestamp of the data (sample, window end, alert raise), ms since epoch. */
  readonly eventTs: number;
  /** 0 good, 1 uncertain, 2 bad. */
  readonly quality: number;
  /** Sub-kind within the class (`samples`, `block`, `alert`...). */
  readonly kind: string;
  /** Topic key: asset id, tag id, or "" for gateway-level messages. */
  readonly key: string;
  /** The data object as JSON text. */
  readonly data: string;
}

/** Bytes before the body: length and CRC. */
export const FRAME_HEADER = 8;
/** Largest body accepted when reading (a longer length means corruption). */
export const MAX_BODY = 64 * 1024 * 1024;
const FIXED = 28;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** Encodes one record as a frame. */
export function encodeRecord(r: OutboxRecord): Uint8Array {
  const kind = enc.encode(r.kind);
  const key = enc.encode(r.key);
  const data = enc.encode(r.data);
  if (kind.length > 255) throw new RangeError(`record kind "${r.kind}" is longer than 255 bytes`);
  if (key.length > 65535) throw new RangeError(`record key is longer than 65535 bytes`);
  const bodyLen = FIXED + 1 + kind.length + 2 + key.length + data.length;
  if (bodyLen > MAX_BODY) {
    throw new RangeError(`record of ${bodyLen} bytes exceeds the ${MAX_BODY}-byte limit`);
  }
  const buf = new Uint8Array(FRAME_HEADER + bodyLen);
  const view = new DataView(buf.buffer);
  let o = FRAME_HEADER;
  view.setUint8(o, 1);
  view.setUint8(o + 1, RECORD_CLASSES.indexOf(r.cls));
  view.setUint8(o + 2, r.quality);
  view.setFloat64(o + 4, r.seq, true);
  view.setFloat64(o + 12, r.enqueuedAt, true);
  view.setFloat64(o + 20, r.eventTs, true);
  o += FIXED;
  buf[o++] = kind.length;
  buf.set(kind, o);
  o += kind.length;
  view.setUint16(o, key.length, true);
  o += 2;
  buf.set(key, o);
  o += key.length;
  buf.set(data, o);
  view.setUint32(0, bodyLen, true);
  view.setUint32(4, crc32(buf, FRAME_HEADER), true);
  return buf;
}

/** Result of reading one frame at an offset. */
export type FrameRead =
  | { readonly status: "ok"; readonly record: OutboxRecord; readonly size: number }
  | { readonly status: "incomplete"; readonly need: number }
  | { readonly status: "corrupt"; readonly reason: string };

/** Reads the frame at `offset` of `buf`; `headerOnly` skips decoding kind/key/data (for scans). */
export function readFrame(buf: Uint8Array, offset: number, headerOnly = false): FrameRead {
  if (buf.length - offset < FRAME_HEADER) return { status: "incomplete", need: FRAME_HEADER };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = view.getUint32(offset, true);
  if (len < FIXED + 3 || len > MAX_BODY) return { status: "corrupt", reason: `implausible length ${len}` };
  if (buf.length - offset < FRAME_HEADER + len) return { status: "incomplete", need: FRAME_HEADER + len };
  const start = offset + FRAME_HEADER;
  const crc = view.getUint32(offset + 4, true);
  if (crc32(buf, start, start + len) !== crc) return { status: "corrupt", reason: "CRC mismatch" };
  const clsIndex = view.getUint8(start + 1);
  const cls = RECORD_CLASSES[clsIndex];
  if (view.getUint8(start) !== 1 || !cls) {
    return { status: "corrupt", reason: "unknown record version or class" };
  }
  const seq = view.getFloat64(start + 4, true);
  const enqueuedAt = view.getFloat64(start + 12, true);
  const eventTs = view.getFloat64(start + 20, true);
  const quality = view.getUint8(start + 2);
  if (headerOnly) {
    return {
      status: "ok",
      size: FRAME_HEADER + len,
      record: { seq, cls, enqueuedAt, eventTs, quality, kind: "", key: "", data: "" },
    };
  }
  try {
    let o = start + FIXED;
    const kindLen = buf[o++]!;
    const kind = dec.decode(buf.subarray(o, o + kindLen));
    o += kindLen;
    const keyLen = view.getUint16(o, true);
    o += 2;
    const key = dec.decode(buf.subarray(o, o + keyLen));
    o += keyLen;
    const data = dec.decode(buf.subarray(o, start + len));
    return {
      status: "ok",
      size: FRAME_HEADER + len,
      record: { seq, cls, enqueuedAt, eventTs, quality, kind, key, data },
    };
  } catch (error) {
    return { status: "corrupt", reason: `undecodable body: ${(error as Error).message}` };
  }
}
