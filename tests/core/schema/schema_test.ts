import assert from "node:assert/strict";
import { formatIssues, s, type Schema } from "../../../core/schema/mod.ts";

const device = s.object({
  name: s.id(),
  port: s.int({ min: 1, max: 65535 }).default(502),
  registers: s.array(s.object({ address: s.int({ min: 0 }), type: s.enum(["int16", "float32"]) })).default(
    [],
  ),
  label: s.string().opt(),
});

Deno.test("object schema applies defaults and leaves optional keys absent", () => {
  const r = device.parse({ name: "plc1" });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { name: "plc1", port: 502, registers: [] });
  assert.equal("label" in r.value, false);
});

Deno.test("every error names its path, including list indexes", () => {
  const r = device.parse({
    name: "plc1",
    registers: [{ address: 1, type: "int16" }, { address: -1, type: "float64" }],
  });
  assert.ok(!r.ok);
  assert.deepEqual(formatIssues(r.issues), [
    "registers[1].address: must be >= 0, got -1",
    'registers[1].type: expected one of int16, float32, got string "float64"',
  ]);
});

Deno.test("unknown keys are rejected with a did-you-mean hint", () => {
  const r = device.parse({ name: "plc1", prot: 5020 });
  assert.ok(!r.ok);
  assert.equal(r.issues[0]!.path, "prot");
  assert.match(r.issues[0]!.message, /unknown key \(did you mean "port"\?\)/);
});

Deno.test("missing required keys and wrong types are reported together", () => {
  const r = device.parse({ port: "502" });
  assert.ok(!r.ok);
  const lines = formatIssues(r.issues);
  assert.ok(lines.includes('port: expected an integer, got string "502"'), lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("name: missing required key")), lines.join("\n"));
});

Deno.test("tagged unions pick the variant by key and list the allowed values", () => {
  const variants = new Map<string, Schema<unknown>>([
    ["a", s.object({ kind: s.enum(["a"]), x: s.number() })],
    ["b", s.object({ kind: s.enum(["b"]), y: s.string() })],
  ]);
  const u = s.tagged("kind", () => variants);
  assert.ok(u.parse({ kind: "b", y: "ok" }).ok);
  const bad = u.parse({ kind: "c" });
  assert.ok(!bad.ok);
  assert.equal(formatIssues(bad.issues)[0], 'kind: expected one of a, b, got string "c"');
});

Deno.test("withCheck adds cross-field validation that survives extend", () => {
  const range = s.object({ low: s.number(), high: s.number() }).withCheck((v, path, ctx) => {
    if (v.low >= v.high) ctx.fail(`${path}.high`, "must be greater than low");
  });
  const extended = range.extend({ unit: s.string().opt() });
  const r = extended.parse({ low: 5, high: 1 }, "range");
  assert.ok(!r.ok);
  assert.deepEqual(formatIssues(r.issues), ["range.high: must be greater than low"]);
});

Deno.test("JSON schema mirrors the validator: required, defaults, enums, no additional properties", () => {
  const json = device.toJson() as Record<string, unknown>;
  assert.deepEqual(json.required, ["name"]);
  assert.equal(json.additionalProperties, false);
  const props = json.properties as Record<string, Record<string, unknown>>;
  assert.equal(props.port!.default, 502);
  assert.equal(props.port!.type, "integer");
  const items = props.registers!.items as { properties: Record<string, { enum?: unknown }> };
  assert.deepEqual(items.properties.type!.enum, ["int16", "float32"]);
});

Deno.test("non-finite numbers are rejected", () => {
  for (const v of [Number.NaN, Infinity]) assert.ok(!s.number().parse(v).ok);
});
