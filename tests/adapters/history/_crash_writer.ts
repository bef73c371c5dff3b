/**
 * @module Child process for the crash test: writes numbered batches to a history store and prints
 * `committed <id>` after each write resolved, until it is killed.
 */
import { HistorySink } from "../../../adapters/history/sink.ts";
import { config, makeCtx } from "./_helpers.ts";

const path = Deno.args[0]!;
const perBatch = Number(Deno.args[1] ?? 500);
const sink = new HistorySink(config({ path, checkpoint: { interval_s: 0.5, wal_mb: 1 } }));
const dir = path.slice(0, path.lastIndexOf("/"));
await sink.start(makeCtx(dir));
const out = Deno.stdout;
const enc = new TextEncoder();
const T0 = Date.UTC(2026, 10, 1);
for (let id = 1;; id++) {
  const samples = Array.from({ length: perBatch }, (_, i) => ({
    tag: `crash.t${i % 4}`,
    value: id,
    ts: T0 + id * 1000 + i,
    recv: T0 + id * 1000 + i,
    quality: 0 as const,
    status: 0,
  }));
  await sink.write([
    { kind: "samples", samples },
    {
      kind: "event",
      event: { ts: T0 + id, type: "test.batch", component: "crash", level: "info", message: `batch ${id}` },
    },
  ]);
  out.writeSync(enc.encode(`committed ${id}\n`));
}
