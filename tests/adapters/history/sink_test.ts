import assert from "node:assert/strict";
import { HISTORY_CAPABILITY, type HistoryReader, RetryableError } from "../../../core/mod.ts";
import { msg, near, series, startSink, stats } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);

Deno.test("history stores raw samples with source and receive timestamps, quality, status and reason", async () => {
  const h = await startSink();
  try {
    await h.sink.write([msg([
      { tag: "a.temp", value: 21.5, ts: T0, recv: T0 + 7, quality: 0, status: 0, serverTs: T0 + 3 },
      {
        tag: "a.temp",
        value: 0,
        ts: T0 + 1000,
        recv: T0 + 1009,
        quality: 2,
        status: 0x800a0000,
        reason: "timeout",
      },
      { tag: "a.mode", value: "auto", ts: T0, recv: T0 + 1, quality: 0, status: 0 },
    ])]);
    const reader = h.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
    const [s] = await reader.series({ tags: ["a.temp"], from: T0, to: T0 + 2000, maxPoints: 10 });
    assert.equal(s!.table, "raw");
    assert.deepEqual(s!.points, [{ ts: T0, value: 21.5, quality: 0 }, {
      ts: T0 + 1000,
      value: 0,
      quality: 2,
    }]);
    const out = `${h.dir}/all.csv`;
    const r = await reader.exportRange({ from: T0, to: T0 + 2000, format: "csv", path: out });
    assert.equal(r.rows, 3);
    const csv = await Deno.readTextFile(out);
    assert.match(csv, /a\.temp,.*2026-11-20 08:00:01.*,,0\.0,,2,2148139008,timeout/);
    assert.match(csv, /a\.mode,.*,auto,0,0,/);
  } finally {
    await h.close();
  }
});

