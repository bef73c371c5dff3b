import assert from "node:assert/strict";
import type { Message, Sample } from "../../../core/mod.ts";
import { type OpenDb, openDb } from "../../../adapters/history/db.ts";
import { msg, series, startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
/** The range of a JavaScript Date: ±8.64e15 ms from the epoch. */
const EDGE = 8.64e15;
const FAR = 9e15;
const RANGE = "must be a finite timestamp within ±8.64e15 ms (the JavaScript Date range)";

const sample = (over: Record<string, unknown>): Message => ({
  kind: "samples",
  samples: [{ tag: "bad.s", value: 1, ts: T0, recv: T0, quality: 0, status: 0, ...over }],
});
const block = (over: Record<string, unknown>): Message => ({
  kind: "block",
  block: {
    tag: "bad.b",
    t0: T0,
    dt: 1,
    values: new Float64Array(4),
    recv: T0,
    quality: 0,
    status: 0,
    ...over,
  },
});
const event = (ts: number, type = "bad.event"): Message => ({
  kind: "event",
  event: { ts, type, component: "test", level: "info", message: type },
});
const score = (ts: number): Message => ({
  kind: "score",
  score: {
    asset: "a",
    detector: "d",
    version: "1",
    ts,
    score: 1,
    threshold: 2,
    anomalous: false,
    contributions: [],
  },
});
const alert = (raisedAt: number, clearedAt?: number): Message => ({
  kind: "alert",
  alert: {
    id: `al-${raisedAt}-${clearedAt}`,
    asset: "a",
    kind: "threshold",
    severity: "warning",
    state: clearedAt === undefined ? "active" : "cleared",
    acknowledged: false,
    raisedAt,
    ...(clearedAt === undefined ? {} : { clearedAt }),
    message: "m",
    contributions: [],
  },
});
const features = (windowStart: number, windowEnd: number, computedAt: number): Message => ({
  kind: "features",
  features: {
    asset: "a",
    windowStart,
    windowEnd,
    computedAt,
    schemaVersion: 1,
    features: { rms: 1 },
    quality: { worst: "good", goodShare: 1 },
  },
});
const rollup = (tag: string, start: number): Message => ({
  kind: "rollup",
  rollup: {
    tag,
    interval: "1h",
    start,
    count: 3,
    mean: 2,
    std: 1,
    min: 1,
    max: 3,
    p95: 3,
    last: 3,
    badShare: 0,
  },
});

/** Each record with one timestamp out of range, the kind and field its rejection names, and the value. */
const OUT_OF_RANGE: [Message, string, string, number][] = [
  [event(FAR), "event", "ts", FAR],
  [event(-FAR), "event", "ts", -FAR],
  [event(1e17), "event", "ts", 1e17],
  [score(FAR), "score", "ts", FAR],
  [alert(FAR), "alert", "raisedAt", FAR],
  [alert(T0, -FAR), "alert", "clearedAt", -FAR],
  [features(FAR, T0, T0), "features", "windowStart", FAR],
  [features(T0, FAR, T0), "features", "windowEnd", FAR],
  [features(T0, T0, -FAR), "features", "computedAt", -FAR],
  [rollup("bad.r", FAR), "rollup", "start", FAR],
  [sample({ ts: FAR }), "sample", "ts", FAR],
  [sample({ recv: -FAR }), "sample", "recv", -FAR],
  [sample({ serverTs: FAR }), "sample", "serverTs", FAR],
  [block({ t0: FAR }), "block", "t0", FAR],
  [block({ recv: FAR }), "block", "recv", FAR],
  // t0 is inside, the last of its 4 values (t0 + 3 ms) is not.
  [block({ t0: EDGE - 1 }), "block", "t0 + 3 * dt (the time of the last value)", EDGE + 2],
];

/** Runs `fn` on the database file of a stopped sink. */
async function withDb(dir: string, fn: (db: OpenDb) => Promise<void>): Promise<void> {
  const db = await openDb(`${dir}/history.duckdb`);
  try {
    await fn(db);
  } finally {
    db.close();
  }
}

Deno.test("a timestamp beyond ±8.64e15 ms in any record kind is rejected before the commit: not stored, counted, the field and the range named", async () => {
  const h = await startSink({}, { now: T0 });
  try {
    // Out of range, a block is not rolled up by the intake fast path either: it goes to the checks.
    assert.equal(h.sink.intake(block({ t0: FAR })), false);
    const good = series("good.t", T0, 100, 5, (i) => i);
    await h.sink.write([msg(good), ...OUT_OF_RANGE.map(([m]) => m), event(T0, "good.event")]);

    // Newest first: the same ts, so by descending id, the reverse of the order they were written in.
    const rejected = (await h.sink.reader.events({ limit: 100, type: "history.rejected" })).items
      .toReversed();
    assert.deepEqual(
      rejected.map((e) => e.message),
      OUT_OF_RANGE.map(([, kind, field, v]) =>
        `malformed ${kind} record not stored: ${field} ${RANGE}, got ${v}`
      ),
    );
    assert.deepEqual(
      rejected.map((e) => (e.data as { kind: string }).kind),
      OUT_OF_RANGE.map(([, kind]) => kind),
    );
    assert.ok(rejected.every((e) => e.level === "warn"));
    const counted = h.ctx.metrics.counter("gateway_history_rejected_total", "").get({ sink: "history" });
    assert.equal(counted, OUT_OF_RANGE.length);
    assert.equal(h.sink.health().details?.rejected, OUT_OF_RANGE.length);
    // Rejected by the checks, not refused by DuckDB: nothing is quarantined and the database never failed.
    assert.equal(h.sink.health().details?.quarantined, 0);
    assert.equal(h.sink.health().details?.write_errors, 0);
    assert.equal(h.sink.health().state, "connected");

    // Every read works (a stored out-of-range row would break it) and holds only the good records.
    assert.deepEqual((await h.sink.reader.events({ limit: 10, type: "good" })).items.map((e) => e.ts), [T0]);
    assert.equal((await h.sink.reader.events({ limit: 10, type: "bad" })).items.length, 0);
    assert.equal((await h.sink.reader.scores({ limit: 10 })).items.length, 0);
    assert.equal((await h.sink.reader.alerts({ limit: 10 })).items.length, 0);
    assert.equal((await h.sink.reader.features({ limit: 10 })).items.length, 0);
    const [s] = await h.sink.reader.series({ tags: ["good.t"], from: T0, to: T0 + 1000, maxPoints: 10 });
    assert.deepEqual(s!.points.map((p) => p.value), [0, 1, 2, 3, 4]);

    // After stop (pending rollups flushed): no row of a rejected record, no timestamp out of range anywhere.
    await h.sink.stop();
    await withDb(h.dir, async (db) => {
      const count = async (sql: string) => Number((await db.read.runAndReadAll(sql)).getRowObjectsJS()[0]!.n);
      const tags = (await db.read.runAndReadAll("SELECT tag FROM tags ORDER BY tag")).getRowObjectsJS();
      assert.deepEqual(tags.map((r) => r.tag), ["good.t"]);
      assert.equal(await count("SELECT count(*) AS n FROM samples"), 5);
      assert.ok(await count("SELECT count(*) AS n FROM rollups_1s") > 0, "the good tag's rollups are stored");
      const timed = {
        rollups_1s: "start",
        rollups_1m: "start",
        rollups_1h: "start",
        events: "ts",
        samples: "ts",
      };
      for (const [table, col] of Object.entries(timed)) {
        const sql = `SELECT count(*) AS n FROM ${table} WHERE abs(epoch_ms(${col})) > ${EDGE}`;
        assert.equal(await count(sql), 0, table);
      }
    });
  } finally {
    await h.close();
  }
});

Deno.test("timestamps at the edge of the range (±8.64e15 ms) are stored in every record kind and read back exactly", async () => {
  // Raw block values are kept (the default keeps only their rollups); raw samples are kept whatever their age.
  const h = await startSink({ blocks: [{ tags: ["*"], mode: "all" }], retention: { raw_days: 0 } }, {
    now: T0,
  });
  try {
    const edgeSample = {
      tag: "edge.s",
      value: 7,
      ts: EDGE,
      recv: EDGE,
      serverTs: -EDGE,
      quality: 0,
      status: 0,
    };
    const pastSample = { tag: "edge.s", value: 6, ts: -EDGE, recv: -EDGE, quality: 0, status: 0 };
    // 1024 ms apart: whole microseconds that a double holds exactly this far from the epoch.
    const edgeBlock = block({
      tag: "edge.b",
      t0: EDGE - 3 * 1024,
      dt: 1024,
      values: Float64Array.of(1, 2, 3, 4),
    });
    await h.sink.write([
      event(EDGE, "edge.future"),
      event(-EDGE, "edge.past"),
      score(EDGE),
      alert(-EDGE, EDGE),
      features(-EDGE, EDGE, EDGE),
      rollup("edge.r", EDGE),
      msg([edgeSample, pastSample] as Sample[]),
      edgeBlock,
    ]);
    assert.equal(h.sink.health().details?.rejected ?? 0, 0);
    assert.equal(h.sink.health().details?.quarantined, 0);

    const events = (await h.sink.reader.events({ limit: 10, type: "edge" })).items;
    assert.deepEqual(events.map((e) => [e.type, e.ts]), [["edge.future", EDGE], ["edge.past", -EDGE]]);
    assert.deepEqual((await h.sink.reader.scores({ limit: 10 })).items.map((s) => s.ts), [EDGE]);
    const alerts = (await h.sink.reader.alerts({ limit: 10 })).items;
    assert.deepEqual(alerts.map((a) => [a.raisedAt, a.clearedAt]), [[-EDGE, EDGE]]);
    const vectors = (await h.sink.reader.features({ limit: 10 })).items;
    assert.deepEqual(vectors.map((f) => [f.windowStart, f.windowEnd, f.computedAt]), [[-EDGE, EDGE, EDGE]]);
    const [r] = await h.sink.reader.series({
      tags: ["edge.r"],
      from: EDGE - 3_600_000,
      to: EDGE + 3_600_000,
      step: 3_600_000,
      agg: "count",
      maxPoints: 10,
    });
    assert.equal(r!.table, "1h");
    assert.deepEqual(r!.points.map((p) => [p.ts, p.value]), [[EDGE, 3]]);
    const [s] = await h.sink.reader.series({ tags: ["edge.s"], from: -EDGE, to: EDGE + 1, maxPoints: 10 });
    assert.deepEqual(s!.points.map((p) => [p.ts, p.value]), [[-EDGE, 6], [EDGE, 7]]);
    const [b] = await h.sink.reader.series({
      tags: ["edge.b"],
      from: EDGE - 5000,
      to: EDGE + 1,
      maxPoints: 10,
    });
    assert.deepEqual(
      b!.points.map((p) => [p.ts, p.value]),
      [[EDGE - 3072, 1], [EDGE - 2048, 2], [EDGE - 1024, 3], [EDGE, 4]],
    );

    // The rows read back as JavaScript Dates too (what failed for a row beyond the range), also after stop.
    await h.sink.stop();
    assert.equal(h.sink.health().details?.write_errors, 0);
    await withDb(h.dir, async (db) => {
      const rows = (await db.read.runAndReadAll(
        `SELECT ts, recv, server_ts FROM samples JOIN tags USING (tag_id) WHERE tag = 'edge.s' ORDER BY ts`,
      )).getRowObjectsJS();
      assert.deepEqual(
        rows.map((row) => [row.ts, row.recv, row.server_ts].map((v) => v instanceof Date ? v.getTime() : v)),
        [[-EDGE, -EDGE, null], [EDGE, EDGE, -EDGE]],
      );
    });
  } finally {
    await h.close();
  }
});

Deno.test("a features schemaVersion beyond INTEGER or a rollup count beyond 2^53 - 1 is rejected by the checks, not quarantined", async () => {
  const h = await startSink({}, { now: T0 });
  try {
    const f = features(T0, T0 + 1000, T0 + 1000) as Extract<Message, { kind: "features" }>;
    const r = rollup("big.r", T0) as Extract<Message, { kind: "rollup" }>;
    const bad: Message[] = [
      { kind: "features", features: { ...f.features, schemaVersion: 2 ** 31 } },
      { kind: "features", features: { ...f.features, schemaVersion: -1 } },
      { kind: "rollup", rollup: { ...r.rollup, count: 2 ** 63 } },
    ];
    const edge: Message[] = [
      { kind: "features", features: { ...f.features, schemaVersion: 2 ** 31 - 1 } },
      { kind: "rollup", rollup: { ...r.rollup, tag: "edge.r", count: Number.MAX_SAFE_INTEGER } },
    ];
    await h.sink.write([...bad, ...edge]);
    const rejected = (await h.sink.reader.events({ limit: 10, type: "history.rejected" })).items.toReversed();
    assert.deepEqual(rejected.map((e) => e.message), [
      `malformed features record not stored: schemaVersion must be an integer from 0 to 2147483647 (stored as INTEGER)`,
      `malformed features record not stored: schemaVersion must be an integer from 0 to 2147483647 (stored as INTEGER)`,
      `malformed rollup record not stored: count must be a non-negative integer up to 2^53 - 1 (exact in a number)`,
    ]);
    assert.equal(h.sink.health().details?.quarantined, 0);
    assert.equal(h.sink.health().details?.write_errors, 0);
    const stored = (await h.sink.reader.features({ limit: 10 })).items;
    assert.deepEqual(stored.map((x) => x.schemaVersion), [2 ** 31 - 1]);
    await h.sink.stop();
    await withDb(h.dir, async (db) => {
      const rows = (await db.read.runAndReadAll(
        "SELECT t.tag, r.count::VARCHAR AS c FROM rollups_1h r JOIN tags t USING (tag_id) WHERE r.origin = 1",
      )).getRowObjectsJS();
      assert.deepEqual(rows.map((x) => [x.tag, x.c]), [["edge.r", String(Number.MAX_SAFE_INTEGER)]]);
    });
  } finally {
    await h.close();
  }
});
