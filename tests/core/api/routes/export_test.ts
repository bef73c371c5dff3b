import assert from "node:assert/strict";
import { T0, withFixture } from "../fixture.ts";

Deno.test("export streams the store's CSV file as an attachment and deletes the temporary file", () =>
  withFixture(async (f) => {
    for (let i = 0; i < 100; i++) {
      f.history!.add("plc.pump1_temp", T0 + i * 1000, i);
      f.history!.add("plc.press2_strokes", T0 + i * 1000, i);
    }
    const r = await f.fetch(`/api/v1/export?from=${T0}&to=${T0 + 50_000}&format=csv&tags=plc.pump1_temp`, {
      token: f.tokens.viewer,
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /text\/csv/);
    assert.match(r.headers.get("content-disposition") ?? "", /attachment; filename="export-.*\.csv"/);
    assert.equal(r.headers.get("x-export-rows"), "50");
    const lines = (await r.text()).trim().split("\n");
    assert.equal(lines.length, 51);
    assert.equal(lines[1], `plc.pump1_temp,${T0},0,0`);
    assert.deepEqual([...Deno.readDirSync(`${f.dir}/state/http/tmp`)], []);
  }));

Deno.test("a scoped token exports only its own tags, and naming another is 404", () =>
  withFixture(async (f) => {
    f.history!.add("plc.press2_strokes", T0, 1);
    const r = await f.fetch(`/api/v1/export?from=${T0}&to=${T0 + 1000}&format=csv`, { token: f.tokens.pump });
    assert.equal(r.status, 200);
    await r.body?.cancel();
    const q = f.history!.calls.at(-1)!.query as { tags: string[]; format: string };
    assert.deepEqual(q.tags, ["plc.pump1_flow", "plc.pump1_temp"]);
    const other = await f.fetch(`/api/v1/export?tags=plc.press2_strokes`, { token: f.tokens.pump });
    assert.equal(other.status, 404);
    await other.body?.cancel();
  }));

Deno.test("export rejects an unknown format naming the parameter", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/export?format=xlsx", f.tokens.viewer);
    assert.equal(r.status, 400);
    assert.equal((r.body.issues as { path: string }[])[0]!.path, "format");
  }));
