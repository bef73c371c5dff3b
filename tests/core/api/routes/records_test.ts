import assert from "node:assert/strict";
import type { AnomalyScore, FeatureVector } from "../../../../core/mod.ts";
import { T0, withFixture } from "../fixture.ts";

function feature(asset: string, i: number): FeatureVector {
  return {
    asset,
    windowStart: T0 + i * 1000,
    windowEnd: T0 + (i + 1) * 1000,
    computedAt: T0 + (i + 1) * 1000,
    schemaVersion: 1,
    features: { "vib.rms": i },
    quality: { worst: "good", goodShare: 1 },
  };
}

function score(asset: string, i: number, detector = "iforest"): AnomalyScore {
  return {
    asset,
    detector,
    version: "1",
    ts: T0 + i * 1000,
    score: i / 10,
    threshold: 0.5,
    anomalous: i > 5,
    contributions: [],
  };
}

Deno.test("features page through the store with cursor and limit", () =>
  withFixture(async (f) => {
    for (let i = 0; i < 5; i++) f.history!.featureList.push(feature("pump-1", i));
    const p1 = await f.json("/api/v1/features?limit=2", f.tokens.viewer);
    assert.equal((p1.body.items as unknown[]).length, 2);
    const p2 = await f.json(`/api/v1/features?limit=2&cursor=${p1.body.next}`, f.tokens.viewer);
    assert.equal((p2.body.items as FeatureVector[])[0]!.windowStart, T0 + 2000);
    const q = f.history!.calls.at(-1)!.query as { limit: number; cursor: string; assets?: string[] };
    assert.equal(q.limit, 2);
    assert.equal(q.assets, undefined);
  }));

Deno.test("a cursor the store did not make is a 400 naming the cursor, not a server error", () =>
  withFixture(async (f) => {
    for (const path of ["/api/v1/features", "/api/v1/anomalies", "/api/v1/alerts", "/api/v1/events"]) {
      const r = await f.json(`${path}?cursor=not-a-cursor`, f.tokens.viewer);
      assert.equal(r.status, 400, path);
      assert.match(String(r.body.error), /cursor/);
      assert.deepEqual((r.body.issues as { path: string }[]).map((i) => i.path), ["cursor"]);
    }
  }));

Deno.test("anomalies filter by detector and time and restrict scoped tokens to their assets", () =>
  withFixture(async (f) => {
    for (let i = 0; i < 10; i++) {
      f.history!.scoreList.push(score("pump-1", i), score("press-2", i), score("pump-1", i, "zscore"));
    }
    const r = await f.json(`/api/v1/anomalies?detector=zscore&from=${T0 + 5000}`, f.tokens.viewer);
    const items = r.body.items as AnomalyScore[];
    assert.equal(items.length, 5);
    assert.ok(items.every((s) => s.detector === "zscore" && s.ts >= T0 + 5000));
    const scoped = await f.json("/api/v1/anomalies?limit=100", f.tokens.pump);
    assert.ok((scoped.body.items as AnomalyScore[]).every((s) => s.asset === "pump-1"));
    assert.deepEqual((f.history!.calls.at(-1)!.query as { assets: string[] }).assets, ["pump-1"]);
    const foreign = await f.json("/api/v1/anomalies?asset=press-2", f.tokens.pump);
    assert.deepEqual(foreign.body.items, []);
    const otherSite = await f.json("/api/v1/anomalies", f.tokens.otherSite);
    assert.deepEqual(otherSite.body.items, []);
  }));

Deno.test("events are filtered by type; scoped tokens see only events about their tags or assets", () =>
  withFixture(async (f) => {
    f.history!.eventList.push(
      { ts: T0, type: "source.connected", component: "plc", level: "info", message: "up" },
      {
        ts: T0 + 1,
        type: "quality.stale",
        component: "dq",
        level: "warn",
        message: "stale",
        data: { tag: "plc.pump1_temp" },
      },
      {
        ts: T0 + 2,
        type: "quality.stale",
        component: "dq",
        level: "warn",
        message: "stale",
        data: { tag: "plc.press2_strokes" },
      },
    );
    const all = await f.json("/api/v1/events", f.tokens.viewer);
    assert.equal((all.body.items as unknown[]).length, 3);
    const typed = await f.json("/api/v1/events?type=quality.stale", f.tokens.viewer);
    assert.equal((typed.body.items as unknown[]).length, 2);
    const scoped = await f.json("/api/v1/events", f.tokens.pump);
    assert.deepEqual((scoped.body.items as { data: { tag: string } }[]).map((e) => e.data.tag), [
      "plc.pump1_temp",
    ]);
  }));

Deno.test("list endpoints answer 503 naming the missing store when none runs", () =>
  withFixture(async (f) => {
    for (const path of ["/api/v1/features", "/api/v1/anomalies", "/api/v1/alerts", "/api/v1/events"]) {
      const r = await f.json(path, f.tokens.viewer);
      assert.equal(r.status, 503, path);
      assert.match(String(r.body.error), /capability "history"/);
    }
  }, { history: false }));
