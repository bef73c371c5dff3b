import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { type Alert, type FeatureVector, HISTORY_CAPABILITY, type Message } from "../../../../core/mod.ts";
import { type Fixture, T0, withFixture } from "../fixture.ts";
import { startSink } from "../../../adapters/history/_helpers.ts";

type Row = Record<string, unknown>;

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

const vector = (asset: string, values: Record<string, number>): FeatureVector => ({
  asset,
  windowStart: T0,
  windowEnd: T0 + 1000,
  computedAt: T0 + 1000,
  schemaVersion: 1,
  features: values,
  quality: { worst: "good", goodShare: 1 },
});

const alert = (id: string, asset: string): Alert => ({
  id,
  asset,
  kind: "anomaly",
  severity: "warning",
  state: "active",
  acknowledged: false,
  raisedAt: T0 + 100,
  message: `${asset} anomalous`,
  contributions: [],
});

/** Data of both assets in a real store, provided to the fixture's API as its history. */
const STORED: Message[] = [
  { kind: "features", features: vector("pump-1", { "pump.rms": 1 }) },
  { kind: "features", features: vector("press-2", { "press.force": 2 }) },
  { kind: "alert", alert: alert("al-pump", "pump-1") },
  { kind: "alert", alert: alert("al-press", "press-2") },
  ...["pump-1", "press-2"].map((asset, i): Message => ({
    kind: "score",
    score: {
      asset,
      detector: "z",
      version: "1",
      ts: T0 + i,
      score: i,
      threshold: 3,
      anomalous: false,
      contributions: [],
    },
  })),
  ...[["plc.pump1_temp", undefined], ["plc.press2_strokes", undefined], [undefined, "pump-1"], [
    undefined,
    "press-2",
  ], [undefined, undefined]].map(([tag, asset], i): Message => ({
    kind: "event",
    event: {
      ts: T0 + i,
      type: "quality.stale",
      component: "q",
      level: "warn",
      message: `e${i}`,
      data: { ...(tag ? { tag } : {}), ...(asset ? { asset } : {}) },
    },
  })),
  ...["plc.pump1_temp", "plc.press2_strokes"].map((tag): Message => ({
    kind: "rollup",
    rollup: {
      tag,
      interval: "1m",
      start: T0,
      count: 5,
      mean: 1,
      std: 0,
      min: 1,
      max: 1,
      p95: 1,
      last: 1,
      badShare: 0,
    },
  })),
];

async function withStore(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const store = await startSink();
  try {
    await store.sink.write(STORED);
    await withFixture(async (f) => {
      f.gateway.pipeline.capabilities.provide(HISTORY_CAPABILITY, store.sink.reader, "store");
      await fn(f);
    }, { history: false });
  } finally {
    await store.close();
  }
}

/** Downloads an export and reads it back with DuckDB. */
async function exported(f: Fixture, query: string, token: string, select = "*"): Promise<Row[]> {
  const r = await f.fetch(`/api/v1/export?from=${T0}&to=${T0 + 60_000}&${query}`, { token });
  assert.equal(r.status, 200, await r.clone().text());
  const format = query.includes("format=csv") ? "csv" : "parquet";
  const file = `${f.dir}/${crypto.randomUUID()}.${format}`;
  await Deno.writeFile(file, new Uint8Array(await r.arrayBuffer()));
  assert.equal(Number(r.headers.get("x-export-rows")), (await read(`SELECT * FROM '${file}'`)).length);
  return await read(`SELECT ${select} FROM '${file}'`);
}

Deno.test("a scoped token exports only its own assets' alerts, features, scores, events and rollups", () =>
  withStore(async (f) => {
    const { viewer, pump, line2 } = f.tokens;
    assert.deepEqual(
      (await exported(f, "kind=alerts&format=csv", viewer, "id")).map((r) => r.id),
      ["al-press", "al-pump"],
    );
    assert.deepEqual(await exported(f, "kind=alerts", pump, "id, asset"), [{
      id: "al-pump",
      asset: "pump-1",
    }]);
    assert.deepEqual(await exported(f, "kind=alerts&format=csv", line2, "id"), [{ id: "al-press" }]);
    // Features: the other asset's rows are gone, and so are the columns only its vectors have.
    assert.deepEqual(
      await exported(f, "kind=features", pump, "* EXCLUDE (window_start, window_end, computed_at)"),
      [{ asset: "pump-1", schema_version: 1, quality_worst: "good", good_share: 1, "pump.rms": 1 }],
    );
    assert.deepEqual(await exported(f, "kind=scores", pump, "asset"), [{ asset: "pump-1" }]);
    assert.deepEqual(
      (await exported(f, "kind=events", pump, "message")).map((r) => r.message),
      ["e0", "e2"],
      "events about the pump's tag or the pump asset only",
    );
    assert.deepEqual(
      (await exported(f, "kind=events", viewer, "message")).map((r) => r.message),
      ["e0", "e1", "e2", "e3", "e4"],
    );
    assert.deepEqual(await exported(f, "kind=rollups&interval=1m", pump, "tag"), [{ tag: "plc.pump1_temp" }]);
    for (const kind of ["alerts", "features", "scores", "events"]) {
      const other = await f.fetch(`/api/v1/export?kind=${kind}&assets=press-2`, { token: pump });
      assert.equal(other.status, 404, kind);
      assert.match((await other.json()).error, /unknown asset "press-2"/);
    }
    assert.deepEqual(await exported(f, "kind=alerts&assets=press-2", viewer, "id"), [{ id: "al-press" }]);
  }));

Deno.test("an unknown kind is a 400 naming the parameter and the allowed values", () =>
  withStore(async (f) => {
    const r = await f.json("/api/v1/export?kind=tables", f.tokens.viewer);
    assert.equal(r.status, 400);
    const issue = (r.body.issues as { path: string; message: string }[])[0]!;
    assert.equal(issue.path, "kind");
    for (const kind of ["samples", "rollups", "features", "scores", "alerts", "events"]) {
      assert.ok(String(r.body.error).includes(kind), `${r.body.error} names ${kind}`);
    }
    const tags = await f.json("/api/v1/export?kind=features&tags=plc.pump1_temp", f.tokens.viewer);
    assert.equal(tags.status, 400);
    assert.equal((tags.body.issues as { path: string }[])[0]!.path, "tags");
    const interval = await f.json("/api/v1/export?interval=1s", f.tokens.viewer);
    assert.equal(interval.status, 400);
    assert.match(String(interval.body.error), /interval: applies only to kind=rollups/);
    const badInterval = await f.json("/api/v1/export?kind=rollups&interval=5m", f.tokens.viewer);
    assert.equal(badInterval.status, 400);
    assert.equal((badInterval.body.issues as { path: string }[])[0]!.path, "interval");
  }));

Deno.test("the OpenAPI document lists the export kinds, intervals and layouts from the schema", () =>
  withFixture(async (f) => {
    const doc = await (await f.fetch("/api/v1/openapi.json")).json();
    const params = doc.paths["/api/v1/export"].get.parameters as {
      name: string;
      schema: Record<string, unknown>;
    }[];
    const by = Object.fromEntries(params.map((p) => [p.name, p.schema]));
    assert.deepEqual(by.kind!.enum, ["samples", "rollups", "features", "scores", "alerts", "events"]);
    assert.equal(by.kind!.default, "samples");
    assert.deepEqual(by.interval!.enum, ["1s", "1m", "1h"]);
    assert.deepEqual(by.layout!.enum, ["columns", "json"]);
    assert.ok(by.assets);
  }));