Deno.test("history computes 1 s / 1 min / 1 h rollups from the raw stream, matching independent statistics", async () => {
  const clock = { now: T0 };
  const h = await startSink({}, clock);
  try {
    // 3 minutes at 10 Hz with every 10th sample Bad.
    const values = (i: number) => 50 + 10 * Math.sin(i / 7) + (i % 13);
    const all = series("p.flow", T0, 100, 1800, values, (i) => (i % 10 === 9 ? 2 : 0));
    for (let off = 0; off < all.length; off += 250) await h.sink.write([msg(all.slice(off, off + 250))]);
    clock.now = T0 + 3 * 3_600_000;
    await h.sink.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      const r = h2.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
      const [m] = await r.series({
        tags: ["p.flow"],
        from: T0,
        to: T0 + 180_000,
        step: 60_000,
        agg: "avg",
        maxPoints: 10,
      });
      assert.equal(m!.table, "1m");
      assert.equal(m!.points.length, 3);
      for (let k = 0; k < 3; k++) {
        const good = all.slice(k * 600, (k + 1) * 600).filter((s) => s.quality !== 2).map((s) =>
          s.value as number
        );
        near(m!.points[k]!.value, stats(good).mean, 1e-9, `minute ${k} mean`);
        assert.equal(m!.points[k]!.quality, 1, "some samples bad");
      }
      for (const agg of ["min", "max", "p95", "count", "last"] as const) {
        const [x] = await r.series({
          tags: ["p.flow"],
          from: T0,
          to: T0 + 180_000,
          step: 60_000,
          agg,
          maxPoints: 10,
        });
        for (let k = 0; k < 3; k++) {
          const slice = all.slice(k * 600, (k + 1) * 600);
          const good = slice.filter((s) => s.quality !== 2).map((s) => s.value as number);
          const st = stats(good);
          const expected = agg === "count" ? 600 : agg === "last" ? good[good.length - 1]! : st[agg];
          // 540 good values per minute, above rollup_exact_values (256): p95 from the sketch, within 0.5 % of
          // an order statistic next to the interpolated p95.
          const sorted = good.toSorted((a, b) => a - b);
          const lo = Math.floor(0.95 * (sorted.length - 1));
          const eps = agg === "p95" ? 0.005 * Math.abs(expected) + (sorted[lo + 1]! - sorted[lo]!) : 1e-9;
          near(x!.points[k]!.value, expected, eps, `minute ${k} ${agg}`);
        }
      }
      const [sec] = await r.series({
        tags: ["p.flow"],
        from: T0,
        to: T0 + 5000,
        step: 1000,
        agg: "max",
        maxPoints: 10,
      });
      assert.equal(sec!.table, "1s");
      near(
        sec!.points[2]!.value,
        stats(all.slice(20, 30).filter((s) => s.quality !== 2).map((s) => s.value as number)).max,
      );
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("history reports an unwritable database path clearly, keeps running and retries", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_ro_" });
  try {
    await Deno.writeTextFile(`${dir}/not_a_dir`, "x");
    const h = await startSink({ path: `${dir}/not_a_dir/sub/history.duckdb` });
    try {
      const health = h.sink.health();
      assert.equal(health.state, "reconnecting");
      assert.match(
        health.lastError ?? "",
        /history database .*not_a_dir\/sub\/history\.duckdb cannot be opened/,
      );
      await assert.rejects(
        () => h.sink.write([msg(series("x", T0, 1000, 3, (i) => i))]),
        (e) => e instanceof RetryableError && /cannot be opened/.test(e.message),
      );
      const reader = h.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
      await assert.rejects(
        () => reader.series({ tags: ["x"], from: T0, to: T0 + 1, maxPoints: 1 }),
        /cannot be opened/,
      );
      assert.equal(h.sink.health().details?.write_errors, 0, "open failures are not write errors");
      // The operator fixes the path: the retried write succeeds and nothing of the batch is lost.
      await Deno.remove(`${dir}/not_a_dir`);
      await h.sink.write([msg(series("x", T0, 1000, 3, (i) => i))]);
      assert.equal(h.sink.health().state, "connected");
      assert.deepEqual(h.ctx.events.map((e) => e.type), ["history.unavailable", "history.recovered"]);
      const [s] = await reader.series({ tags: ["x"], from: T0, to: T0 + 5000, maxPoints: 5 });
      assert.deepEqual(s!.points.map((p) => p.value), [0, 1, 2]);
    } finally {
      await h.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history stores a batch around malformed records and keeps each one as an event naming the problem", async () => {
  const h = await startSink();
  try {
    await h.sink.write([
      msg([
        { tag: "ok.t", value: 1, ts: T0, recv: T0, quality: 0, status: 0 },
        { tag: "ok.t", value: 2, ts: Number.NaN, recv: T0, quality: 0, status: 0 },
        { tag: "ok.t", value: { no: 1 } as never, ts: T0 + 1, recv: T0, quality: 0, status: 0 },
      ]),
      {
        kind: "event",
        event: { ts: T0, type: undefined as never, component: "x", level: "info", message: "m" },
      },
      { kind: "event", event: { ts: T0, type: "good.one", component: "x", level: "info", message: "fine" } },
      {
        kind: "block",
        block: { tag: "v", t0: T0, dt: 0, values: new Float64Array(4), recv: T0, quality: 0, status: 0 },
      },
    ]);
    const [s] = await h.sink.reader.series({ tags: ["ok.t"], from: T0 - 1, to: T0 + 10, maxPoints: 10 });
    assert.deepEqual(s!.points.map((p) => p.value), [1]);
    const rejected = await h.sink.reader.events({ limit: 10, type: "history.rejected" });
    assert.equal(rejected.items.length, 4);
    const messages = rejected.items.map((e) => e.message).sort();
    assert.match(messages[0]!, /malformed block record not stored: .*dt > 0/);
    assert.match(messages[1]!, /malformed event record not stored: type and component must be strings/);
    assert.match(messages[2]!, /malformed sample record not stored/);
    assert.equal((await h.sink.reader.events({ limit: 10, type: "good" })).items.length, 1);
    assert.equal(h.sink.health().details?.rejected, 4);
  } finally {
    await h.close();
  }
});

Deno.test("a commit that fails once while the database works is split and stored whole, rollups counted once", async () => {
  const clock = { now: T0 };
  const h = await startSink({}, clock);
  try {
    // The tag metadata lookup runs inside the transaction: make it fail once, after rows were appended.
    const real = h.ctx.tags.get.bind(h.ctx.tags);
    let failures = 1;
    h.ctx.tags.get = (id: string) => {
      if (failures-- > 0) throw new Error("metadata lookup failed");
      return real(id);
    };
    const batch = [msg(series("f.t", T0, 100, 20, (i) => i))];
    // The probe succeeds, so the batch is split: its parts commit (the failure does not recur), none is refused.
    await h.sink.write(batch);
    assert.ok(failures <= 0, "the first commit failed");
    assert.equal(h.sink.health().details?.quarantined, 0);
    assert.equal(h.sink.health().details?.write_errors, 0);
    assert.equal(h.sink.health().state, "connected");
    clock.now = T0 + 4 * 3_600_000;
    await h.sink.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      const [raw] = await h2.sink.reader.series({ tags: ["f.t"], from: T0, to: T0 + 5000, maxPoints: 100 });
      assert.equal(raw!.points.length, 20, "no rows from the failed attempt");
      const [c] = await h2.sink.reader.series({
        tags: ["f.t"],
        from: T0,
        to: T0 + 2000,
        step: 1000,
        agg: "count",
        maxPoints: 2,
      });
      assert.equal(c!.table, "1s");
      assert.deepEqual(c!.points.map((p) => p.value), [10, 10]);
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});
