import assert from "node:assert/strict";
import { withFixture } from "./fixture.ts";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }
    >
  >;
  components: { securitySchemes: Record<string, unknown> };
};

Deno.test("the OpenAPI document is public, 3.1, and covers every route the app serves", () =>
  withFixture(async (f) => {
    const r = await f.fetch("/api/v1/openapi.json");
    assert.equal(r.status, 200);
    const doc = (await r.json()) as Doc;
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(doc.components.securitySchemes.bearer);
    const documented = new Set<string>();
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        assert.ok(
          op.responses["200"] || op.responses["201"] || op.responses["202"],
          `${path} has a success response`,
        );
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          assert.ok(
            op.parameters.some((p) => p.in === "path" && `{${p.name}}` === name),
            `${path} documents ${name}`,
          );
        }
      }
    }
    const served = (f.server.app.routes as { method: string; path: string }[])
      .filter((r) => r.path.startsWith("/api/") && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    assert.ok(served.length >= 20);
    for (const s of served) assert.ok(documented.has(s), `${s} is documented`);
    assert.equal(documented.size, new Set(served).size);
  }));

Deno.test("query parameters in the document come from the validating schemas", () =>
  withFixture(async (f) => {
    const doc = (await (await f.fetch("/api/v1/openapi.json")).json()) as Doc;
    const history = doc.paths["/api/v1/history"]!.get!;
    const byName = Object.fromEntries(
      history.parameters.map((
        p,
      ) => [p.name, p as unknown as { required: boolean; schema: Record<string, unknown> }]),
    );
    assert.deepEqual(Object.keys(byName).sort(), ["agg", "from", "step", "tags", "to"]);
    assert.equal(byName.tags!.required, true);
    assert.deepEqual(byName.agg!.schema.enum, ["avg", "min", "max", "last", "count", "p95"]);
    assert.equal(typeof byName.from!.schema.pattern, "string");
    const ack = doc.paths["/api/v1/alerts/{id}/acknowledge"]!.post as unknown as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
    };
    assert.ok(ack.requestBody.content["application/json"].schema.properties.comment);
  }));
