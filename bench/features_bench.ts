/**
 * @module Feature pipeline benchmark: a 16-channel 25.6 kHz vibration asset plus 1,000 slow tags.
 * Anchors measured in the same run: a plain-JS feature computation (two-pass stats + fft.js spectrum +
 * band sums) for the per-window cost; the window duration for latency. Run: `deno task bench features`.
 */
import FFT from "fft.js";
import { loadSignalCore } from "../wasm/mod.ts";
import "../core/transforms/mod.ts";
import { anomalySchema, AnomalyTransform } from "../core/anomaly/mod.ts";
import { featuresSchema, FeaturesTransform } from "../core/features/mod.ts";
import { extract } from "../core/features/extract.ts";
import type { WindowConfig } from "../core/features/schema.ts";
import { rollupSchema, RollupTransform } from "../core/rollup/mod.ts";
import {
  Capabilities,
  createLogger,
  type Message,
  Metrics,
  type SampleBlock,
  TagStore,
  type TransformContext,
} from "../core/mod.ts";
import { type BenchSuite, measure, type Measurement, printTable } from "./harness.ts";

const FS = 25_600;
const N = 16_384;
const CHANNELS = 16;
const SLOW = 1000;

function signal(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 24.75 * i) / FS) + 0.3 * rnd());
}

