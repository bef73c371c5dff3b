/**
 * @module The internal engine interface implemented by the WASM boundary (mod.ts) and the
 * pure-TypeScript fallback (js_engine.ts). Arguments are validated before they reach an engine.
 */
import type { CoreKind, WindowInput } from "./types.ts";

/** Streaming exponentially weighted statistics state. */
export interface EwBackend {
  push(x: number): void;
  pushMany(xs: Float64Array | Float32Array): void;
  /** [count, mean, variance] */
  read(): [number, number, number];
  free(): void;
}

/** Streaming decimator state. */
export interface DecimatorBackend {
  readonly taps: number;
  process(x: Float64Array | Float32Array): Float64Array;
  reset(): void;
  free(): void;
}

/** A transform whose input and output stay in engine memory (zero-copy for WASM). */
export interface RawFft {
  readonly n: number;
  /** View of the n input samples (re-fetch after other core calls: memory may have grown). */
  input(): Float32Array;
  /** View of the 2·(n/2+1) output floats. */
  output(): Float32Array;
  /** Transforms input() into output() in place in engine memory. */
  forward(): void;
}

/** Low-level operations; every length and option is already validated. */
export interface Engine {
  readonly kind: CoreKind;
  /** Real FFT of n samples into `out` (2·(n/2+1) floats, interleaved re/im). */
  rfft(x: WindowInput, n: number, out: Float32Array): void;
  /** Normalised inverse of `rfft`. */
  irfft(spec: Float32Array, n: number, out: Float32Array): void;
  /** Complex FFT of n interleaved values; normalised when inverse. */
  cfft(data: Float32Array, n: number, inverse: boolean, out: Float32Array): void;
  /** Welch-averaged one-sided spectrum; returns the number of segments. */
  welch(
    x: WindowInput,
    total: number,
    seg: number,
    step: number,
    fs: number,
    window: number,
    scaling: number,
    detrend: boolean,
    out: Float64Array,
  ): number;
  /** Amplitude envelope spectrum of n samples band-passed to [lo, hi] Hz. */
  envelope(
    x: WindowInput,
    n: number,
    fs: number,
    lo: number,
    hi: number,
    window: number,
    out: Float64Array,
  ): void;
  /** (freq, value, bin) triples of the largest local maxima, largest first. */
  peaks(v: Float64Array, binHz: number, loHz: number, hiHz: number, count: number): Float64Array;
  /** Power per band; mode 0 power values, 1 amplitude values, 2 densities. */
  bandSums(v: Float64Array, binHz: number, mode: number, bands: Float64Array): Float64Array;
  /** [centroid, spread, skewness, kurtosis]. */
  shape(v: Float64Array, binHz: number, mode: number): Float64Array;
  /** 4 values per target: (freq, value, bin, ratio to median). */
  valuesNear(v: Float64Array, binHz: number, freqs: Float64Array, tol: number, medFrac: number): Float64Array;
  /** [FTF, BPFO, BPFI, BSF]. */
  bearing(balls: number, ballD: number, pitchD: number, angleRad: number, shaftHz: number): Float64Array;
  /** 15 statistics in the order of WindowStats. */
  stats(x: WindowInput, n: number): Float64Array;
  ew(alpha: number): EwBackend;
  decimate(x: WindowInput, n: number, factor: number): Float64Array;
  decimator(factor: number): DecimatorBackend;
  /** A raw in-memory transform of length n. */
  rawFft(n: number): RawFft;
  /** Switches between the SIMD kernels and their scalar twin; returns the resulting state. */
  setSimd(on: boolean): boolean;
}
