import assert from "node:assert/strict";
import { Access, parseScopes, type Principal, Topology } from "../../../../core/api/mod.ts";
import { type GatewayConfig, TagStore } from "../../../../core/mod.ts";

const config = {
  gateway: { id: "gw", site: "plant-a", line: "line-1", data_dir: "." },
  assets: [
    { id: "pump-1", tags: ["s.p1"] },
    { id: "press-2", line: "line-2", tags: [] },
  ],
} as unknown as GatewayConfig;

function topology(): Topology {
  const tags = new TagStore(16);
  tags.define({ id: "s.p1", source: "s", dataType: "float" });
  tags.define({ id: "s.press", source: "s", dataType: "float", asset: "press-2" });
  tags.define({ id: "s.loose", source: "s", dataType: "float" });
  return new Topology(config, tags);
}

function access(scopes: string[]): Access {
  const p: Principal = { name: "t", role: "viewer", scopes: parseScopes(scopes) };
  return new Access(p, topology());
}

Deno.test("tags resolve to assets from metadata or assets[].tags, and assets to lines or gateway.line", () => {
  const t = topology();
  assert.equal(t.assetOf("s.p1"), "pump-1");
  assert.equal(t.assetOf("s.press"), "press-2");
  assert.equal(t.lineOf("press-2"), "line-2");
  assert.equal(t.lineOf("pump-1"), "line-1");
  assert.equal(t.lineOf(undefined), "line-1");
});

Deno.test("scopes grant by site, line or asset and nothing else", () => {
  assert.ok(access([]).tag("s.press"));
  assert.ok(access(["site:plant-a"]).tag("s.press"));
  assert.ok(!access(["site:plant-b"]).tag("s.p1"));
  assert.ok(access(["line:line-2"]).tag("s.press"));
  assert.ok(!access(["line:line-2"]).tag("s.p1"));
  assert.ok(access(["line:line-1"]).tag("s.loose"));
  assert.ok(access(["asset:pump-1"]).tag("s.p1"));
  assert.ok(!access(["asset:pump-1"]).tag("s.loose"));
  assert.ok(!access(["asset:pump-1"]).tag("s.unknown"));
  assert.ok(access([]).tag("s.unknown"), "unrestricted tokens may ask history for tags no longer live");
  assert.deepEqual(access(["asset:pump-1", "line:line-2"]).visibleAssets(), ["press-2", "pump-1"]);
  assert.equal(access(["site:plant-a"]).visibleAssets(), undefined);
});
