import assert from "node:assert/strict";
import { ConfigError, GATEWAY_CAPABILITY, type GatewayControl } from "../../../../core/mod.ts";
import { withFixture } from "../fixture.ts";

function control(reload: GatewayControl["reload"]): GatewayControl {
  return { health: () => ({}) as ReturnType<GatewayControl["health"]>, reload };
}

Deno.test("an admin reloads the configuration through the gateway control", () =>
  withFixture(async (f) => {
    let calls = 0;
    f.gateway.pipeline.capabilities.provide(
      GATEWAY_CAPABILITY,
      control(
        () => (calls++, Promise.resolve({ started: ["a"], stopped: [], restarted: [], unchanged: ["b"] })),
      ),
      "gateway",
    );
    const r = await f.fetch("/api/v1/config/reload", { method: "POST", token: f.tokens.admin });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { started: ["a"], stopped: [], restarted: [], unchanged: ["b"] });
    assert.equal(calls, 1);
  }));

Deno.test("a rejected configuration is answered 422 with every problem, the running one stays", () =>
  withFixture(async (f) => {
    f.gateway.pipeline.capabilities.provide(
      GATEWAY_CAPABILITY,
      control(() => Promise.reject(new ConfigError(["sources[0].port: must be <= 65535, got 70000"]))),
      "gateway",
    );
    const r = await f.fetch("/api/v1/config/reload", { method: "POST", token: f.tokens.admin });
    assert.equal(r.status, 422);
    const body = await r.json();
    assert.deepEqual(body.problems, ["sources[0].port: must be <= 65535, got 70000"]);
  }));

Deno.test("a gateway without a configuration file answers reload with 409 and the reason", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/config/reload", { method: "POST", token: f.tokens.admin });
    assert.equal(r.status, 409);
    assert.match((await r.json()).error, /no configuration file/);
  }));

Deno.test("admins create, list and revoke tokens over the API; the secret appears only at creation", () =>
  withFixture(async (f) => {
    const created = await f.fetch("/api/v1/tokens", {
      method: "POST",
      token: f.tokens.admin,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "historian", role: "viewer", scopes: ["line:line-2"] }),
    });
    assert.equal(created.status, 201);
    const { token, info } = await created.json();
    assert.match(token, /^gwt_[0-9a-f]{12}_[0-9a-f]{64}$/);
    const seen = await f.json("/api/v1/tags", token);
    assert.deepEqual((seen.body.items as { id: string }[]).map((t) => t.id), ["plc.press2_strokes"]);
    const list = await f.json("/api/v1/tokens", f.tokens.admin);
    const text = JSON.stringify(list.body);
    assert.ok(text.includes(info.id));
    assert.ok(!text.includes(token.slice(-64)));
    assert.ok(!text.includes('"hash"'));
    const revoked = await f.fetch(`/api/v1/tokens/${info.id}`, { method: "DELETE", token: f.tokens.admin });
    assert.equal(revoked.status, 200);
    await revoked.body?.cancel();
    assert.equal((await f.fetch("/api/v1/tags", { token })).status, 401);
    const again = await f.fetch(`/api/v1/tokens/${info.id}`, { method: "DELETE", token: f.tokens.admin });
    assert.equal(again.status, 404);
    await again.body?.cancel();
  }));

Deno.test("token creation validates role and scopes with the body path of each problem", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/tokens", {
      method: "POST",
      token: f.tokens.admin,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x", role: "root", scopes: ["plant:a"] }),
    });
    assert.equal(r.status, 400);
    const paths = (await r.json()).issues.map((i: { path: string }) => i.path);
    assert.deepEqual(paths, ["body.role", "body.scopes[0]"]);
    const notJson = await f.fetch("/api/v1/tokens", {
      method: "POST",
      token: f.tokens.admin,
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    assert.equal(notJson.status, 400);
    assert.match((await notJson.json()).error, /not valid JSON/);
  }));
