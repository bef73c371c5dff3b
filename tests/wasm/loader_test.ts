import assert from "node:assert/strict";
import { loadSignalCore, simdSupported } from "../../wasm/mod.ts";
import { fftjsReal, noise, relErr } from "./helpers.ts";

const x = noise(256, 4);
const simdUrl = new URL("../../wasm/gateway_simd.wasm", import.meta.url);
const scalarUrl = new URL("../../wasm/gateway_scalar.wasm", import.meta.url);

Deno.test("loadSignalCore picks the SIMD module when the runtime supports SIMD128", async () => {
  assert.equal(simdSupported(), true);
  const warnings: string[] = [];
  const core = await loadSignalCore({ logger: (m) => warnings.push(m) });
  assert.equal(core.kind, "simd");
  assert.deepEqual(warnings, []);
});

Deno.test("loadSignalCore accepts explicit bytes or paths (release assets, deno compile)", async () => {
  const fromBytes = await loadSignalCore({ simdBytes: await Deno.readFile(simdUrl) });
  assert.equal(fromBytes.kind, "simd");
  const fromPath = await loadSignalCore({ prefer: "scalar", scalarPath: scalarUrl.pathname });
  assert.equal(fromPath.kind, "scalar");
  assert.ok(relErr(fromPath.fft(x), fftjsReal(x)) <= 1e-5);
});

Deno.test("a broken SIMD module falls back to the scalar module with a warning", async () => {
  const warnings: string[] = [];
  const core = await loadSignalCore({
    simdBytes: new Uint8Array([0, 97, 115, 109, 9]),
    logger: (m) => warnings.push(m),
  });
  assert.equal(core.kind, "scalar");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /scalar WASM/);
});

Deno.test("when WASM cannot load at all the TypeScript fallback is used, with a warning, and still computes", async () => {
  const warnings: string[] = [];
  const core = await loadSignalCore({
    simdPath: "/nonexistent/gateway_simd.wasm",
    scalarBytes: new Uint8Array([1, 2, 3]),
    logger: (m) => warnings.push(m),
  });
  assert.equal(core.kind, "js");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /pure-TypeScript fallback/);
  assert.ok(relErr(core.fft(x), fftjsReal(x)) <= 1e-5);
});

Deno.test("a module of the wrong kind is rejected (scalar bytes offered as SIMD)", async () => {
  const warnings: string[] = [];
  const core = await loadSignalCore({
    simdBytes: await Deno.readFile(scalarUrl),
    logger: (m) => warnings.push(m),
  });
  assert.equal(core.kind, "scalar");
  assert.match(warnings[0]!, /not the simd build/);
});
