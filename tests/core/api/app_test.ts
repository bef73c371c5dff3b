import assert from "node:assert/strict";
import { withFixture } from "./fixture.ts";

Deno.test("a request without a token is answered 401 with a bearer challenge and a hint", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/tags");
    assert.equal(r.status, 401);
    assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
    const body = await r.json();
    assert.match(body.error, /missing bearer token.*gateway token create/);
  }));

Deno.test("an invalid, malformed or revoked token is answered 401", () =>
  withFixture(async (f) => {
    const bad = f.tokens.viewer.slice(0, -4) + "0000";
    assert.equal((await f.fetch("/api/v1/tags", { token: bad })).status, 401);
    const malformed = await f.fetch("/api/v1/tags", { headers: { authorization: "Basic abc" } });
    assert.equal(malformed.status, 401);
    assert.match((await malformed.json()).error, /malformed Authorization header/);
    assert.equal((await f.fetch("/api/v1/tags", { token: f.tokens.viewer })).status, 200);
    await f.server.api.tokens.revoke("viewer");
    await f.server.api.verifier.refresh(true);
    assert.equal((await f.fetch("/api/v1/tags", { token: f.tokens.viewer })).status, 401);
  }));

Deno.test("a role too low for the route is answered 403 naming the role needed", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/config/reload", { method: "POST", token: f.tokens.operator });
    assert.equal(r.status, 403);
    assert.match((await r.json()).error, /needs role admin; token "operator" has role operator/);
  }));

Deno.test("health is public by default and needs a token when public_health is false", async () => {
  await withFixture(async (f) => {
    const r = await f.json("/api/v1/health");
    assert.equal(r.status, 200);
    assert.equal(r.body.version, "9.9.9-test");
    assert.equal((r.body.api as { port: number }).port, f.server.port);
    assert.ok(f.server.port! > 0);
    // The dashboard reads this to decide whether it must ask for a token.
    assert.equal((r.body.api as { anonymous_role: string }).anonymous_role, "none");
  });
  await withFixture(async (f) => {
    const r = await f.json("/api/v1/health");
    assert.equal((r.body.api as { anonymous_role: string }).anonymous_role, "viewer");
    assert.equal((await f.fetch("/api/v1/tags")).status, 200, "anonymous viewer reads without a token");
  }, { httpYaml: "  auth: { anonymous_role: viewer }\n" });
  await withFixture(async (f) => {
    assert.equal((await f.fetch("/api/v1/health")).status, 401);
    assert.equal((await f.fetch("/api/v1/health", { token: f.tokens.viewer })).status, 200);
  }, { httpYaml: "  auth: { public_health: false }\n" });
});

Deno.test("anonymous_role lets requests without a token in with that role only", () =>
  withFixture(async (f) => {
    assert.equal((await f.fetch("/api/v1/tags")).status, 200);
    assert.equal((await f.fetch("/api/v1/config/reload", { method: "POST" })).status, 403);
  }, { httpYaml: "  auth: { anonymous_role: viewer }\n" }));

Deno.test("every response carries security headers and API responses are not cached", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/health");
    await r.body?.cancel();
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    assert.equal(r.headers.get("x-frame-options"), "DENY");
    assert.equal(r.headers.get("referrer-policy"), "no-referrer");
    assert.match(r.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.equal(r.headers.get("strict-transport-security"), null);
  }));

Deno.test("CORS is off by default and answers only allowed origins when configured", async () => {
  await withFixture(async (f) => {
    const r = await f.fetch("/api/v1/health", { headers: { origin: "https://evil.example" } });
    await r.body?.cancel();
    assert.equal(r.headers.get("access-control-allow-origin"), null);
  });
  await withFixture(async (f) => {
    const pre = await f.fetch("/api/v1/tags", {
      method: "OPTIONS",
      headers: { origin: "https://scada.local", "access-control-request-method": "GET" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "https://scada.local");
    assert.match(pre.headers.get("access-control-allow-headers") ?? "", /authorization/);
    const ok = await f.fetch("/api/v1/tags", {
      token: f.tokens.viewer,
      headers: { origin: "https://scada.local" },
    });
    await ok.body?.cancel();
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://scada.local");
    const denied = await f.fetch("/api/v1/tags", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    assert.equal(denied.status, 403);
    await denied.body?.cancel();
  }, { httpYaml: '  cors: { allowed_origins: ["https://scada.local"] }\n' });
});

Deno.test("an unknown route is a JSON 404 pointing at the OpenAPI document", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/nope", f.tokens.viewer);
    assert.equal(r.status, 404);
    assert.match(String(r.body.error), /no route GET \/api\/v1\/nope; see \/api\/v1\/openapi.json/);
  }));

Deno.test("an unknown query parameter is a 400 naming it with a did-you-mean hint", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/history?tags=plc.ambient&form=-1h", f.tokens.viewer);
    assert.equal(r.status, 400);
    const issues = r.body.issues as { path: string; message: string }[];
    assert.equal(issues[0]!.path, "form");
    assert.match(issues[0]!.message, /did you mean "from"/);
  }));

Deno.test("metrics need a token by default and count requests by route and status", () =>
  withFixture(async (f) => {
    assert.equal((await f.fetch("/api/v1/metrics")).status, 401);
    await (await f.fetch("/api/v1/tags", { token: f.tokens.viewer })).body?.cancel();
    const r = await f.fetch("/api/v1/metrics", { token: f.tokens.viewer });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /text\/plain; version=0.0.4/);
    const text = await r.text();
    assert.match(text, /gateway_http_requests_total\{method="GET",route="\/api\/v1\/tags",status="200"\} 1/);
    assert.match(text, /gateway_http_request_duration_seconds_bucket\{route="\/api\/v1\/tags",le="0.5"\} 1/);
    assert.match(text, /gateway_tags 4/);
  }));

Deno.test("a JSON body larger than max_body_bytes is answered 413", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/tokens", {
      method: "POST",
      token: f.tokens.admin,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(5000), role: "viewer" }),
    });
    assert.equal(r.status, 413);
    assert.match((await r.json()).error, /at most 1024 bytes/);
  }, { httpYaml: "  limits: { max_body_bytes: 1024 }\n" }));
