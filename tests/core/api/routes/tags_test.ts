import assert from "node:assert/strict";
import { T0, withFixture } from "../fixture.ts";

type Tag = {
  id: string;
  asset?: string;
  line?: string;
  site: string;
  latest: { value: number; quality: string };
};

Deno.test("tags lists metadata, place in the plant and latest value, ordered by id", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/tags", f.tokens.viewer);
    assert.equal(r.status, 200);
    const items = r.body.items as Tag[];
    assert.deepEqual(items.map((t) => t.id), [
      "plc.ambient",
      "plc.press2_strokes",
      "plc.pump1_flow",
      "plc.pump1_temp",
    ]);
    const press = items[1]!;
    assert.equal(press.asset, "press-2");
    assert.equal(press.line, "line-2");
    assert.equal(press.site, "plant-a");
    assert.equal(press.latest.value, 29);
    assert.equal(press.latest.quality, "good");
    assert.equal(items[0]!.line, "line-1");
  }));

Deno.test("tags pages with limit and cursor and rejects a limit above page_max", () =>
  withFixture(async (f) => {
    const first = await f.json("/api/v1/tags?limit=3", f.tokens.viewer);
    assert.equal((first.body.items as Tag[]).length, 3);
    const next = first.body.next as string;
    assert.ok(next);
    const second = await f.json(`/api/v1/tags?limit=3&cursor=${next}`, f.tokens.viewer);
    assert.deepEqual((second.body.items as Tag[]).map((t) => t.id), ["plc.pump1_temp"]);
    assert.equal(second.body.next, undefined);
    const tooBig = await f.json("/api/v1/tags?limit=5000", f.tokens.viewer);
    assert.equal(tooBig.status, 400);
    assert.match(String(tooBig.body.error), /limit: at most 1000/);
    const badCursor = await f.json("/api/v1/tags?cursor=%%%", f.tokens.viewer);
    assert.equal(badCursor.status, 400);
  }));

Deno.test("tags filters by asset, source and text", () =>
  withFixture(async (f) => {
    const byAsset = await f.json("/api/v1/tags?asset=pump-1", f.tokens.viewer);
    assert.deepEqual((byAsset.body.items as Tag[]).map((t) => t.id), ["plc.pump1_flow", "plc.pump1_temp"]);
    const byText = await f.json("/api/v1/tags?q=AMB", f.tokens.viewer);
    assert.deepEqual((byText.body.items as Tag[]).map((t) => t.id), ["plc.ambient"]);
    const bySource = await f.json("/api/v1/tags?source=nope", f.tokens.viewer);
    assert.deepEqual(bySource.body.items, []);
  }));

Deno.test("a token scoped to an asset lists only that asset's tags and gets 404 for others", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/tags", f.tokens.pump);
    assert.deepEqual((r.body.items as Tag[]).map((t) => t.id), ["plc.pump1_flow", "plc.pump1_temp"]);
    const other = await f.json("/api/v1/tags/plc.press2_strokes", f.tokens.pump);
    assert.equal(other.status, 404);
    const missing = await f.json("/api/v1/tags/plc.nothing", f.tokens.pump);
    assert.equal(missing.status, 404);
    assert.equal(other.body.error, 'unknown tag "plc.press2_strokes"');
    const line2 = await f.json("/api/v1/tags", f.tokens.line2);
    assert.deepEqual((line2.body.items as Tag[]).map((t) => t.id), ["plc.press2_strokes"]);
    const otherSite = await f.json("/api/v1/tags", f.tokens.otherSite);
    assert.deepEqual(otherSite.body.items, []);
  }));

Deno.test("one tag shows its ring buffer state", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/tags/plc.pump1_temp", f.tokens.viewer);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.buffer, { capacity: 4096, held: 10, received: 10, dropped: 0 });
    assert.equal(r.body.unit, "degC");
  }));

Deno.test("latest returns named tags and lists unknown or invisible ones without telling them apart", () =>
  withFixture(async (f) => {
    const all = await f.json("/api/v1/latest", f.tokens.viewer);
    assert.equal((all.body.values as unknown[]).length, 4);
    const r = await f.json("/api/v1/latest?tags=plc.pump1_temp,plc.press2_strokes,plc.nope", f.tokens.pump);
    const values = r.body.values as { tag: string; value: number; ts: number }[];
    assert.deepEqual(values.map((v) => v.tag), ["plc.pump1_temp"]);
    assert.equal(values[0]!.ts, T0 + 9000);
    assert.deepEqual(r.body.unknown, ["plc.press2_strokes", "plc.nope"]);
  }));

Deno.test("latest rejects more tags than max_tags with a 400 naming the parameter", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/latest?tags=a,b,c", f.tokens.viewer);
    assert.equal(r.status, 400);
    assert.deepEqual((r.body.issues as { path: string }[]).map((i) => i.path), ["tags"]);
  }, { httpYaml: "  limits: { max_tags: 2 }\n" }));
