import assert from "node:assert/strict";
import { openDb } from "../../../adapters/history/db.ts";
import { msg, series, startSink } from "./_helpers.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

Deno.test("retention deletes rows older than each table's age limit and keeps active alerts", async () => {
  const clock = { now: NOW };
  const h = await startSink({ retention: { raw_days: 2, events_days: 1, alerts_days: 1 } }, clock);
  try {
    const old = NOW - 3 * DAY;
    await h.sink.write([
      msg(series("a.v", old, 1000, 10, (i) => i)),
      msg(series("a.v", NOW - 1000, 100, 5, (i) => i)),
      {
        kind: "event",
        event: { ts: NOW - 2 * DAY, type: "x.old", component: "t", level: "info", message: "old" },
      },
      {
        kind: "event",
        event: { ts: NOW - 1000, type: "x.new", component: "t", level: "info", message: "new" },
      },
      {
        kind: "alert",
        alert: {
          id: "old-active",
          asset: "p",
          kind: "anomaly",
          severity: "warning",
          state: "active",
          acknowledged: false,
          raisedAt: old,
          message: "m",
          contributions: [],
        },
      },
      {
        kind: "alert",
        alert: {
          id: "old-cleared",
          asset: "p",
          kind: "anomaly",
          severity: "warning",
          state: "cleared",
          acknowledged: false,
          raisedAt: old,
          clearedAt: old + 5,
          message: "m",
          contributions: [],
        },
      },
    ]);
    await h.sink.maintain();
    const r = h.sink.reader;
    const s = await r.series({ tags: ["a.v"], from: 0, to: NOW + DAY, maxPoints: 100 });
    assert.deepEqual(s[0]!.points.map((p) => p.ts), [0, 1, 2, 3, 4].map((i) => NOW - 1000 + i * 100));
    assert.deepEqual((await r.events({ limit: 10 })).items.map((e) => e.type), ["x.new"]);
    assert.deepEqual((await r.alerts({ limit: 10 })).items.map((a) => a.id), ["old-active"]);
    const details = h.sink.health().details!;
    assert.equal((details.retention_deleted as Record<string, number>).samples, 10);
  } finally {
    await h.close();
  }
});

Deno.test("retention keeps the database within its disk budget by deleting the oldest raw samples first", async () => {
  const clock = { now: NOW };
  const budgetMb = 3;
  const h = await startSink(
    { retention: { raw_days: 0, max_db_mb: budgetMb }, compute_rollups: false },
    clock,
  );
  try {
    // ~12 MB of poorly compressible samples over 10 days.
    const start = NOW - 10 * DAY;
    const n = 600_000;
    for (let off = 0; off < n; off += 100_000) {
      const part = series(
        "b.v",
        start + off * (10 * DAY / n),
        10 * DAY / n,
        100_000,
        (i) => Math.sin(i * 12.9898 + off) * 43758.5453 % 1,
      );
      await h.sink.write([msg(part), msg(series("keep.v", NOW - 1000, 10, 3, (i) => i))]);
    }
    const size = async (f: string) => (await Deno.stat(f).catch(() => ({ size: 0 }))).size;
    const before = await size(`${h.dir}/history.duckdb`) + await size(`${h.dir}/history.duckdb.wal`);
    assert.ok(before > budgetMb * 1024 * 1024, `the test must exceed the budget first (${before} bytes)`);
    await h.sink.maintain();
    const db = h.sink.health().details!;
    assert.ok(
      Number(db.db_used_bytes) + Number(db.wal_bytes) <= budgetMb * 1024 * 1024,
      `used ${db.db_used_bytes}`,
    );
    // The buffer manager's figure is reported too, and stays within the sink's memory limit (512 MiB default).
    assert.ok(
      Number(db.memory_bytes) > 0 && Number(db.memory_bytes) <= 512 * 2 ** 20,
      `memory ${db.memory_bytes}`,
    );
    const deleted = (db.retention_deleted as Record<string, number>).samples ?? 0;
    assert.ok(deleted > 0 && deleted < n, `deleted ${deleted}`);
    const [kept] = await h.sink.reader.series({
      tags: ["b.v"],
      from: start,
      to: NOW,
      step: DAY,
      agg: "count",
      maxPoints: 20,
    });
    const days = kept!.points.filter((p) => (p.value ?? 0) > 0).map((p) => p.ts);
    assert.ok(days[0]! > start + DAY, "the oldest day went first");
    assert.equal(
      days[days.length - 1],
      Math.floor((NOW - DAY / 2) / DAY) * DAY,
      "the newest day is still there",
    );
  } finally {
    await h.close();
  }
});

Deno.test("compaction merges rollup rows of one bucket written before and after a restart", async () => {
  const clock = { now: NOW };
  const h = await startSink({}, clock);
  const t0 = Math.floor(NOW / 60_000) * 60_000;
  try {
    await h.sink.write([msg(series("r.v", t0, 1000, 20, () => 1))]);
    await h.sink.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      await h2.sink.write([msg(series("r.v", t0 + 20_000, 1000, 40, () => 4))]);
      clock.now = t0 + 3 * 3_600_000;
      await h2.sink.maintain();
      await h2.sink.maintain();
      const [m] = await h2.sink.reader.series({
        tags: ["r.v"],
        from: t0,
        to: t0 + 60_000,
        step: 60_000,
        agg: "avg",
        maxPoints: 1,
      });
      assert.equal(m!.table, "1m");
      assert.equal(m!.points.length, 1);
      assert.equal(m!.points[0]!.value, (20 * 1 + 40 * 4) / 60);
    } finally {
      await h2.close();
    }
    const db = await openDb(`${h.dir}/history.duckdb`);
    try {
      const r = await db.read.runAndReadAll(
        "SELECT count(*)::INTEGER n, sum(count)::INTEGER c, max(std) s FROM rollups_1m",
      );
      const row = r.getRowObjectsJS()[0]!;
      assert.equal(row.n, 1);
      assert.equal(row.c, 60);
      const mean = 3;
      const expectedStd = Math.sqrt((20 * (1 - mean) ** 2 + 40 * (4 - mean) ** 2) / 60);
      assert.ok(Math.abs(Number(row.s) - expectedStd) < 1e-9, `pooled std ${row.s} vs ${expectedStd}`);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});
