/**
 * @module Public types of the signal core (wasm/mod.ts): inputs, options and results.
 */

/** Which implementation runs: WASM with SIMD128, WASM without SIMD, or the pure-TypeScript fallback. */
export type CoreKind = "simd" | "scalar" | "js";

/** Two zero-copy views of a ring buffer that wrapped: `first` then `second` form the window. */
export interface RingSegments {
  readonly first: Float64Array;
  readonly second: Float64Array;
}

/** A window of samples: one contiguous array or two ring-buffer segments. */
export type WindowInput = Float32Array | Float64Array | RingSegments;

/** Analysis windows (periodic / DFT-even). */
export type WindowKind = "hann" | "hamming" | "blackman-harris" | "flattop" | "rectangular";

/**
 * One-sided spectrum scaling:
 * - `amplitude`: peak amplitude of a sinusoid (coherent-gain corrected), engineering units;
 * - `power`: amplitude²/2 per bin (coherent-gain corrected), units²;
 * - `energy`: mean-square per bin (energy-gain corrected): the bins sum to the signal's mean square;
 * - `psd`: power spectral density (energy-gain corrected), units²/Hz.
 */
export type Scaling = "amplitude" | "power" | "energy" | "psd";

/** Options of `spectrum`. */
export interface SpectrumOptions {
  /** Sample rate in Hz (> 0). */
  readonly fs: number;
  /** Analysis window; default "hann". */
  readonly window?: WindowKind;
  /** Scaling of the values; default "amplitude". */
  readonly scaling?: Scaling;
  /** Remove the mean before windowing; default false. */
  readonly detrend?: boolean;
}

/** Options of `welch`: segment length and overlap fraction in [0, 1). */
export interface WelchOptions extends SpectrumOptions {
  /** Samples per segment (>= 2). */
  readonly segment: number;
  /** Overlap between segments as a fraction in [0, 1); default 0.5. */
  readonly overlap?: number;
}

/** A one-sided spectrum: `values[k]` belongs to frequency k·binHz, k = 0..n/2. */
export interface Spectrum {
  readonly values: Float64Array;
  readonly fs: number;
  /** Transform length (segment length for Welch). */
  readonly n: number;
  readonly binHz: number;
  readonly scaling: Scaling;
  readonly window: WindowKind;
  /** Number of averaged segments (1 unless Welch). */
  readonly segments: number;
}

/** Options of `envelopeSpectrum`. */
export interface EnvelopeOptions {
  readonly fs: number;
  /** Band-pass [lo, hi] in Hz applied before the Hilbert envelope. */
  readonly band: readonly [number, number];
  /** Window of the envelope spectrum; default "hann". */
  readonly window?: WindowKind;
}

/** Options of `peaks`. */
export interface PeakOptions {
  /** Number of peaks to return (largest first); default 5. */
  readonly count?: number;
  readonly minHz?: number;
  readonly maxHz?: number;
}

/** A spectral peak: frequency refined by parabolic interpolation (on log values). */
export interface Peak {
  readonly frequency: number;
  readonly value: number;
  readonly bin: number;
}

/** A frequency band [lo, hi) in Hz. */
export type Band = readonly [number, number];

/** Power-weighted moments of the frequency axis. */
export interface SpectralShape {
  readonly centroid: number;
  readonly spread: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/** The largest value within ±tolerance of a target frequency. */
export interface ValueAt {
  readonly target: number;
  /** Interpolated frequency of the largest bin in range (NaN when no bin is in range). */
  readonly frequency: number;
  readonly value: number;
  readonly bin: number;
  /** value divided by the median of the spectrum over target·(1 ± medianSpan). */
  readonly ratioToMedian: number;
}

/** Rolling-element bearing geometry (diameters in any one unit). */
export interface BearingGeometry {
  readonly balls: number;
  readonly ballDiameter: number;
  readonly pitchDiameter: number;
  /** Contact angle in degrees; default 0. */
  readonly contactAngleDeg?: number;
}

/** Bearing defect frequencies in Hz. */
export interface BearingFrequencies {
  readonly shaftHz: number;
  /** Fundamental train (cage) frequency. */
  readonly ftf: number;
  /** Ball pass frequency, outer race. */
  readonly bpfo: number;
  /** Ball pass frequency, inner race. */
  readonly bpfi: number;
  /** Ball spin frequency. */
  readonly bsf: number;
}

/** Statistics of one window (population moments; kurtosis is non-excess, 3 for a Gaussian). */
export interface WindowStats {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly variance: number;
  readonly min: number;
  readonly max: number;
  readonly rms: number;
  readonly peak: number;
  readonly peakToPeak: number;
  readonly crestFactor: number;
  readonly skewness: number;
  readonly kurtosis: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Options of `loadSignalCore`. */
export interface LoadOptions {
  /** Force an implementation (default: best available). */
  readonly prefer?: CoreKind;
  /** Bytes of gateway_simd.wasm (e.g. a release asset); skips reading the file. */
  readonly simdBytes?: BufferSource;
  /** Bytes of gateway_scalar.wasm. */
  readonly scalarBytes?: BufferSource;
  /** Location of gateway_simd.wasm (default: beside wasm/mod.ts). */
  readonly simdPath?: string | URL;
  /** Location of gateway_scalar.wasm (default: beside wasm/mod.ts). */
  readonly scalarPath?: string | URL;
  /** Receives warnings (default console.warn), e.g. when falling back to TypeScript. */
  readonly logger?: (message: string) => void;
}
