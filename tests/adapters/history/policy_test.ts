import assert from "node:assert/strict";
import { globMatcher, RawPolicy } from "../../../adapters/history/policy.ts";
import { msg, near, series, startSink, stats } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

Deno.test("raw policy globs resolve per tag, first rule wins, every_nth counts across batches", () => {
  assert.ok(globMatcher("plant.*vib*")("plant.pump1_vib_x"));
  assert.ok(!globMatcher("plant.*vib*")("plant.temp"));
  assert.ok(globMatcher("a?c")("abc"));
  assert.ok(!globMatcher("a.c")("abc"), "dots are literal");
  const p = new RawPolicy([
    { tags: ["*.vib*"], mode: "every_nth", n: 4 },
    { tags: ["*.debug"], mode: "rollups_only", n: 10 },
    { tags: ["*"], mode: "all", n: 10 },
  ]);
  assert.equal(p.policyOf("p.vib_x").mode, "every_nth");
  assert.equal(p.policyOf("p.debug").mode, "rollups_only");
  assert.equal(p.policyOf("p.t").mode, "all");
  const kept: number[] = [];
  let seen = 0;
  for (const n of [3, 5, 1, 7]) {
    const k = p.keep("p.vib_x", n);
    for (let i = k.start; i < n; i += k.stride) kept.push(seen + i);
    assert.equal(k.kept, Math.max(0, Math.ceil((n - k.start) / k.stride)));
    seen += n;
  }
  assert.deepEqual(kept, [0, 4, 8, 12]);
});

Deno.test("history decimates raw values per policy while rollups still cover every value", async () => {
  const h = await startSink({
    raw: [{ tags: ["d.slow*"], mode: "every_nth", n: 3 }, { tags: ["d.quiet"], mode: "rollups_only" }],
    blocks: [{ tags: ["d.vib"], mode: "every_nth", n: 100 }],
  });
  try {
    const block = (k: number) => ({
      kind: "block" as const,
      block: {
        tag: "d.vib",
        t0: T0 + k * 1000,
        dt: 1000 / 2560,
        values: Float64Array.from(
          { length: 2560 },
          (_, i) => Math.sin((2 * Math.PI * 50 * (k * 2560 + i)) / 2560),
        ),
        recv: T0 + k * 1000 + 1000,
        quality: 0 as const,
        status: 0,
      },
    });
    await h.sink.write([
      msg(series("d.slow1", T0, 100, 10, (i) => i)),
      msg(series("d.quiet", T0, 100, 10, (i) => i)),
      block(0),
    ]);
    await h.sink.write([msg(series("d.slow1", T0 + 1000, 100, 10, (i) => 10 + i)), block(1), block(2)]);
    const r = h.sink.reader;
    const [slow] = await r.series({ tags: ["d.slow1"], from: T0, to: T0 + 5000, maxPoints: 100 });
    assert.deepEqual(slow!.points.map((p) => p.value), [0, 3, 6, 9, 12, 15, 18]);
    const [quiet] = await r.series({ tags: ["d.quiet"], from: T0, to: T0 + 5000, maxPoints: 100 });
    assert.equal(quiet!.points.length, 0);
    const [vib] = await r.series({ tags: ["d.vib"], from: T0, to: T0 + 5000, maxPoints: 1000 });
    assert.equal(vib!.points.length, Math.ceil(2560 * 3 / 100));
    near(vib!.points[1]!.ts - vib!.points[0]!.ts, 100 * 1000 / 2560, 1e-3, "block decimation spacing");
    const detail = h.sink.health().details!;
    assert.ok(Number(detail.rows_written) > 0);
    const decimated = h.ctx.metrics.counter("gateway_history_values_decimated_total", "");
    assert.equal(decimated.get({ sink: "history", kind: "sample" }), (20 - 7) + 10, "single samples");
    assert.equal(decimated.get({ sink: "history", kind: "block" }), 7680 - 77, "block values");
    await h.sink.stop();
    const h2 = await startSink({}, undefined, h.dir);
    try {
      const [q1] = await h2.sink.reader.series({
        tags: ["d.quiet"],
        from: T0,
        to: T0 + 1000,
        step: 1000,
        agg: "count",
        maxPoints: 1,
      });
      assert.equal(q1!.table, "1s");
      assert.equal(q1!.points[0]!.value, 10, "rollups_only tags still get rollups");
      const [v1] = await h2.sink.reader.series({
        tags: ["d.vib"],
        from: T0,
        to: T0 + 3000,
        step: 1000,
        agg: "max",
        maxPoints: 3,
      });
      const expected = stats(Array.from(block(1).block.values)).max;
      near(v1!.points[1]!.value, expected, 1e-12, "block rollup max over every value");
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("rollup messages are stored as they come and the store stops computing that tag's rollups", async () => {
  const h = await startSink();
  try {
    await h.sink.write([
      {
        kind: "rollup",
        rollup: {
          tag: "x.t",
          interval: "1m",
          start: T0,
          count: 60,
          mean: 5,
          std: 1,
          min: 2,
          max: 9,
          p95: 8,
          last: 6,
          badShare: 0.5,
        },
      },
      msg(series("x.t", T0, 1000, 120, () => 100)),
    ]);
    await h.sink.stop();
    const h2 = await startSink({}, undefined, h.dir);
    try {
      const [m] = await h2.sink.reader.series({
        tags: ["x.t"],
        from: T0,
        to: T0 + 120_000,
        step: 60_000,
        agg: "max",
        maxPoints: 2,
      });
      assert.equal(m!.table, "1m");
      assert.deepEqual(
        m!.points,
        [{ ts: T0, value: 9, quality: 1 }],
        "only the received rollup; none computed",
      );
      const [raw] = await h2.sink.reader.series({
        tags: ["x.t"],
        from: T0,
        to: T0 + 120_000,
        maxPoints: 200,
      });
      assert.equal(raw!.points.length, 120);
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});