/** The anchor: what a plain TypeScript implementation of the same window features costs. */
function plainFeatures(x: Float64Array, fft: FFT, out: number[], win: Float64Array): number {
  let sum = 0, peak = 0;
  for (const v of x) {
    sum += v;
    if (Math.abs(v) > peak) peak = Math.abs(v);
  }
  const mean = sum / x.length;
  let m2 = 0, m4 = 0;
  for (const v of x) {
    const d = (v - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const rms = Math.sqrt(m2 / x.length);
  const kurt = (m4 / x.length) / (m2 / x.length) ** 2;
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = (x[i]! - mean) * win[i]!;
  fft.realTransform(out, y);
  let band = 0;
  const lo = Math.floor((20 * N) / FS), hi = Math.ceil((30 * N) / FS);
  for (let k = lo; k < hi; k++) band += out[2 * k]! ** 2 + out[2 * k + 1]! ** 2;
  return rms + kurt + peak / rms + band;
}

const WINDOW: WindowConfig = {
  tag: "vib",
  length: N,
  stats: ["rms", "peak", "crest_factor", "kurtosis"],
  spectrum: true,
  bands: [{ name: "1x", orders: [0.8, 1.2] }],
  peaks: 0,
  min_good_share: 0.5,
};
const FULL: WindowConfig = {
  ...WINDOW,
  peaks: 3,
  bands: [{ name: "1x", orders: [0.8, 1.2] }, { name: "2x", orders: [1.8, 2.2] }, {
    name: "hf",
    hz: [2000, 6000],
  }],
  envelope: {
    band: [2000, 6000],
    harmonics: 1,
    tolerance: 0.02,
    bearing: { balls: 9, ball_diameter: 7.94, pitch_diameter: 39.04, contact_angle_deg: 0 },
  },
};

function context(tags: TagStore, sink: (m: readonly Message[]) => void): TransformContext {
  const caps = new Capabilities();
  return {
    name: "bench",
    gateway: { id: "gw", site: "b", version: "b" },
    logger: createLogger({ level: "error", writer: () => {} }),
    metrics: new Metrics(),
    tags,
    signal: new AbortController().signal,
    stateDir: "/nonexistent",
    event: () => {},
    now: () => performance.timeOrigin + performance.now(),
    provide: (c, i) => caps.provide(c, i, "bench"),
    lookup: (c) => caps.lookup(c),
    emit: sink,
  };
}

async function run(): Promise<void> {
  const core = await loadSignalCore();
  const x = signal(N, 1);
  const view = {
    length: N,
    startSeq: 0,
    values: { first: x, second: new Float64Array(0) },
    timestamps: { first: new Float64Array(N), second: new Float64Array(0) },
    quality: { first: new Uint8Array(N), second: new Uint8Array(0) },
  };
  const fft = new FFT(N), out = fft.createComplexArray() as number[];
  const win = Float64Array.from({ length: N }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
  const anchor = measure("plain JS (stats + fft.js + band)", () => plainFeatures(x, fft, out, win));
  const same = measure(
    `core ${core.kind}: same features`,
    () => extract(core, WINDOW, "v", "vib", view, 0, FS, 24.75),
  );
  const full = measure(
    `core ${core.kind}: + peaks, 3 bands, envelope, bearing lines`,
    () => extract(core, FULL, "v", "vib", view, 0, FS, 24.75),
  );
  printTable(`Features of one ${N}-sample window (per core)`, anchor, [same, full], "windows/s");

  // End to end: 16 channels × 25.6 kHz through ring buffers → features → T²+Q scores, plus 1,000 slow tags rolled up.
  const tags = new TagStore(4 * N);
  let scores = 0;
  const latencies: number[] = [];
  let lastAppend = 0;
  const anomaly = new AnomalyTransform(
    (anomalySchema.parse({
      detectors: [{ name: "t2q", type: "pca_t2q", learn_vectors: 20 }],
      persist: false,
    }) as { ok: true; value: never }).value,
  );
  const ctxA = context(tags, (ms) => {
    for (const m of ms) if (m.kind === "score") (scores++, latencies.push(performance.now() - lastAppend));
  });
  await anomaly.start(ctxA);
  const fcfg = featuresSchema.parse({
    assets: [{
      asset: "machine",
      speed: { hz: 24.75 },
      windows: Array.from({ length: CHANNELS }, (_, c) => ({ ...FULL, tag: `vib${c}`, name: `ch${c}` })),
      tolerance_ms: 1000,
    }],
  }) as { ok: true; value: never };
  const features = new FeaturesTransform(fcfg.value, { core });
  await features.start(context(tags, (ms) => anomaly.process(ms)));
  const rollup = new RollupTransform(
    (rollupSchema.parse({ tags: ["slow*"], intervals: ["1s", "1m"] }) as { ok: true; value: never }).value,
  );
  await rollup.start(context(tags, () => {}));
  const blocks = Array.from({ length: CHANNELS }, (_, c) => signal(N, c + 1));
  let t0 = 1e12;
  const dt = 1000 / FS;
  const feed = () => {
    for (let c = 0; c < CHANNELS; c++) {
      const b: SampleBlock = { tag: `vib${c}`, t0, dt, values: blocks[c]!, recv: t0, quality: 0, status: 0 };
      tags.appendBlock(b, "sim");
    }
    for (let i = 0; i < SLOW; i++) {
      tags.append(
        { tag: `slow${i}`, value: i + Math.random(), ts: t0, recv: t0, quality: 0, status: 0 },
        "sim",
      );
    }
    t0 += N * dt;
    lastAppend = performance.now();
  };
  feed();
  features.run();
  const e2e = measure(`${CHANNELS} ch × ${N} window + ${SLOW} slow tags (features+T²Q+rollup)`, () => {
    feed();
    features.run();
    rollup.run();
  }, { opsPerCall: CHANNELS, rounds: 5 });
  printTable("End to end, windows of all channels per second", anchor, [e2e], "windows/s");
  const needed = (CHANNELS * FS) / N;
  console.log(
    `\nreal-time factor on one core: ${(e2e.opsPerSec / needed).toFixed(1)}× (needs ${
      needed.toFixed(1)
    } windows/s)`,
  );

  // Latency: last sample appended → score emitted, with the transform's own scheduling (setTimeout 0).
  latencies.length = 0;
  for (let i = 0; i < 60; i++) {
    feed();
    const done = new Promise<void>((resolve) => {
      const before = scores;
      const poll = () => (scores >= before + 1 ? resolve() : setTimeout(poll, 0));
      features.process([]);
      setTimeout(poll, 0);
    });
    await done;
    rollup.run();
  }
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const windowMs = (N / FS) * 1000;
  const lat = (name: string, ms: number): Measurement => ({ name, nsPerOp: ms * 1e6, opsPerSec: 1000 / ms });
  console.log(
    `\n### Latency, last sample of a window → its score (${latencies.length} windows, goal p99 < 20 ms)\n`,
  );
  console.log("| case | ms | share of the window length |");
  console.log("|---|---:|---:|");
  for (const m of [lat("window length (anchor)", windowMs), lat("p50", pct(0.5)), lat("p99", pct(0.99))]) {
    console.log(
      `| ${m.name} | ${(m.nsPerOp / 1e6).toFixed(2)} | ${
        ((m.nsPerOp / 1e6) / windowMs * 100).toFixed(2)
      } % |`,
    );
  }
  await features.stop();
  await rollup.stop();
  await anomaly.stop();
}

export const featuresSuite: BenchSuite = { name: "features", run };
