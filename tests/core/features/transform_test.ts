import assert from "node:assert/strict";
import { SimulatorSource } from "../../../adapters/simulator/mod.ts";
import { simulatorSchema } from "../../../adapters/simulator/schema.ts";
import { featuresSchema, FeaturesTransform } from "../../../core/features/mod.ts";
import type { SpectraProvider } from "../../../core/mod.ts";
import { loadSignalCore } from "../../../wasm/mod.ts";
import { harness, vectors } from "./_ctx.ts";

const core = await loadSignalCore({ logger: () => {} });

function config(fault: "none" | "outer_race") {
  return {
    sim: simulatorSchema.parse({
      seed: 7,
      tick_ms: 100,
      max_catch_up_s: 5,
      signals: [{
        name: "vib",
        kind: "vibration",
        sample_rate_hz: 25600,
        shaft_hz: 24.75,
        noise: 0.05,
        fault: { type: fault, amplitude: 0.4, resonance_hz: 3000, damping_per_s: 800 },
      }],
    }),
    features: featuresSchema.parse({
      assets: [{
        asset: "pump-1",
        speed: { hz: 24.75 },
        windows: [{
          tag: "plant.vib",
          name: "vib",
          length: 16384,
          stats: ["rms", "kurtosis", "crest_factor"],
          spectrum: true,
          bands: [{ name: "1x", orders: [0.8, 1.2] }, { name: "hf", hz: [2000, 5000] }],
          peaks: 2,
          envelope: {
            band: [2000, 4500],
            bearing: { balls: 9, ball_diameter: 7.94, pitch_diameter: 39.04 },
          },
        }],
      }],
    }),
  };
}

async function runSim(fault: "none" | "outer_race") {
  const h = harness();
  const c = config(fault);
  if (!c.features.ok) throw new Error(JSON.stringify(c.features.issues));
  const t = new FeaturesTransform(c.features.value, { core });
  await t.start(h.ctx("features"));
  if (!c.sim.ok) throw new Error(JSON.stringify(c.sim.issues));
  const sim = new SimulatorSource({ ...c.sim.value, name: "plant" });
  await sim.start(h.source("plant"));
  try {
    for (let i = 0; i < 20; i++) {
      h.clock.now += 100;
      sim.tick();
      t.run();
    }
  } finally {
    await sim.stop();
    await t.stop();
  }
  return { h, t, vs: vectors(h.emitted) };
}

Deno.test("features end-to-end: simulator outer-race fault gives a high BPFO ratio, a healthy bearing does not", async () => {
  const faulty = await runSim("outer_race");
  const healthy = await runSim("none");
  // 2 s at 25.6 kHz = 51,200 samples → 3 complete windows of 16,384, none skipped or repeated.
  assert.equal(faulty.vs.length, 3);
  assert.equal(faulty.vs[1]!.windowStart, faulty.vs[0]!.windowEnd);
  const f = faulty.vs.at(-1)!;
  const g = healthy.vs.at(-1)!;
  assert.equal(f.asset, "pump-1");
  assert.equal(f.schemaVersion, 1);
  assert.deepEqual(f.quality, { worst: "good", goodShare: 1 });
  assert.ok(f.features["vib.bpfo_ratio"]! > 5, `faulty bpfo ratio ${f.features["vib.bpfo_ratio"]}`);
  assert.ok(g.features["vib.bpfo_ratio"]! < 3, `healthy bpfo ratio ${g.features["vib.bpfo_ratio"]}`);
  assert.ok(f.features["vib.bpfo_ratio"]! > 3 * f.features["vib.bpfi_ratio"]!);
  // 1x amplitude 1 → mean square 0.5 in the 1x band; the largest peak is the shaft frequency.
  assert.ok(Math.abs(g.features["vib.band_1x"]! - 0.5) < 0.05, `1x energy ${g.features["vib.band_1x"]}`);
  assert.ok(Math.abs(g.features["vib.peak1_hz"]! - 24.75) < 0.5, `peak ${g.features["vib.peak1_hz"]}`);
  assert.ok(f.features["vib.kurtosis"]! > g.features["vib.kurtosis"]!);
  // The latest spectrum with bearing markers is offered to the dashboard.
  const spectra = faulty.h.capabilities.lookup<SpectraProvider>("spectra")!;
  assert.deepEqual(spectra.tags(), ["plant.vib"]);
  const snap = spectra.latest("plant.vib")!;
  assert.equal(snap.fs, 25600);
  assert.equal(snap.amplitude.length, 16384 / 2 + 1);
  const bpfo = snap.markers!.find((m) => m.name === "bpfo")!;
  assert.ok(Math.abs(bpfo.hz - 3.5848 * 24.75) < 0.5, `bpfo at ${bpfo.hz}`);
  assert.ok(bpfo.ratio! > 5);
});

Deno.test("moment statistics over wrapped ring segments equal the signal core's stats", async () => {
  const { moments } = await import("../../../core/features/moments.ts");
  const x = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) + (i % 13) / 10);
  const m = moments({ first: x.subarray(0, 377), second: x.subarray(377) });
  const s = core.stats(x);
  for (
    const k of [
      "count",
      "mean",
      "std",
      "min",
      "max",
      "rms",
      "peak",
      "peakToPeak",
      "crestFactor",
      "skewness",
      "kurtosis",
    ] as const
  ) {
    assert.ok(Math.abs(m[k] - s[k]) <= 1e-9 * Math.max(1, Math.abs(s[k])), `${k}: ${m[k]} vs ${s[k]}`);
  }
});
