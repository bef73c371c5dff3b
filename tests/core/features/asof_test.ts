import assert from "node:assert/strict";
import { asofIndex, AsofSeries, featuresSchema, FeaturesTransform } from "../../../core/features/mod.ts";
import { loadSignalCore } from "../../../wasm/mod.ts";
import { harness, vectors } from "./_ctx.ts";

Deno.test("ASOF index: newest right time at or before each left time, within tolerance, not exact-timestamp equality", () => {
  const idx = asofIndex([100, 205, 300, 1000], [90, 200, 210, 299.5], 50);
  assert.deepEqual([...idx], [0, 1, 3, -1]);
  assert.throws(() => asofIndex([2, 1], [1], 5), /non-decreasing/);
  const s = new AsofSeries();
  s.insert(10, 1, 0);
  s.insert(30, 3, 0);
  s.insert(20, 2, 0); // out of order
  assert.deepEqual(s.at(25, 10), { ts: 20, value: 2, quality: 0 });
  assert.equal(s.at(45, 10), undefined);
  assert.equal(s.watermark, 30);
});

Deno.test("context tags are joined ASOF at each window end; late samples within grace are used, later ones dead-lettered", async () => {
  const core = await loadSignalCore({ logger: () => {} });
  const h = harness(0);
  h.tags.define({ id: "vib", source: "t", dataType: "float", sampleRateHz: 1000, asset: "m" });
  const parsed = featuresSchema.parse({
    assets: [{
      asset: "m",
      windows: [{ tag: "vib", length: 1000, stats: ["rms"] }],
      context: { flow: "flow" },
      tolerance_ms: 1500,
      grace_ms: 500,
    }],
  });
  assert.ok(parsed.ok);
  const t = new FeaturesTransform(parsed.value, { core });
  await t.start(h.ctx("features"));
  const block = (t0: number) =>
    h.tags.appendBlock({
      tag: "vib",
      t0,
      dt: 1,
      values: new Float64Array(1000).fill(2),
      recv: t0,
      quality: 0,
      status: 0,
    }, "t");
  try {
    h.push("flow", [[200, 1], [700, 2]]);
    block(0);
    h.clock.now = 1000;
    t.run();
    assert.equal(vectors(h.emitted).length, 0, "waits: flow has not reached the window end yet");
    h.push("flow", [[1100, 3]]);
    t.run();
    let vs = vectors(h.emitted);
    assert.equal(vs.length, 1);
    assert.equal(vs[0]!.features.flow, 2, "ASOF value at 1000 ms is the 700 ms sample");
    assert.equal(vs[0]!.features["vib.rms"], 2);
    // A sample for 900 ms arrives after the vector at 1000 ms went out: dead letter.
    h.push("flow", [[900, 99]]);
    block(1000);
    h.clock.now = 2000;
    t.run();
    assert.equal(vectors(h.emitted).length, 1, "second window waits for flow (grace)");
    assert.equal(
      h.metrics.gauge("gateway_feature_dead_letters_total", "").render().at(-1)?.endsWith(" 1"),
      true,
    );
    assert.ok(h.events.some((e) => e.type === "features.late_samples"));
    // Grace expires: emitted with the newest value within tolerance (1100 ms → 2000 ms is 900 ms old).
    h.clock.now = 2600;
    t.run();
    vs = vectors(h.emitted);
    assert.equal(vs.length, 2);
    assert.equal(vs[1]!.features.flow, 3);
    // Window 2–3 s: a sample for 2.8 s arrives late but within grace and is used.
    block(2000);
    h.clock.now = 3100;
    t.run();
    h.push("flow", [[3100, 5], [2800, 4]]);
    t.run();
    vs = vectors(h.emitted);
    assert.equal(vs.length, 3);
    assert.equal(vs[2]!.features.flow, 4);
    assert.equal(vs[2]!.windowStart, 2000);
    assert.equal(vs[2]!.windowEnd, 3000);
  } finally {
    await t.stop();
  }
});
