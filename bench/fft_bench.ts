/**
 * @module FFT benchmark: the signal core's real FFT (WASM SIMD, WASM scalar, through wasm/mod.ts with
 * copy-in/copy-out and raw in WASM memory) against fft.js and PFFFT-WASM-SIMD on the same input,
 * plus window statistics against a plain JS loop. Run: `deno task bench fft`.
 */
import FFT from "fft.js";
import PFFFT from "@echogarden/pffft-wasm/simd";
import { loadSignalCore } from "../wasm/mod.ts";
import { type BenchSuite, formatNs, measure, type Measurement, printTable } from "./harness.ts";

const SIZES = [256, 1024, 4096, 16384, 65536];
/** Each case is measured this many times, interleaved with the others; the fastest run counts
 * (the machine is shared, so slower runs are interference, not the code). */
const REPEATS = 5;

/** Interleaved best-of-REPEATS `measure` of every case. */
function bestOf(cases: [string, () => unknown][]): Measurement[] {
  const best: Measurement[] = [];
  for (let r = 0; r < REPEATS; r++) {
    cases.forEach(([name, fn], i) => {
      const m = measure(name, fn, { roundMs: 30, rounds: 3 });
      if (!best[i] || m.nsPerOp < best[i]!.nsPerOp) best[i] = m;
    });
  }
  return best;
}

interface Pffft {
  HEAPF32: Float32Array;
  _pffft_new_setup(n: number, kind: number): number;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_transform_ordered(setup: number, inp: number, out: number, work: number, dir: number): void;
}

function input(n: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

/** Plain JS window statistics (two passes + sort), the anchor for core.stats. */
function plainStats(x: Float64Array): number {
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of x) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / x.length;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of x) {
    const d = v - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sorted = Float64Array.from(x).sort();
  return m2 + m3 + m4 + min + max + sorted[Math.floor(0.99 * (x.length - 1))]!;
}

async function run(): Promise<void> {
  const simd = await loadSignalCore();
  const scalar = await loadSignalCore({ prefer: "scalar" });
  const pf = (await (PFFFT as unknown as () => Promise<Pffft>)()) as Pffft;
  const summary: string[] = [];
  for (const n of SIZES) {
    const x = input(n), x64 = Float64Array.from(x);
    const fj = new FFT(n), fjOut = fj.createComplexArray();
    const out = new Float32Array(n + 2);
    const raw = simd.fftBuffer(n);
    raw.input().set(x);
    const setup = pf._pffft_new_setup(n, 0);
    const [pi, po, pw] = [
      pf._pffft_aligned_malloc(4 * n),
      pf._pffft_aligned_malloc(4 * n),
      pf._pffft_aligned_malloc(4 * n),
    ];
    const pOut = new Float32Array(n);
    const [anchor, viaSimd, rawSimd, viaScalar, pffft] = bestOf([
      ["fft.js realTransform+completeSpectrum", () => {
        fj.realTransform(fjOut, x64);
        fj.completeSpectrum(fjOut);
      }],
      ["WASM SIMD core.fft (copy in+out)", () => simd.fft(x, out)],
      ["WASM SIMD raw in-place (fftBuffer)", () => raw.forward()],
      ["WASM scalar core.fft (copy in+out)", () => scalar.fft(x, out)],
      ["PFFFT-WASM-SIMD ordered (copy in+out)", () => {
        pf.HEAPF32.set(x, pi >> 2);
        pf._pffft_transform_ordered(setup, pi, po, pw, 0);
        pOut.set(pf.HEAPF32.subarray(po >> 2, (po >> 2) + n));
      }],
    ]) as [Measurement, Measurement, Measurement, Measurement, Measurement];
    printTable(`real FFT n = ${n} (ns per transform)`, anchor, [viaSimd, rawSimd, viaScalar, pffft], "fft/s");
    const r = (m: Measurement) => (anchor.nsPerOp / m.nsPerOp).toFixed(2);
    summary.push(
      `| ${n} | ${formatNs(anchor.nsPerOp)} | ${formatNs(viaSimd.nsPerOp)} (${r(viaSimd)}×) | ${
        formatNs(rawSimd.nsPerOp)
      } (${r(rawSimd)}×) | ${formatNs(viaScalar.nsPerOp)} (${r(viaScalar)}×) | ${formatNs(pffft.nsPerOp)} (${
        r(pffft)
      }×) | ${(pffft.nsPerOp / viaSimd.nsPerOp).toFixed(2)}× |`,
    );
  }
  console.log("\n### summary: time per real FFT (speed-up vs fft.js)\n");
  console.log(
    "| n | fft.js | WASM SIMD core.fft | WASM SIMD raw | WASM scalar core.fft | PFFFT SIMD | core.fft vs PFFFT |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const line of summary) console.log(line);

  const w = Float64Array.from(input(65536));
  const js = await loadSignalCore({ prefer: "js" });
  const [anchor, ...rows] = bestOf([
    ["plain JS loop (2 passes + sort)", () => plainStats(w)],
    ["WASM SIMD core.stats", () => simd.stats(w)],
    ["WASM scalar core.stats", () => scalar.stats(w)],
    ["JS fallback core.stats", () => js.stats(w)],
  ]) as [Measurement, ...Measurement[]];
  printTable("window statistics, 65,536 samples", anchor, rows, "windows/s");
}

export const fftSuite: BenchSuite = { name: "fft", run };
