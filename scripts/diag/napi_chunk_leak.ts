/**
 * @module Reproduces the Deno Node-API leak the history appender works around (see docs/history.md): creates
 * DuckDB data chunks in rounds, lets finalizers run between rounds, and prints RSS and the V8 heap. Under Deno
 * 2.9.6 RSS grows ~330 B per chunk while the heap stays flat; the same loop under Node.js stays flat.
 *
 * Run: `deno run --allow-env --allow-ffi --allow-read scripts/diag/napi_chunk_leak.ts [chunks per round]`
 */
import { DOUBLE, DuckDBDataChunk, INTEGER, TIMESTAMP } from "@duckdb/node-api";

const perRound = Number(Deno.args[0] ?? 20_000);
if (!Number.isInteger(perRound) || perRound < 1) {
  throw new RangeError(`chunks per round: got "${Deno.args[0]}"`);
}
const types = [INTEGER, TIMESTAMP, DOUBLE];
const mb = (n: number) => (n / 1048576).toFixed(1);
for (let round = 0; round <= 20; round++) {
  for (let i = 0; i < perRound; i++) DuckDBDataChunk.create(types, 16).getColumnVector(0);
  await new Promise((r) => setTimeout(r, 50));
  const m = Deno.memoryUsage();
  if (round % 4 === 0) {
    console.log(`chunks ${round * perRound}: rss ${mb(m.rss)} MB, V8 heap ${mb(m.heapTotal)} MB`);
  }
}
