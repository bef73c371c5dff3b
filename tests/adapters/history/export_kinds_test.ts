import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Alert, AnomalyScore, FeatureVector, GatewayEvent, Message, Rollup } from "../../../core/mod.ts";
import { featureColumnNames, jsonPointer } from "../../../adapters/history/export_features.ts";
import { startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 21, 6, 0, 0);

type Row = Record<string, unknown>;

/** Reads an export file back with a separate in-memory DuckDB. */
async function read(sql: string): Promise<Row[]> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Row[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const columns = async (file: string) =>
  (await read(`DESCRIBE SELECT * FROM '${file}'`)).map((r) => String(r.column_name));

function rollup(tag: string, interval: Rollup["interval"], start: number, i: number): Message {
  return {
    kind: "rollup",
    rollup: {
      tag,
      interval,
      start,
      count: 10 + i,
      mean: 1.5 + i,
      std: 0.25,
      min: i,
      max: 3 + i,
      p95: 2.5 + i,
      last: 2 + i,
      badShare: 0.1,
    },
  };
}

function features(asset: string, i: number, values: Record<string, number>): FeatureVector {
  return {
    asset,
    windowStart: T0 + i * 1000,
    windowEnd: T0 + i * 1000 + 1000,
    computedAt: T0 + i * 1000 + 1010,
    schemaVersion: 1,
    features: values,
    quality: { worst: "good", goodShare: 1 },
  };
}

Deno.test("a rollups export writes the rows of the chosen interval table, 1m by default", async () => {
  const h = await startSink();
  try {
    h.ctx.tags.define({ id: "r.a", source: "plc", dataType: "float", unit: "bar", asset: "pump-1" });
    await h.sink.write([
      ...[0, 1, 2].map((i) => rollup("r.a", "1m", T0 + i * 60_000, i)),
      ...[0, 1].map((i) => rollup("r.b", "1m", T0 + i * 60_000, 10 + i)),
      ...[0, 1, 2, 3, 4].map((i) => rollup("r.a", "1s", T0 + i * 1000, i)),
      rollup("r.a", "1m", T0 + 3_600_000, 9),
    ]);
    const out = `${h.dir}/rollups.parquet`;
    const r = await h.sink.reader.exportRange({
      kind: "rollups",
      from: T0,
      to: T0 + 3_600_000,
      format: "parquet",
      path: out,
    });
    assert.equal(r.rows, 5);
    assert.deepEqual(await columns(out), [
      "tag",
      "asset",
      "unit",
      "start",
      "count",
      "mean",
      "std",
      "min",
      "max",
      "p95",
      "last",
      "bad_share",
      "origin",
    ]);
    const rows = await read(
      `SELECT tag, asset, unit, epoch_ms(start) AS start, count::INTEGER AS count, mean, std, min, max, p95, last, bad_share, origin
       FROM '${out}'`,
    );
    assert.deepEqual(rows[0], {
      tag: "r.a",
      asset: "pump-1",
      unit: "bar",
      start: BigInt(T0),
      count: 10,
      mean: 1.5,
      std: 0.25,
      min: 0,
      max: 3,
      p95: 2.5,
      last: 2,
      bad_share: 0.1,
      origin: "message",
    });
    assert.deepEqual(rows.map((x) => [x.tag, Number(x.start) - T0, x.count]), [
      ["r.a", 0, 10],
      ["r.a", 60_000, 11],
      ["r.a", 120_000, 12],
      ["r.b", 0, 20],
      ["r.b", 60_000, 21],
    ]);
    const csv = `${h.dir}/rollups_1s.csv`;
    const s = await h.sink.reader.exportRange({
      kind: "rollups",
      interval: "1s",
      tags: ["r.a"],
      from: T0,
      to: T0 + 3_000,
      format: "csv",
      path: csv,
    });
    assert.equal(s.rows, 3);
    const back = await read(
      `SELECT tag, count(*)::INTEGER AS n, sum(count)::INTEGER AS c FROM '${csv}' GROUP BY tag`,
    );
    assert.deepEqual(back, [{ tag: "r.a", n: 3, c: 33 }]);
    const none = await h.sink.reader.exportRange({
      kind: "rollups",
      interval: "1h",
      from: T0,
      to: T0 + 3_600_000,
      format: "csv",
      path: `${h.dir}/none.csv`,
    });
    assert.equal(none.rows, 0);
  } finally {
    await h.close();
  }
});

Deno.test("a features export flattens every feature name into its own column in sorted order", async () => {
  const h = await startSink();
  try {
    const vectors = [
      features("pump-1", 0, { "vib_x.rms": 1.25, "vib_x.band_1x": 0.5, 'odd/"name': 7 }),
      features("pump-1", 1, { "vib_x.rms": 1.5, "vib_x.band_1x": Number.NaN, "temp.mean": 60 }),
      features("press-2", 0, { "vib_x.rms": 9, asset: 3 }),
    ];
    await h.sink.write(vectors.map((f) => ({ kind: "features", features: f })));
    const out = `${h.dir}/features.parquet`;
    const r = await h.sink.reader.exportRange({
      kind: "features",
      from: T0,
      to: T0 + 60_000,
      format: "parquet",
      path: out,
    });
    assert.equal(r.rows, 3);
    assert.deepEqual(await columns(out), [
      "asset",
      "window_start",
      "window_end",
      "computed_at",
      "schema_version",
      "quality_worst",
      "good_share",
      "feature:asset",
      'odd/"name',
      "temp.mean",
      "vib_x.band_1x",
      "vib_x.rms",
    ]);
    const rows = await read(
      `SELECT * EXCLUDE (window_start, window_end, computed_at), epoch_ms(window_start) AS ws,
         epoch_ms(window_end) AS we FROM '${out}'`,
    );
    // Ordered by asset, then window start; a feature a vector lacks (or stored as NaN) is NULL.
    assert.deepEqual(rows, [
      {
        asset: "press-2",
        schema_version: 1,
        quality_worst: "good",
        good_share: 1,
        "feature:asset": 3,
        'odd/"name': null,
        "temp.mean": null,
        "vib_x.band_1x": null,
        "vib_x.rms": 9,
        ws: BigInt(T0),
        we: BigInt(T0 + 1000),
      },
      {
        asset: "pump-1",
        schema_version: 1,
        quality_worst: "good",
        good_share: 1,
        "feature:asset": null,
        'odd/"name': 7,
        "temp.mean": null,
        "vib_x.band_1x": 0.5,
        "vib_x.rms": 1.25,
        ws: BigInt(T0),
        we: BigInt(T0 + 1000),
      },
      {
        asset: "pump-1",
        schema_version: 1,
        quality_worst: "good",
        good_share: 1,
        "feature:asset": null,
        'odd/"name': null,
        "temp.mean": 60,
        "vib_x.band_1x": null,
        "vib_x.rms": 1.5,
        ws: BigInt(T0 + 1000),
        we: BigInt(T0 + 2000),
      },
    ]);
    // An asset filter narrows both the rows and the columns to the features those rows have.
    const csv = `${h.dir}/features.csv`;
    const c = await h.sink.reader.exportRange({
      kind: "features",
      assets: ["press-2"],
      from: T0,
      to: T0 + 60_000,
      format: "csv",
      path: csv,
    });
    assert.equal(c.rows, 1);
    assert.equal(
      (await Deno.readTextFile(csv)).split("\n")[0],
      "asset,window_start,window_end,computed_at,schema_version,quality_worst,good_share,feature:asset,vib_x.rms",
    );
    const json = `${h.dir}/features_json.parquet`;
    await h.sink.reader.exportRange({
      kind: "features",
      layout: "json",
      from: T0,
      to: T0 + 60_000,
      format: "parquet",
      path: json,
    });
    const j = await read(`SELECT asset, features::VARCHAR AS f FROM '${json}'`);
    assert.deepEqual(j.map((x) => [x.asset, JSON.parse(String(x.f))]), [
      ["press-2", { "vib_x.rms": 9, asset: 3 }],
      ["pump-1", { "vib_x.rms": 1.25, "vib_x.band_1x": 0.5, 'odd/"name': 7 }],
      ["pump-1", { "vib_x.rms": 1.5, "vib_x.band_1x": null, "temp.mean": 60 }],
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("feature column names are sorted by code point and never collide, case-insensitively", () => {
  assert.deepEqual(featureColumnNames(["b", "Asset", "a", "A", "a_2"]), [
    { key: "A", column: "A" },
    { key: "Asset", column: "feature:Asset" },
    { key: "a", column: "feature:a" },
    { key: "a_2", column: "a_2" },
    { key: "b", column: "b" },
  ]);
  assert.equal(jsonPointer("x/y~z"), "/x~1y~0z");
});

Deno.test("scores, alerts and events exports write the stored rows, filtered by asset and visibility", async () => {
  const h = await startSink();
  try {
    h.ctx.tags.define({ id: "p.temp", source: "plc", dataType: "float", asset: "pump-1" });
    const scores: AnomalyScore[] = [0, 1, 2].map((i) => ({
      asset: i === 2 ? "press-2" : "pump-1",
      detector: "robust_z",
      version: "v1",
      ts: T0 + i * 1000,
      score: 1 + i,
      threshold: 3,
      anomalous: i === 2,
      contributions: [{ feature: "vib_x.rms", value: i }],
    }));
    const alerts: Alert[] = [
      {
        id: "a-1",
        asset: "pump-1",
        kind: "anomaly",
        severity: "warning",
        state: "cleared",
        acknowledged: false,
        raisedAt: T0 + 500,
        clearedAt: T0 + 1500,
        message: "pump hot",
        detector: "robust_z",
        score: 4,
        contributions: [],
      },
      {
        id: "a-2",
        asset: "press-2",
        kind: "stale_tag",
        severity: "critical",
        state: "active",
        acknowledged: false,
        raisedAt: T0 + 700,
        message: "press stale",
        contributions: [],
      },
    ];
    const events: GatewayEvent[] = [
      { ts: T0 + 1, type: "source.connected", component: "plc", level: "info", message: "up" },
      {
        ts: T0 + 2,
        type: "quality.stale",
        component: "q",
        level: "warn",
        message: "t",
        data: { tag: "p.temp" },
      },
      {
        ts: T0 + 3,
        type: "quality.stale",
        component: "q",
        level: "warn",
        message: "o",
        data: { tag: "x.other" },
      },
      { ts: T0 + 4, type: "alert", component: "a", level: "warn", message: "p", data: { asset: "pump-1" } },
      { ts: T0 + 5, type: "alert", component: "a", level: "warn", message: "q", data: { asset: "press-2" } },
    ];
    await h.sink.write([
      ...scores.map((score): Message => ({ kind: "score", score })),
      ...alerts.map((alert): Message => ({ kind: "alert", alert })),
      ...events.map((event): Message => ({ kind: "event", event })),
    ]);
    const range = { from: T0, to: T0 + 60_000 };
    const file = (name: string) => `${h.dir}/${name}`;

    await h.sink.reader.exportRange({ ...range, kind: "scores", format: "parquet", path: file("s.parquet") });
    const s = await read(
      `SELECT asset, detector, version, epoch_ms(ts) AS ts, score, threshold, anomalous,
         contributions::VARCHAR AS c FROM '${file("s.parquet")}'`,
    );
    // Ordered by asset, then time.
    const expected = [scores[2]!, scores[0]!, scores[1]!].map((x) => ({
      asset: x.asset,
      detector: x.detector,
      version: x.version,
      ts: BigInt(x.ts),
      score: x.score,
      threshold: x.threshold,
      anomalous: x.anomalous,
      c: JSON.stringify(x.contributions),
    }));
    assert.deepEqual(s, expected);

    const a = await h.sink.reader.exportRange({
      ...range,
      kind: "alerts",
      assets: ["pump-1"],
      format: "csv",
      path: file("a.csv"),
    });
    assert.equal(a.rows, 1);
    const ar = await read(
      `SELECT id, asset, kind, severity, state, epoch_ms(raised_at) AS raised, epoch_ms(cleared_at) AS cleared,
         acknowledged, message, detector, score FROM read_csv('${file("a.csv")}')`,
    );
    assert.deepEqual(ar, [{
      id: "a-1",
      asset: "pump-1",
      kind: "anomaly",
      severity: "warning",
      state: "cleared",
      raised: BigInt(T0 + 500),
      cleared: BigInt(T0 + 1500),
      acknowledged: false,
      message: "pump hot",
      detector: "robust_z",
      score: 4,
    }]);

    const all = await h.sink.reader.exportRange({
      ...range,
      kind: "events",
      format: "csv",
      path: file("e.csv"),
    });
    assert.equal(all.rows, 5);
    const e = await read(
      `SELECT epoch_ms(ts) AS ts, type, component, level, message, asset, tag FROM read_csv('${
        file("e.csv")
      }')`,
    );
    assert.deepEqual(e[1], {
      ts: BigInt(T0 + 2),
      type: "quality.stale",
      component: "q",
      level: "warn",
      message: "t",
      asset: null,
      tag: "p.temp",
    });
    // A reader restricted to pump-1 and its tag sees events about them only, as the events list does.
    await h.sink.reader.exportRange({
      ...range,
      kind: "events",
      visible: { tags: ["p.temp"], assets: ["pump-1"] },
      format: "parquet",
      path: file("ev.parquet"),
    });
    const v = await read(`SELECT message FROM '${file("ev.parquet")}'`);
    assert.deepEqual(v.map((x) => x.message), ["t", "p"]);
    // The same visibility hides the other asset's alerts and scores.
    const hidden = await h.sink.reader.exportRange({
      ...range,
      kind: "alerts",
      visible: { tags: [], assets: ["press-2"] },
      assets: ["pump-1"],
      format: "csv",
      path: file("none.csv"),
    });
    assert.equal(hidden.rows, 0);
  } finally {
    await h.close();
  }
});

Deno.test("an unknown kind, and a filter the kind has no use for, are RangeErrors naming the field", async () => {
  const h = await startSink();
  try {
    const base = { from: T0, to: T0 + 1000, format: "csv" as const, path: `${h.dir}/x.csv` };
    await assert.rejects(
      () => h.sink.reader.exportRange({ ...base, kind: "tables" as never }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message === 'kind must be one of samples, rollups, features, scores, alerts, events, got "tables"',
    );
    await assert.rejects(
      () => h.sink.reader.exportRange({ ...base, kind: "rollups", interval: "5m" as never }),
      /interval must be one of 1s, 1m, 1h, got "5m"/,
    );
    await assert.rejects(
      () => h.sink.reader.exportRange({ ...base, interval: "1s" }),
      /interval applies only to kind "rollups", not "samples"/,
    );
    await assert.rejects(
      () => h.sink.reader.exportRange({ ...base, kind: "alerts", tags: ["a"] }),
      /tags do not apply to kind "alerts"/,
    );
    await assert.rejects(
      () => h.sink.reader.exportRange({ ...base, kind: "scores", layout: "json" }),
      /layout applies only to kind "features"/,
    );
    await assert.rejects(() => Deno.stat(base.path), Deno.errors.NotFound);
  } finally {
    await h.close();
  }
});

function cli(args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      "--allow-net=127.0.0.1",
      new URL("./_cli_child.ts", import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("gateway export --kind writes features and rollups from a stopped gateway's file and refuses a bad kind", async () => {
  const h = await startSink();
  const path = `${h.dir}/history.duckdb`;
  try {
    await h.sink.write([
      { kind: "features", features: features("pump-1", 0, { "b.rms": 2, "a.peak": 1 }) },
      { kind: "features", features: features("press-2", 0, { "c.mean": 3 }) },
      rollup("r.a", "1h", T0, 0),
      rollup("r.a", "1m", T0, 1),
    ]);
  } finally {
    await h.sink.stop();
  }
  try {
    const base = ["export", "--db", path, "--from", String(T0), "--to", String(T0 + 3_600_000)];
    const out = `${h.dir}/f.csv`;
    const f = await cli([...base, "--kind", "features", "--assets", "pump-1", "--out", out]);
    assert.equal(f.code, 0, text(f.stderr));
    assert.match(text(f.stderr), /1 rows/);
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    assert.equal(lines.length, 2);
    assert.ok(lines[0]!.endsWith(",good_share,a.peak,b.rms"), lines[0]!);
    assert.ok(lines[1]!.startsWith("pump-1,"));
    assert.ok(lines[1]!.endsWith(",good,1.0,1.0,2.0"), lines[1]!);

    const r = await cli([...base, "--kind", "rollups", "--interval", "1h", "--out", `${h.dir}/r.parquet`]);
    assert.equal(r.code, 0, text(r.stderr));
    const back = await read(`SELECT tag, count::INTEGER AS n FROM '${h.dir}/r.parquet'`);
    assert.deepEqual(back, [{ tag: "r.a", n: 10 }]);

    const bad = await cli([...base, "--kind", "tables", "--out", `${h.dir}/x.csv`]);
    assert.equal(bad.code, 2);
    assert.match(
      text(bad.stderr),
      /--kind must be one of samples, rollups, features, scores, alerts, events, got "tables"/,
    );
    const misplaced = await cli([...base, "--kind", "alerts", "--tags", "r.a", "--out", `${h.dir}/x.csv`]);
    assert.equal(misplaced.code, 2);
    assert.match(text(misplaced.stderr), /--tags does not apply to --kind alerts/);
    await assert.rejects(() => Deno.stat(`${h.dir}/x.csv`), Deno.errors.NotFound);

    const help = await cli(["export", "--help"]);
    const usage = text(help.stdout) + text(help.stderr);
    assert.equal(help.code, 0);
    for (const option of ["--kind", "--interval", "--layout", "--assets"]) {
      assert.ok(usage.includes(option), option);
    }
    assert.match(usage, /features +asset, window_start, window_end/);
  } finally {
    await Deno.remove(h.dir, { recursive: true });
  }
});

Deno.test("gateway export --url passes kind, layout and assets to the gateway's export route", async () => {
  const h = await startSink();
  const seen: URLSearchParams[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const q = new URL(req.url).searchParams;
    seen.push(q);
    const path = `${h.dir}/srv-${crypto.randomUUID()}.parquet`;
    const r = await h.sink.reader.exportRange({
      from: Number(q.get("from")),
      to: Number(q.get("to")),
      kind: q.get("kind") as "features",
      layout: q.get("layout") as "json",
      assets: q.get("assets")!.split(","),
      format: "parquet",
      path,
    });
    return new Response(await Deno.readFile(path), { headers: { "x-export-rows": String(r.rows) } });
  });
  try {
    await h.sink.write([
      { kind: "features", features: features("pump-1", 0, { "a.rms": 1 }) },
      { kind: "features", features: features("press-2", 0, { "b.rms": 2 }) },
    ]);
    const out = `${h.dir}/remote.parquet`;
    const r = await cli([
      "export",
      "--url",
      `http://127.0.0.1:${server.addr.port}`,
      "--from",
      String(T0),
      "--to",
      String(T0 + 60_000),
      "--kind",
      "features",
      "--layout",
      "json",
      "--assets",
      "pump-1",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, text(r.stderr));
    const q = seen.at(-1)!;
    assert.deepEqual([q.get("kind"), q.get("layout"), q.get("assets"), q.get("interval")], [
      "features",
      "json",
      "pump-1",
      null,
    ]);
    const back = await read(`SELECT asset, features::VARCHAR AS f FROM '${out}'`);
    assert.deepEqual(back, [{ asset: "pump-1", f: '{"a.rms":1}' }]);
  } finally {
    await server.shutdown();
    await h.close();
  }
});
