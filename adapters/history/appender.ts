/**
 * @module Appends staged sample rows to DuckDB as data chunks (the appender's fast path).
 */
import {
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  type DuckDBType,
  INTEGER,
  TIMESTAMP,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from "@duckdb/node-api";
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

const ts = (ms: number) => new DuckDBTimestampValue(BigInt(Math.round(ms * 1000)));

/** Appends all rows; `tagIds[i]` is the database id of `rows.tags[i]`. */
export function appendSamples(
  appender: DuckDBAppender,
  rows: SampleRows,
  tagIds: readonly number[],
  chunkRows: number,
): void {
  for (let off = 0; off < rows.length; off += chunkRows) {
    const n = Math.min(chunkRows, rows.length - off);
    const chunk = DuckDBDataChunk.create(SAMPLE_TYPES, n);
    const [cTag, cTs, cRecv, cValue, cText, cQuality, cStatus, cServer, cReason, cFlags] = SAMPLE_TYPES.map(
      (_, i) => chunk.getColumnVector(i),
    );
    for (let j = 0; j < n; j++) {
      const i = off + j;
      cTag!.setItem(j, tagIds[rows.tag[i]!]!);
      cTs!.setItem(j, ts(rows.ts[i]!));
      cRecv!.setItem(j, ts(rows.recv[i]!));
      const v = rows.value[i]!;
      cValue!.setItem(j, Number.isNaN(v) ? null : v);
      cText!.setItem(j, rows.text.get(i) ?? null);
      cQuality!.setItem(j, rows.quality[i]!);
      cStatus!.setItem(j, rows.status[i]!);
      const s = rows.serverTs[i]!;
      cServer!.setItem(j, Number.isNaN(s) ? null : ts(s));
      cReason!.setItem(j, rows.reason.get(i) ?? null);
      cFlags!.setItem(j, rows.flags[i]!);
    }
    for (let c = 0; c < SAMPLE_TYPES.length; c++) chunk.getColumnVector(c).flush();
    appender.appendDataChunk(chunk);
  }
}
