import assert from "node:assert/strict";
import { AGGREGATIONS } from "../../../core/mod.ts";
import { msg, near, series, startSink, stats } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);

Deno.test("series aggregates raw samples per step with every aggregation, epoch-aligned buckets", async () => {
  // Rollups off: a 500 ms step must come from raw samples.
  const h = await startSink({ compute_rollups: false });
  try {
    const all = series("m.v", T0, 50, 100, (i) => (i * 7919) % 101, (i) => (i % 17 === 0 ? 2 : 0));
    await h.sink.write([msg(all)]);
    for (const agg of AGGREGATIONS) {
      const [s] = await h.sink.reader.series({
        tags: ["m.v"],
        from: T0,
        to: T0 + 5000,
        step: 500,
        agg,
        maxPoints: 10,
      });
      assert.equal(s!.table, "raw");
      assert.equal(s!.points.length, 10);
      for (let k = 0; k < 10; k++) {
        const slice = all.slice(k * 10, k * 10 + 10);
        const good = slice.filter((x) => x.quality !== 2).map((x) => x.value as number);
        const st = stats(good);
        const expected = agg === "avg"
          ? st.mean
          : agg === "count"
          ? slice.length
          : agg === "last"
          ? good[good.length - 1]!
          : st[agg];
        assert.equal(s!.points[k]!.ts, T0 + k * 500);
        near(s!.points[k]!.value, expected, 1e-9, `${agg} bucket ${k}`);
      }
    }
  } finally {
    await h.close();
  }
});

Deno.test("series picks the coarsest rollup table whose interval is at most the step, raw without step", async () => {
  const h = await startSink();
  try {
    const all = series("c.v", T0, 1000, 7200, (i) => i % 50);
    for (let off = 0; off < all.length; off += 1000) await h.sink.write([msg(all.slice(off, off + 1000))]);
    await h.sink.stop();
    const h2 = await startSink({}, undefined, h.dir);
    try {
      const q = (step?: number) =>
        h2.sink.reader.series({
          tags: ["c.v"],
          from: T0,
          to: T0 + 7_200_000,
          ...(step ? { step } : {}),
          maxPoints: 20_000,
        });
      assert.equal((await q())[0]!.table, "raw");
      assert.equal((await q(500))[0]!.table, "raw");
      assert.equal((await q(1000))[0]!.table, "1s");
      assert.equal((await q(30_000))[0]!.table, "1s");
      assert.equal((await q(60_000))[0]!.table, "1m");
      assert.equal((await q(1_800_000))[0]!.table, "1m");
      const hourly = (await q(3_600_000))[0]!;
      assert.equal(hourly.table, "1h");
      near(hourly.points[0]!.value, 24.5, 1e-12, "hour mean");
      // Combining 1 s rollups into 10 s buckets keeps count and mean exact.
      const [c] = await h2.sink.reader.series({
        tags: ["c.v"],
        from: T0,
        to: T0 + 100_000,
        step: 10_000,
        agg: "count",
        maxPoints: 10,
      });
      assert.deepEqual(c!.points.map((p) => p.value), Array(10).fill(10));
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("series rejects queries over maxPoints with a RangeError saying how to narrow them", async () => {
  const h = await startSink();
  try {
    await h.sink.write([msg(series("r.v", T0, 10, 500, (i) => i))]);
    await assert.rejects(
      () => h.sink.reader.series({ tags: ["r.v"], from: T0, to: T0 + 5000, maxPoints: 100 }),
      (e) =>
        e instanceof RangeError && /500 points for r\.v, more than maxPoints 100/.test(e.message) &&
        /step of at least 50 ms/.test(e.message) && /shorter range/.test(e.message) &&
        /fewer tags/.test(e.message),
    );
    await assert.rejects(
      () =>
        h.sink.reader.series({ tags: ["r.v"], from: T0, to: T0 + 86_400_000, step: 60_000, maxPoints: 100 }),
      (e) => e instanceof RangeError && /1440 points/.test(e.message) && /864000 ms/.test(e.message),
    );
    const ok = await h.sink.reader.series({ tags: ["r.v"], from: T0, to: T0 + 5000, maxPoints: 500 });
    assert.equal(ok[0]!.points.length, 500);
  } finally {
    await h.close();
  }
});

Deno.test("series names bad arguments: unknown tags, reversed range, bad step, agg and maxPoints", async () => {
  const h = await startSink();
  try {
    await h.sink.write([msg(series("k.v", T0, 10, 5, (i) => i))]);
    const r = h.sink.reader;
    await assert.rejects(
      () => r.series({ tags: ["k.v", "nope"], from: T0, to: T0 + 1, maxPoints: 1 }),
      /unknown tag "nope"/,
    );
    await assert.rejects(() => r.series({ tags: ["k.v"], from: T0 + 1, to: T0, maxPoints: 1 }), RangeError);
    await assert.rejects(
      () => r.series({ tags: ["k.v"], from: T0, to: T0 + 1, step: -5, maxPoints: 1 }),
      /step must be positive/,
    );
    await assert.rejects(
      () => r.series({ tags: ["k.v"], from: T0, to: T0 + 1, step: 1, agg: "median" as never, maxPoints: 1 }),
      /agg must be one of avg, min, max, last, count, p95/,
    );
    await assert.rejects(() => r.series({ tags: ["k.v"], from: T0, to: T0 + 1, maxPoints: 0 }), /maxPoints/);
    await assert.rejects(
      () => r.series({ tags: [], from: T0, to: T0 + 1, maxPoints: 1 }),
      /at least one tag/,
    );
    await assert.rejects(
      () => r.series({ tags: ["k.v'; DROP TABLE samples; --"], from: T0, to: T0 + 1, maxPoints: 1 }),
      /unknown tag/,
    );
    assert.equal(
      (await r.series({ tags: ["k.v"], from: T0, to: T0 + 100, maxPoints: 10 }))[0]!.points.length,
      5,
    );
  } finally {
    await h.close();
  }
});
