/**
 * @module Streaming helpers of the signal core: exponentially weighted statistics and a stateful decimator.
 */
import type { DecimatorBackend, Engine, EwBackend } from "./engine.ts";
import { finite, inputLength, integer, positive } from "./validate.ts";

/** Options of EwStats: a smoothing factor alpha in (0, 1], or a half-life in samples. */
export type EwOptions = { readonly alpha: number } | { readonly halfLife: number };

/** Exponentially weighted mean and variance over a stream (state lives in the engine). */
export class EwStats {
  readonly alpha: number;
  #b: EwBackend | null;

  constructor(engine: Engine, options: EwOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("EwStats options must be an object");
    }
    const alpha = "alpha" in options
      ? finite(options.alpha, "alpha")
      : 1 - Math.pow(0.5, 1 / positive((options as { halfLife: number }).halfLife, "halfLife"));
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
    this.alpha = alpha;
    this.#b = engine.ew(alpha);
  }

  #backend(): EwBackend {
    if (this.#b === null) throw new TypeError("EwStats used after free()");
    return this.#b;
  }

  /** Adds one sample. */
  push(x: number): this {
    this.#backend().push(finite(x, "sample"));
    return this;
  }

  /** Adds many samples in order. */
  pushMany(xs: Float64Array | Float32Array): this {
    inputLength(xs, "samples");
    this.#backend().pushMany(xs);
    return this;
  }

  get count(): number {
    return this.#backend().read()[0];
  }
  get mean(): number {
    return this.#backend().read()[1];
  }
  get variance(): number {
    return this.#backend().read()[2];
  }
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Releases the engine state; further use throws a TypeError. */
  free(): void {
    this.#b?.free();
    this.#b = null;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** Stateful anti-alias decimator for streams: feed chunks, get every factor-th filtered sample. */
export class Decimator {
  readonly factor: number;
  #b: DecimatorBackend | null;

  constructor(engine: Engine, factor: number) {
    this.factor = integer(factor, "decimation factor", 2, 1024);
    this.#b = engine.decimator(this.factor);
  }

  #backend(): DecimatorBackend {
    if (this.#b === null) throw new TypeError("Decimator used after free()");
    return this.#b;
  }

  /** FIR length; the output lags the input by (taps-1)/2 input samples. */
  get taps(): number {
    return this.#backend().taps;
  }

  /** Filters a chunk and returns the decimated samples it completes. */
  process(x: Float64Array | Float32Array): Float64Array {
    inputLength(x, "samples");
    return this.#backend().process(x);
  }

  reset(): void {
    this.#backend().reset();
  }

  free(): void {
    this.#b?.free();
    this.#b = null;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
