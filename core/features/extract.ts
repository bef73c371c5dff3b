/**
 * @module Turns one window into named features with the signal core: statistics, band energies (Hz or
 * shaft orders), spectral peaks, envelope spectrum and bearing defect lines.
 */
import type { SignalCore, Spectrum, WindowStats } from "../../wasm/mod.ts";
import type { SpectrumSnapshot } from "../history/types.ts";
import type { WindowView } from "../ring/ring_buffer.ts";
import { moments } from "./moments.ts";
import type { StatFeature, WindowConfig } from "./schema.ts";

const STAT_KEY: Record<StatFeature, keyof WindowStats> = {
  count: "count",
  mean: "mean",
  std: "std",
  variance: "variance",
  min: "min",
  max: "max",
  rms: "rms",
  peak: "peak",
  peak_to_peak: "peakToPeak",
  crest_factor: "crestFactor",
  skewness: "skewness",
  kurtosis: "kurtosis",
  p50: "p50",
  p95: "p95",
  p99: "p99",
};

/** Quality of a window: worst code and share of Good samples. */
export function windowQuality(view: WindowView): { worst: number; good: number } {
  let worst = 0;
  let good = 0;
  for (const seg of [view.quality.first, view.quality.second]) {
    for (let i = 0; i < seg.length; i++) {
      const q = seg[i]!;
      if (q === 0) good++;
      else if (q > worst) worst = q;
    }
  }
  return { worst, good: view.length ? good / view.length : 0 };
}

/** Features of one window plus the spectrum snapshot when one was computed. */
export interface Extracted {
  readonly features: Record<string, number>;
  readonly snapshot?: SpectrumSnapshot;
}

/** Computes the configured features of a window. `fs` is needed for spectra, `shaftHz` for orders. */
export function extract(
  core: SignalCore,
  w: WindowConfig,
  prefix: string,
  tag: string,
  view: WindowView,
  end: number,
  fs: number | undefined,
  shaftHz: number | undefined,
): Extracted {
  const out: Record<string, number> = {};
  const x = view.values;
  if (w.stats.length > 0) {
    // Percentiles need the core's sorting stats; moments alone take one fused pass here.
    const st = w.stats.some((k) => k === "p50" || k === "p95" || k === "p99") ? core.stats(x) : moments(x);
    for (const k of w.stats) out[`${prefix}.${k}`] = (st as WindowStats)[STAT_KEY[k]];
  }
  if (!w.spectrum && !w.envelope) return { features: out };
  if (fs === undefined) {
    throw new RangeError(`tag ${tag} has no sample rate: spectra need a uniformly sampled tag`);
  }
  let spectrum: Spectrum | undefined;
  if (w.spectrum) {
    spectrum = core.spectrum(x, { fs, window: "hann", scaling: "amplitude", detrend: true });
    const bands = w.bands.map((b) => {
      if (b.hz) return [b.hz[0]!, b.hz[1]!] as const;
      if (shaftHz === undefined) return undefined;
      return [b.orders![0]! * shaftHz, b.orders![1]! * shaftHz] as const;
    });
    const valid = bands.filter((b): b is readonly [number, number] =>
      b !== undefined && b[1] <= fs / 2 + 1e-9
    );
    const energies = valid.length ? core.bandEnergies(spectrum, valid) : [];
    // A band without a speed (orders) or beyond Nyquist is left out rather than reported as NaN.
    let k = 0;
    w.bands.forEach((b, i) => {
      const band = bands[i];
      if (band !== undefined && band[1] <= fs / 2 + 1e-9) out[`${prefix}.band_${b.name}`] = energies[k++]!;
    });
    if (w.peaks > 0) {
      const peaks = core.peaks(spectrum, { count: w.peaks, minHz: spectrum.binHz });
      for (let i = 0; i < w.peaks; i++) {
        out[`${prefix}.peak${i + 1}_hz`] = peaks[i]?.frequency ?? 0; // fewer peaks than asked: 0 Hz, 0 value
        out[`${prefix}.peak${i + 1}_amp`] = peaks[i]?.value ?? 0;
      }
    }
  }
  let envelope: SpectrumSnapshot["envelope"];
  let markers: { name: string; hz: number; ratio?: number }[] | undefined;
  if (w.envelope) {
    const env = core.envelopeSpectrum(x, {
      fs,
      band: [w.envelope.band[0]!, Math.min(w.envelope.band[1]!, fs / 2)],
    });
    const g = w.envelope.bearing;
    if (g && shaftHz !== undefined) {
      const f = core.bearingFrequencies(
        {
          balls: g.balls,
          ballDiameter: g.ball_diameter,
          pitchDiameter: g.pitch_diameter,
          contactAngleDeg: g.contact_angle_deg,
        },
        shaftHz,
      );
      const lines = core.bearingReport(env, f, {
        tolerance: w.envelope.tolerance,
        harmonics: w.envelope.harmonics,
      });
      markers = [];
      for (const l of lines) {
        const name = l.harmonic === 1 ? l.name : `${l.name}${l.harmonic}`;
        out[`${prefix}.${name}_amp`] = l.value;
        out[`${prefix}.${name}_ratio`] = l.ratioToMedian;
        markers.push({ name, hz: l.target, ratio: l.ratioToMedian });
      }
    }
    // Envelope spectra are for low frequencies: keep up to 10× the highest defect line (or 1 kHz).
    const maxHz = markers?.length ? Math.max(...markers.map((m) => m.hz)) * 10 : 1000;
    const bins = Math.min(env.values.length, Math.ceil(maxHz / env.binHz) + 1);
    envelope = {
      frequencies: Array.from({ length: bins }, (_, i) => i * env.binHz),
      amplitude: Array.from(env.values.subarray(0, bins)),
    };
  }
  if (!spectrum) return { features: out };
  const snapshot: SpectrumSnapshot = {
    tag,
    ts: end,
    fs,
    frequencies: frequencyAxis(spectrum.values.length, spectrum.binHz),
    amplitude: new Float32Array(spectrum.values),
    ...(envelope ? { envelope } : {}),
    ...(markers ? { markers } : {}),
  };
  return { features: out, snapshot };
}

const axes = new Map<string, Float32Array>();

/** Shared, cached frequency axis (bins × binHz); callers must not modify it. */
function frequencyAxis(bins: number, binHz: number): Float32Array {
  const key = `${bins}/${binHz}`;
  let a = axes.get(key);
  if (!a) {
    a = new Float32Array(bins);
    for (let i = 0; i < bins; i++) a[i] = i * binHz;
    if (axes.size > 64) axes.clear();
    axes.set(key, a);
  }
  return a;
}
