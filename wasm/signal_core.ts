/**
 * @module The public SignalCore API: validates every argument (TypeError / RangeError) and
 * delegates to an engine (WASM SIMD, WASM scalar or the TypeScript fallback).
 */
import type { Engine, RawFft } from "./engine.ts";
import * as feat from "./features.ts";
import { Decimator, type EwOptions, EwStats } from "./streaming.ts";
import type {
  Band,
  BearingFrequencies,
  BearingGeometry,
  CoreKind,
  EnvelopeOptions,
  Peak,
  PeakOptions,
  SpectralShape,
  Spectrum,
  SpectrumOptions,
  ValueAt,
  WelchOptions,
  WindowInput,
  WindowStats,
} from "./types.ts";
import * as v from "./validate.ts";

const STAT_KEYS = [
  "count",
  "mean",
  "std",
  "variance",
  "min",
  "max",
  "rms",
  "peak",
  "peakToPeak",
  "crestFactor",
  "skewness",
  "kurtosis",
  "p50",
  "p95",
  "p99",
] as const;

function checkOut(out: Float32Array | undefined, len: number, what: string): Float32Array {
  if (out === undefined) return new Float32Array(len);
  if (!(out instanceof Float32Array)) throw new TypeError(`${what} must be a Float32Array`);
  if (out.length < len) throw new RangeError(`${what} needs ${len} floats, got ${out.length}`);
  return out;
}

/** Vibration-analysis core. Obtain one with `loadSignalCore()` from wasm/mod.ts. */
export class SignalCore {
  readonly #e: Engine;

  constructor(engine: Engine) {
    this.#e = engine;
  }

  /** "simd", "scalar" (WASM) or "js" (TypeScript fallback). */
  get kind(): CoreKind {
    return this.#e.kind;
  }

  /** Real FFT of any length n >= 2: bins 0..n/2 as interleaved (re, im), 2·(n/2+1) floats. */
  fft(x: WindowInput, out?: Float32Array): Float32Array {
    const n = v.length(v.inputLength(x), "fft length");
    const o = checkOut(out, 2 * (Math.floor(n / 2) + 1), "fft output");
    this.#e.rfft(x, n, o);
    return o;
  }

  /** Inverse real FFT (normalised, so ifft(fft(x), n) ≈ x). */
  ifft(spectrum: Float32Array, n: number, out?: Float32Array): Float32Array {
    v.length(n, "ifft length");
    if (!(spectrum instanceof Float32Array)) throw new TypeError("spectrum must be a Float32Array");
    const bins = 2 * (Math.floor(n / 2) + 1);
    if (spectrum.length !== bins) {
      throw new RangeError(`spectrum of length ${n} needs ${bins} floats, got ${spectrum.length}`);
    }
    const o = checkOut(out, n, "ifft output");
    this.#e.irfft(spectrum, n, o);
    return o;
  }

  /** Complex FFT of interleaved (re, im) data of any length; `inverse` is normalised. */
  complexFft(data: Float32Array, inverse = false, out?: Float32Array): Float32Array {
    if (!(data instanceof Float32Array)) {
      throw new TypeError("data must be a Float32Array of interleaved (re, im)");
    }
    if (data.length % 2 !== 0) {
      throw new RangeError(`interleaved complex data needs an even length, got ${data.length}`);
    }
    const n = v.length(data.length / 2, "complex fft length", 1);
    const o = checkOut(out, data.length, "complex fft output");
    this.#e.cfft(data, n, inverse === true, o);
    return o;
  }

  /** A zero-copy transform of length n whose buffers live in engine memory. */
  fftBuffer(n: number): RawFft {
    return this.#e.rawFft(v.length(n, "fft length"));
  }

  /** Windowed, gain-corrected one-sided spectrum of the whole window. */
  spectrum(x: WindowInput, opts: SpectrumOptions): Spectrum {
    const n = v.length(v.inputLength(x), "spectrum length");
    return this.#spectrum(x, n, n, n, v.options(opts, "spectrum options", true)!);
  }

  /** Welch spectrum: segments of opts.segment samples overlapping by opts.overlap, power-averaged. */
  welch(x: WindowInput, opts: WelchOptions): Spectrum {
    const total = v.inputLength(x);
    const o = v.options(opts, "welch options", true)!;
    const seg = v.length(o.segment, "segment");
    if (seg > total) throw new RangeError(`segment (${seg}) is longer than the input (${total})`);
    const overlap = v.finite(o.overlap ?? 0.5, "overlap");
    if (overlap < 0 || overlap >= 1) throw new RangeError(`overlap must be in [0, 1), got ${overlap}`);
    return this.#spectrum(x, total, seg, Math.max(1, Math.round(seg * (1 - overlap))), o);
  }

