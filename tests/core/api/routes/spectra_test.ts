import assert from "node:assert/strict";
import { SPECTRA_CAPABILITY, type SpectraProvider, type SpectrumSnapshot } from "../../../../core/mod.ts";
import { T0, withFixture } from "../fixture.ts";

const N = 10_000;
const snapshot: SpectrumSnapshot = {
  tag: "plc.pump1_temp",
  ts: T0,
  fs: 25_600,
  frequencies: Float32Array.from({ length: N }, (_, i) => i * 1.28),
  amplitude: Float32Array.from({ length: N }, (_, i) => (i === 7777 ? 5 : 0.01)),
  envelope: { frequencies: [0, 1, 2], amplitude: [0, 0.5, 0] },
  markers: [{ name: "BPFO", hz: 88.9, ratio: 6.2 }],
};
const provider: SpectraProvider = {
  latest: (tag) => (tag === snapshot.tag ? snapshot : undefined),
  tags: () => [snapshot.tag, "plc.press2_strokes"],
};

Deno.test("spectra returns the latest spectrum reduced to max_bins keeping peaks, with envelope and markers", () =>
  withFixture(async (f) => {
    f.gateway.pipeline.capabilities.provide(SPECTRA_CAPABILITY, provider, "features");
    const r = await f.json("/api/v1/spectra/plc.pump1_temp?max_bins=1000", f.tokens.viewer);
    assert.equal(r.status, 200);
    const amp = r.body.amplitude as number[];
    assert.equal(amp.length, 1000);
    assert.equal(Math.max(...amp), 5);
    assert.equal(r.body.bins, N);
    assert.deepEqual(r.body.markers, snapshot.markers);
    assert.deepEqual((r.body.envelope as { amplitude: number[] }).amplitude, [0, 0.5, 0]);
  }));

Deno.test("spectra lists only visible tags and hides others as 404", () =>
  withFixture(async (f) => {
    f.gateway.pipeline.capabilities.provide(SPECTRA_CAPABILITY, provider, "features");
    const list = await f.json("/api/v1/spectra", f.tokens.line2);
    assert.deepEqual(list.body.tags, ["plc.press2_strokes"]);
    const hidden = await f.json("/api/v1/spectra/plc.pump1_temp", f.tokens.line2);
    assert.equal(hidden.status, 404);
  }));

Deno.test("spectra answers 503 when no transform provides spectra", () =>
  withFixture(async (f) => {
    const r = await f.json("/api/v1/spectra", f.tokens.viewer);
    assert.equal(r.status, 503);
    assert.match(String(r.body.error), /capability "spectra"/);
  }));
