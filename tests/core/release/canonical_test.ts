import assert from "node:assert/strict";
import { canonicalJson } from "../../../core/release/canonical.ts";

Deno.test("canonical JSON sorts keys at every level and drops whitespace", () => {
  const a = canonicalJson({ b: 1, a: { d: [1, { y: "é", x: null }], c: true } });
  const b = canonicalJson(JSON.parse('{ "a": { "c": true, "d": [1, { "x": null, "y": "é" }] }, "b": 1 }'));
  assert.equal(a, b);
  assert.equal(a, '{"a":{"c":true,"d":[1,{"x":null,"y":"é"}]},"b":1}');
});

Deno.test("canonical JSON refuses values without a single encoding, naming their path", () => {
  assert.throws(() => canonicalJson({ a: [1, 2.5] }), /\$\.a\[1\]: only safe integers/);
  assert.throws(() => canonicalJson({ a: new Date() }), /\$\.a: cannot be signed/);
  assert.throws(() => canonicalJson({ n: 2 ** 60 }), /only safe integers/);
});
