/**
 * @module Appends staged rows to DuckDB as data chunks (the appender's fast path): raw samples and rollups.
 */
import {
  BIGINT,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBVector,
  INTEGER,
  TIMESTAMP,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from "@duckdb/node-api";
import type { Rollup } from "../../core/mod.ts";
import type { SampleRows } from "./staging.ts";

/** Column types of `samples`, in table order (schema version 2). */
const SAMPLE_TYPES: readonly DuckDBType[] = [
  INTEGER,
  TIMESTAMP,
  TIMESTAMP,
  DOUBLE,
  VARCHAR,
  UTINYINT,
  UINTEGER,
  TIMESTAMP,
  VARCHAR,
  UTINYINT,
];

/** Column types of the rollup tables. */
const ROLLUP_TYPES: readonly DuckDBType[] = [
  INTEGER,
  TIMESTAMP,
  BIGINT,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  UTINYINT,
];

const TWO32 = 4294967296;

/**
 * Writes ms timestamps as µs into a TIMESTAMP vector. When the vector exposes its BigInt64Array (node-api
 * 1.5.x does), the int64 is written as two 32-bit halves, avoiding a BigInt and a value object per row.
 */
function timestampWriter(vec: DuckDBVector): (row: number, ms: number) => void {
  const items = (vec as unknown as { items?: unknown }).items;
  if (items instanceof BigInt64Array) {
    const halves = new Uint32Array(items.buffer, items.byteOffset, items.length * 2);
    return (row, ms) => {
      const micros = Math.round(ms * 1000);
      if (micros >= 0 && micros < Number.MAX_SAFE_INTEGER) {
        halves[2 * row] = micros % TWO32;
        halves[2 * row + 1] = Math.floor(micros / TWO32);
      } else vec.setItem(row, new DuckDBTimestampValue(BigInt(micros)));
    };
  }
  return (row, ms) => vec.setItem(row, new DuckDBTimestampValue(BigInt(Math.round(ms * 1000))));
}

interface ValidityInternals {
  data: BigUint64Array | null;
}

/** The JS-side validity mask of a node-api vector (node-api 1.5.x keeps one), or undefined. */
function validityOf(vec: DuckDBVector): ValidityInternals | undefined {
  const v = (vec as unknown as { validity?: unknown }).validity;
  return v !== null && typeof v === "object" && "data" in v ? v as ValidityInternals : undefined;
}

/**
 * One full-size data chunk per column layout, reused for every append. Deno's Node-API keeps a few dozen bytes
 * for every native handle an addon creates, even after the handle is collected (measured: ~330 B per chunk
 * created, about 2 MB a minute at the soak's write rate; Node.js frees them). A fresh chunk per append creates
 * one handle per column type, chunk and vector, so the store reuses one chunk instead: reset (string heaps
 * cleared), sized, every row marked valid, filled, appended. Layouts whose vectors do not expose their validity
 * mask fall back to a fresh chunk per append.
 */
class ReusedChunk {
  readonly #chunk: DuckDBDataChunk;
  readonly #v: DuckDBVector[];
  readonly #validity: ValidityInternals[];

  private constructor(chunk: DuckDBDataChunk, v: DuckDBVector[], validity: ValidityInternals[]) {
    this.#chunk = chunk;
    this.#v = v;
    this.#validity = validity;
  }

  static create(types: readonly DuckDBType[]): ReusedChunk | undefined {
    const chunk = DuckDBDataChunk.create(types, DuckDBVector.standardSize());
    const v = types.map((_, i) => chunk.getColumnVector(i));
    const validity = v.map(validityOf);
    if (validity.some((x) => x === undefined)) return undefined;
    return new ReusedChunk(chunk, v, validity as ValidityInternals[]);
  }

  /** The chunk sized for `n` rows, every row valid until set to null. */
  take(n: number): { chunk: DuckDBDataChunk; v: DuckDBVector[] } {
    this.#chunk.reset();
    this.#chunk.rowCount = n; // also drops the chunk's own vector cache; the vectors kept here stay valid
    for (const m of this.#validity) m.data?.fill(0xffffffffffffffffn);
    return { chunk: this.#chunk, v: this.#v };
  }
}

const reused = new Map<readonly DuckDBType[], ReusedChunk | null>();

/** A chunk of `n` rows with the column `types` (one of the constant layouts above): the reused one when possible. */
function columns(types: readonly DuckDBType[], n: number): { chunk: DuckDBDataChunk; v: DuckDBVector[] } {
  let r = reused.get(types);
  if (r === undefined) {
    r = ReusedChunk.create(types) ?? null;
    reused.set(types, r);
  }
  if (r && n <= DuckDBVector.standardSize()) return r.take(n);
  const chunk = DuckDBDataChunk.create(types, n);
  return { chunk, v: types.map((_, i) => chunk.getColumnVector(i)) };
}

function finish(appender: DuckDBAppender, chunk: DuckDBDataChunk, v: DuckDBVector[]): void {
  for (const c of v) c.flush();
  appender.appendDataChunk(chunk);
}

/** Appends all rows; `tagIds[i]` is the database id of `rows.tags[i]`. */
export function appendSamples(
  appender: DuckDBAppender,
  rows: SampleRows,
  tagIds: readonly number[],
  chunkRows: number,
): void {
  for (let off = 0; off < rows.length; off += chunkRows) {
    const n = Math.min(chunkRows, rows.length - off);
    const { chunk, v } = columns(SAMPLE_TYPES, n);
    const [cTag, , , cValue, cText, cQuality, cStatus, cServer, cReason, cFlags] = v;
    const ts = timestampWriter(v[1]!);
    const recv = timestampWriter(v[2]!);
    const server = timestampWriter(cServer!);
    for (let j = 0; j < n; j++) {
      const i = off + j;
      cTag!.setItem(j, tagIds[rows.tag[i]!]!);
      ts(j, rows.ts[i]!);
      recv(j, rows.recv[i]!);
      const value = rows.value[i]!;
      cValue!.setItem(j, Number.isNaN(value) ? null : value);
      cText!.setItem(j, rows.text.get(i) ?? null);
      cQuality!.setItem(j, rows.quality[i]!);
      cStatus!.setItem(j, rows.status[i]!);
      const s = rows.serverTs[i]!;
      if (Number.isNaN(s)) cServer!.setItem(j, null);
      else server(j, s);
      cReason!.setItem(j, rows.reason.get(i) ?? null);
      cFlags!.setItem(j, rows.flags[i]!);
    }
    finish(appender, chunk, v);
  }
}

const num = (x: number) => (Number.isFinite(x) ? x : null);

/** Appends rollup rows of one interval table. */
export function appendRollups(
  appender: DuckDBAppender,
  rows: readonly (readonly [Rollup, number])[],
  idOf: (tag: string) => number,
  chunkRows: number,
): void {
  for (let off = 0; off < rows.length; off += chunkRows) {
    const n = Math.min(chunkRows, rows.length - off);
    const { chunk, v } = columns(ROLLUP_TYPES, n);
    const start = timestampWriter(v[1]!);
    for (let j = 0; j < n; j++) {
      const [r, origin] = rows[off + j]!;
      v[0]!.setItem(j, idOf(r.tag));
      start(j, r.start);
      v[2]!.setItem(j, BigInt(r.count));
      v[3]!.setItem(j, num(r.mean));
      v[4]!.setItem(j, num(r.std));
      v[5]!.setItem(j, num(r.min));
      v[6]!.setItem(j, num(r.max));
      v[7]!.setItem(j, num(r.p95));
      v[8]!.setItem(j, num(r.last));
      v[9]!.setItem(j, Number.isFinite(r.badShare) ? r.badShare : 0);
      v[10]!.setItem(j, origin);
    }
    finish(appender, chunk, v);
  }
}