  #spectrum(x: WindowInput, total: number, seg: number, step: number, o: SpectrumOptions): Spectrum {
    const fs = v.positive(o.fs, "fs");
    const window = v.windowKind(o.window);
    const scaling = v.scaling(o.scaling);
    const values = new Float64Array(Math.floor(seg / 2) + 1);
    const segments = this.#e.welch(
      x,
      total,
      seg,
      step,
      fs,
      v.WINDOW_CODES[window],
      v.SCALING_CODES[scaling],
      o.detrend === true,
      values,
    );
    return { values, fs, n: seg, binHz: fs / seg, scaling, window, segments };
  }

  /** Envelope spectrum (amplitude): band-pass, Hilbert envelope, windowed FFT of the envelope. */
  envelopeSpectrum(x: WindowInput, opts: EnvelopeOptions): Spectrum {
    const n = v.length(v.inputLength(x), "envelope length", 4);
    const o = v.options(opts, "envelope options", true)!;
    const fs = v.positive(o.fs, "fs");
    if (!Array.isArray(o.band) || o.band.length !== 2) {
      throw new TypeError("band must be a [lo, hi] pair in Hz");
    }
    const lo = v.finite(o.band[0], "band lo"), hi = v.finite(o.band[1], "band hi");
    if (lo < 0 || hi <= lo || hi > fs / 2) {
      throw new RangeError(`band must satisfy 0 <= lo < hi <= fs/2, got [${lo}, ${hi}]`);
    }
    const window = v.windowKind(o.window);
    const values = new Float64Array(Math.floor(n / 2) + 1);
    this.#e.envelope(x, n, fs, lo, hi, v.WINDOW_CODES[window], values);
    return { values, fs, n, binHz: fs / n, scaling: "amplitude", window, segments: 1 };
  }

  peaks(s: Spectrum, opts?: PeakOptions): Peak[] {
    return feat.peaks(this.#e, s, opts);
  }

  bandEnergies(s: Spectrum, bands: readonly Band[]): number[] {
    return feat.bandEnergies(this.#e, s, bands);
  }

  spectralShape(s: Spectrum): SpectralShape {
    return feat.spectralShape(this.#e, s);
  }

  valuesAt(s: Spectrum, freqs: readonly number[], toleranceHz: number, medianSpan?: number): ValueAt[] {
    return feat.valuesAt(this.#e, s, freqs, toleranceHz, medianSpan);
  }

  bearingFrequencies(g: BearingGeometry, shaftHz: number): BearingFrequencies {
    return feat.bearingFrequencies(this.#e, g, shaftHz);
  }

  bearingReport(s: Spectrum, f: BearingFrequencies, opts?: feat.BearingReportOptions): feat.BearingLine[] {
    return feat.bearingReport(this.#e, s, f, opts);
  }

  /** Statistics of one window (exact percentiles). */
  stats(x: WindowInput): WindowStats {
    const n = v.integer(v.inputLength(x), "stats length", 1, 1 << 26);
    const r = this.#e.stats(x, n);
    const out: Record<string, number> = {};
    STAT_KEYS.forEach((k, i) => out[k] = r[i]!);
    return out as unknown as WindowStats;
  }

  /** Zero-phase anti-alias decimation by an integer factor; returns ceil(n/factor) samples. */
  decimate(x: WindowInput, factor: number): Float64Array {
    const n = v.integer(v.inputLength(x), "decimate length", 1, 1 << 26);
    return this.#e.decimate(x, n, v.integer(factor, "decimation factor", 2, 1024));
  }

  /** A stateful decimator for streams. */
  createDecimator(factor: number): Decimator {
    return new Decimator(this.#e, factor);
  }

  /** Streaming exponentially weighted mean/variance. */
  createEwStats(opts: EwOptions): EwStats {
    return new EwStats(this.#e, opts);
  }

  /** Switches the SIMD kernels off (scalar twin) or on; returns whether SIMD is now used. */
  setSimd(on: boolean): boolean {
    return this.#e.setSimd(on === true);
  }
}
