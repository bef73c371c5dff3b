import assert from "node:assert/strict";
import { HISTORY_CAPABILITY, type HistoryReader, type Sample } from "../../../core/mod.ts";
import { startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

Deno.test("the first batch of a 12,000-item server (every tag new, with metadata) commits within a 64 MiB database", async () => {
  const h = await startSink({ memory_limit_mb: 64, threads: 1, checkpoint: { wal_mb: 8 } });
  try {
    const tags = 12_000;
    for (let t = 0; t < tags; t++) {
      h.ctx.tags.define({
        id: `ua.Item${t}`,
        source: "ua",
        dataType: "float",
        unit: "bar",
        description: `item ${t}`,
        address: `ns=1;s=Plant.Item${t}`,
      });
    }
    const samples: Sample[] = Array.from({ length: tags }, (_, t) => ({
      tag: `ua.Item${t}`,
      value: t,
      ts: T0,
      recv: T0 + 1,
      quality: 0,
      status: 0,
    }));
    await h.sink.write([{ kind: "samples", samples }]);
    assert.equal(h.sink.health().details?.["write_errors"], 0);
    // A metadata change is stored on the next write; unchanged tags are not rewritten.
    h.ctx.tags.define({ id: "ua.Item7", source: "ua", dataType: "float", unit: "kPa" });
    await h.sink.write([{ kind: "samples", samples: [{ ...samples[7]!, ts: T0 + 1000 }] }]);
    const reader = h.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
    const [s] = await reader.series({ tags: ["ua.Item11999"], from: T0, to: T0 + 1, maxPoints: 10 });
    assert.deepEqual(s!.points.map((p) => p.value), [11999]);
    const out = `${h.dir}/tags.csv`;
    await reader.exportRange({ from: T0, to: T0 + 2000, tags: ["ua.Item7"], format: "csv", path: out });
    assert.match(await Deno.readTextFile(out), /ua\.Item7,,kPa,/);
  } finally {
    await h.close();
  }
});
