/**
 * @module Spectral features and bearing diagnostics on top of an engine: peaks, band energies,
 * spectral shape, values near given frequencies, bearing defect frequencies and their report.
 */
import type { Engine } from "./engine.ts";
import type {
  Band,
  BearingFrequencies,
  BearingGeometry,
  Peak,
  PeakOptions,
  SpectralShape,
  Spectrum,
  ValueAt,
} from "./types.ts";
import { finite, integer, options, positive } from "./validate.ts";

/** How the engine turns spectrum values into power: 0 as is, 1 amplitude (v²/2), 2 density (v·Δf). */
function mode(s: Spectrum): number {
  return s.scaling === "amplitude" ? 1 : s.scaling === "psd" ? 2 : 0;
}

function checkSpectrum(s: Spectrum): Spectrum {
  if (typeof s !== "object" || s === null || !(s.values instanceof Float64Array)) {
    throw new TypeError("spectrum must be a Spectrum returned by the core");
  }
  positive(s.binHz, "spectrum.binHz");
  if (s.values.length === 0) throw new RangeError("spectrum has no values");
  return s;
}

/** The `count` largest local maxima between minHz and maxHz, largest first. */
export function peaks(e: Engine, s: Spectrum, opts?: PeakOptions): Peak[] {
  checkSpectrum(s);
  const o = options(opts, "peak options", false) ?? {};
  const count = integer(o.count ?? 5, "count", 1, 4096);
  const lo = finite(o.minHz ?? 0, "minHz");
  const hi = finite(o.maxHz ?? s.binHz * (s.values.length - 1), "maxHz");
  const t = e.peaks(s.values, s.binHz, lo, hi, count);
  const out: Peak[] = [];
  for (let i = 0; i + 2 < t.length; i += 3) out.push({ frequency: t[i]!, value: t[i + 1]!, bin: t[i + 2]! });
  return out;
}

/** Cosine-sum coefficients (as in wasm/src/windows.rs). */
const COEFFS: Readonly<Record<Spectrum["window"], readonly number[]>> = {
  rectangular: [1],
  hann: [0.5, 0.5],
  hamming: [0.54, 0.46],
  "blackman-harris": [0.35875, 0.48829, 0.14128, 0.01168],
  flattop: [0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368],
};

/** Equivalent noise bandwidth in bins, n·Σw²/(Σw)², exact for periodic windows. */
export function enbw(window: Spectrum["window"]): number {
  const a = COEFFS[window];
  const a0 = a[0]!;
  return (a0 * a0 + 0.5 * a.slice(1).reduce((acc, c) => acc + c * c, 0)) / (a0 * a0);
}

/**
 * Power (units², mean square) in each band [lo, hi). Coherent-gain scalings (amplitude, power) are
 * divided by the window's equivalent noise bandwidth so that broadband and tonal power both come
 * out right; energy and PSD spectra are summed as they are.
 */
export function bandEnergies(e: Engine, s: Spectrum, bands: readonly Band[]): number[] {
  checkSpectrum(s);
  if (!Array.isArray(bands)) throw new TypeError("bands must be an array of [lo, hi] pairs");
  const flat = new Float64Array(bands.length * 2);
  bands.forEach((b, i) => {
    if (!Array.isArray(b) || b.length !== 2) throw new TypeError(`band ${i} must be a [lo, hi] pair`);
    const lo = finite(b[0], `band ${i} lo`), hi = finite(b[1], `band ${i} hi`);
    if (lo < 0 || hi <= lo) throw new RangeError(`band ${i} must satisfy 0 <= lo < hi, got [${lo}, ${hi}]`);
    flat[2 * i] = lo;
    flat[2 * i + 1] = hi;
  });
  const coherent = s.scaling === "amplitude" || s.scaling === "power";
  const k = coherent ? 1 / enbw(s.window) : 1;
  return Array.from(e.bandSums(s.values, s.binHz, mode(s), flat), (p) => p * k);
}

