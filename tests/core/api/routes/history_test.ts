import assert from "node:assert/strict";
import { T0, withFixture } from "../fixture.ts";

type Series = { tag: string; table: string; ts: number[]; values: (number | null)[]; quality?: number[] };

function seed(add: (tag: string, ts: number, v: number) => void): void {
  for (let i = 0; i < 600; i++) add("plc.pump1_temp", T0 + i * 1000, i % 60);
}

Deno.test("history returns raw points as columns from the store", () =>
  withFixture(async (f) => {
    seed((t, ts, v) => f.history!.add(t, ts, v));
    const r = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${T0}&to=${T0 + 10_000}`,
      f.tokens.viewer,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.source, "history");
    const s = (r.body.series as Series[])[0]!;
    assert.equal(s.table, "raw");
    assert.deepEqual(s.ts, Array.from({ length: 10 }, (_, i) => T0 + i * 1000));
    assert.deepEqual(s.values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(s.quality?.length, 10);
  }));

Deno.test("history aggregates per step with the requested aggregation and ISO times", () =>
  withFixture(async (f) => {
    seed((t, ts, v) => f.history!.add(t, ts, v));
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 600_000).toISOString();
    const r = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${from}&to=${to}&step=1m&agg=max`,
      f.tokens.viewer,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.step, 60_000);
    const s = (r.body.series as Series[])[0]!;
    assert.equal(s.values.length, 10);
    assert.ok(s.values.every((v) => v === 59));
    const q = f.history!.calls.at(-1)!.query as { step: number; agg: string; maxPoints: number };
    assert.equal(q.agg, "max");
    assert.equal(q.step, 60_000);
    assert.equal(q.maxPoints, 200_000);
  }));

Deno.test("history rejects a query over max_points with a message saying how to narrow it", () =>
  withFixture(async (f) => {
    const r = await f.json(
      "/api/v1/history?tags=plc.pump1_temp,plc.ambient&from=-30d&step=1s",
      f.tokens.viewer,
    );
    assert.equal(r.status, 400);
    assert.match(
      String(r.body.error),
      /more than the limit of 200000.*larger step, a shorter range or fewer tags/,
    );
    assert.match(String(r.body.error), /step of at least \d+ ms/);
  }));

Deno.test("history passes a store's too-many-raw-points rejection on as a 400 with the hint", () =>
  withFixture(async (f) => {
    seed((t, ts, v) => f.history!.add(t, ts, v));
    const r = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${T0}&to=${T0 + 600_000}`,
      f.tokens.viewer,
    );
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /too many points.*larger step/);
  }, { httpYaml: "  limits: { max_points: 100 }\n" }));

Deno.test("history answers 504 when the store takes longer than query_timeout_ms", () =>
  withFixture(async (f) => {
    f.history!.delayMs = 400;
    const r = await f.json("/api/v1/history?tags=plc.pump1_temp&step=1m", f.tokens.viewer);
    assert.equal(r.status, 504);
    assert.match(String(r.body.error), /timed out.*took longer than 100 ms/);
    await new Promise((res) => setTimeout(res, 400));
  }, { httpYaml: "  limits: { query_timeout_ms: 100 }\n" }));

Deno.test("history parameters are validated with messages naming each parameter", () =>
  withFixture(async (f) => {
    const cases: [string, string][] = [
      ["/api/v1/history", "tags"],
      ["/api/v1/history?tags=plc.ambient&from=yesterday", "from"],
      ["/api/v1/history?tags=plc.ambient&step=fast", "step"],
      ["/api/v1/history?tags=plc.ambient&step=1m&agg=median", "agg"],
      ["/api/v1/history?tags=plc.ambient&agg=max", "agg"],
      ["/api/v1/history?tags=plc.ambient&from=-1h&to=-2h", "from"],
    ];
    for (const [url, param] of cases) {
      const r = await f.json(url, f.tokens.viewer);
      assert.equal(r.status, 400, url);
      assert.deepEqual((r.body.issues as { path: string }[]).map((i) => i.path), [param], url);
      assert.match(String(r.body.error), new RegExp(param), url);
    }
  }));

Deno.test("history of a tag outside the token's scope is 404 and never reaches the store", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/history?tags=plc.press2_strokes", f.tokens.pump);
    assert.equal(r.status, 404);
    assert.equal(f.history!.calls.length, 0);
  }));

Deno.test("without a history store, history is answered from the ring buffers", () =>
  withFixture(async (f) => {
    const raw = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${T0}&to=${T0 + 5000}`,
      f.tokens.viewer,
    );
    assert.equal(raw.body.source, "ring");
    assert.deepEqual((raw.body.series as Series[])[0]!.values, [20, 21, 22, 23, 24]);
    const agg = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${T0}&to=${T0 + 10_000}&step=5s&agg=avg`,
      f.tokens.viewer,
    );
    const s = (agg.body.series as Series[])[0]!;
    assert.deepEqual(s.ts, [T0, T0 + 5000]);
    assert.deepEqual(s.values, [22, 27]);
    const p95 = await f.json(
      `/api/v1/history?tags=plc.pump1_temp&from=${T0}&to=${T0 + 10_000}&step=10s&agg=p95`,
      f.tokens.viewer,
    );
    assert.deepEqual((p95.body.series as Series[])[0]!.values, [29]);
  }, { history: false }));