/** Centroid, spread, skewness and kurtosis of the power distribution over frequency. */
export function spectralShape(e: Engine, s: Spectrum): SpectralShape {
  checkSpectrum(s);
  const r = e.shape(s.values, s.binHz, mode(s));
  return { centroid: r[0]!, spread: r[1]!, skewness: r[2]!, kurtosis: r[3]! };
}

/** For each target frequency: the largest value within ±toleranceHz and its ratio to the local median. */
export function valuesAt(
  e: Engine,
  s: Spectrum,
  freqs: readonly number[],
  toleranceHz: number,
  medianSpan = 0.2,
): ValueAt[] {
  checkSpectrum(s);
  if (!Array.isArray(freqs)) throw new TypeError("frequencies must be an array of numbers");
  const f = Float64Array.from(freqs.map((v, i) => positive(v, `frequency ${i}`)));
  const tol = finite(toleranceHz, "toleranceHz");
  if (tol < 0) throw new RangeError(`toleranceHz must be >= 0, got ${tol}`);
  const span = finite(medianSpan, "medianSpan");
  if (span <= 0 || span >= 1) throw new RangeError(`medianSpan must be in (0, 1), got ${span}`);
  const r = e.valuesNear(s.values, s.binHz, f, tol, span);
  return freqs.map((target, i) => ({
    target,
    frequency: r[4 * i]!,
    value: r[4 * i + 1]!,
    bin: r[4 * i + 2]!,
    ratioToMedian: r[4 * i + 3]!,
  }));
}

/** Defect frequencies of a rolling-element bearing at shaft frequency shaftHz. */
export function bearingFrequencies(e: Engine, g: BearingGeometry, shaftHz: number): BearingFrequencies {
  if (typeof g !== "object" || g === null) throw new TypeError("bearing geometry must be an object");
  const balls = integer(g.balls, "balls", 1, 1000);
  const d = positive(g.ballDiameter, "ballDiameter");
  const pd = positive(g.pitchDiameter, "pitchDiameter");
  if (d >= pd) throw new RangeError(`ballDiameter (${d}) must be smaller than pitchDiameter (${pd})`);
  const angle = finite(g.contactAngleDeg ?? 0, "contactAngleDeg");
  if (angle < 0 || angle >= 90) throw new RangeError(`contactAngleDeg must be in [0, 90), got ${angle}`);
  const fr = positive(shaftHz, "shaftHz");
  const r = e.bearing(balls, d, pd, (angle * Math.PI) / 180, fr);
  return { shaftHz: fr, ftf: r[0]!, bpfo: r[1]!, bpfi: r[2]!, bsf: r[3]! };
}

/** One line of a bearing report. */
export interface BearingLine extends ValueAt {
  readonly name: "ftf" | "bpfo" | "bpfi" | "bsf";
  readonly harmonic: number;
}

/** Options of `bearingReport`. */
export interface BearingReportOptions {
  /** Search tolerance as a fraction of each frequency; default 0.02 (slip makes lines drift). */
  readonly tolerance?: number;
  /** Median window: frequency·(1 ± medianSpan); default 0.2. */
  readonly medianSpan?: number;
  /** Harmonics 1..harmonics of each frequency; default 1. */
  readonly harmonics?: number;
}

/** Looks up every defect frequency (and harmonics) in an envelope spectrum. */
export function bearingReport(
  e: Engine,
  s: Spectrum,
  f: BearingFrequencies,
  opts?: BearingReportOptions,
): BearingLine[] {
  const o = options(opts, "report options", false) ?? {};
  const tol = finite(o.tolerance ?? 0.02, "tolerance");
  if (tol <= 0 || tol >= 0.5) throw new RangeError(`tolerance must be in (0, 0.5), got ${tol}`);
  const harmonics = integer(o.harmonics ?? 1, "harmonics", 1, 20);
  const names = ["ftf", "bpfo", "bpfi", "bsf"] as const;
  const lines: BearingLine[] = [];
  for (const name of names) {
    for (let h = 1; h <= harmonics; h++) {
      const target = positive(f[name], name) * h;
      const [v] = valuesAt(e, s, [target], target * tol, o.medianSpan ?? 0.2);
      if (v) lines.push({ ...v, name, harmonic: h });
    }
  }
  return lines;
}
