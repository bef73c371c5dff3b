/**
 * @module The pure-TypeScript engine used when WebAssembly cannot load: float64 arithmetic on
 * fft.js, same API and definitions as the WASM engine (results agree to float32 precision).
 */
import type { DecimatorBackend, Engine, EwBackend, RawFft } from "./engine.ts";
import { envelopeSpectrum, welch } from "./js_dsp.ts";
import { complexFft, realFft, realIfft } from "./js_fft.ts";
import * as jf from "./js_features.ts";
import { decimateOnce, design, JsDecimator, stats } from "./js_stats.ts";
import type { CoreKind, WindowInput } from "./types.ts";

/** A contiguous float64 copy of a window. */
function contiguous(x: WindowInput): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x instanceof Float32Array) return Float64Array.from(x);
  const out = new Float64Array(x.first.length + x.second.length);
  out.set(x.first);
  out.set(x.second, x.first.length);
  return out;
}

export class JsEngine implements Engine {
  readonly kind: CoreKind = "js";

  rfft(x: WindowInput, n: number, out: Float32Array): void {
    out.set(realFft(contiguous(x), n));
  }

  irfft(spec: Float32Array, n: number, out: Float32Array): void {
    out.set(realIfft(Float64Array.from(spec), n));
  }

  cfft(data: Float32Array, n: number, inverse: boolean, out: Float32Array): void {
    out.set(complexFft(Float64Array.from(data), n, inverse));
  }

  rawFft(n: number): RawFft {
    const input = new Float32Array(n), output = new Float32Array(2 * (Math.floor(n / 2) + 1));
    return { n, input: () => input, output: () => output, forward: () => this.rfft(input, n, output) };
  }

  welch(
    x: WindowInput,
    _total: number,
    seg: number,
    step: number,
    fs: number,
    window: number,
    scaling: number,
    detrend: boolean,
    out: Float64Array,
  ): number {
    const r = welch(contiguous(x), seg, step, fs, window, scaling, detrend);
    out.set(r.values);
    return r.segments;
  }

  envelope(
    x: WindowInput,
    _n: number,
    fs: number,
    lo: number,
    hi: number,
    window: number,
    out: Float64Array,
  ): void {
    out.set(envelopeSpectrum(contiguous(x), fs, lo, hi, window));
  }

  peaks(v: Float64Array, binHz: number, loHz: number, hiHz: number, count: number): Float64Array {
    return jf.peaks(v, binHz, loHz, hiHz, count);
  }

  bandSums(v: Float64Array, binHz: number, mode: number, bands: Float64Array): Float64Array {
    return jf.bandSums(v, binHz, mode, bands);
  }

  shape(v: Float64Array, binHz: number, mode: number): Float64Array {
    return jf.shape(v, binHz, mode);
  }

  valuesNear(
    v: Float64Array,
    binHz: number,
    freqs: Float64Array,
    tol: number,
    medFrac: number,
  ): Float64Array {
    return jf.valuesNear(v, binHz, freqs, tol, medFrac);
  }

  bearing(balls: number, ballD: number, pitchD: number, angleRad: number, shaftHz: number): Float64Array {
    return jf.bearing(balls, ballD, pitchD, angleRad, shaftHz);
  }

  stats(x: WindowInput): Float64Array {
    return stats(contiguous(x));
  }

  ew(alpha: number): EwBackend {
    let count = 0, mean = 0, variance = 0, freed = false;
    const push = (x: number) => {
      if (freed) throw new TypeError("EwStats used after free()");
      if (count === 0) [mean, variance] = [x, 0];
      else {
        const diff = x - mean, incr = alpha * diff;
        mean += incr;
        variance = (1 - alpha) * (variance + diff * incr);
      }
      count++;
    };
    return {
      push,
      pushMany: (xs) => xs.forEach(push),
      read: () => [count, mean, variance],
      free: () => void (freed = true),
    };
  }

  decimate(x: WindowInput, _n: number, factor: number): Float64Array {
    return decimateOnce(contiguous(x), factor, design(factor));
  }

  decimator(factor: number): DecimatorBackend {
    const d = new JsDecimator(factor);
    return { taps: d.h.length, process: (x) => d.process(x), reset: () => d.reset(), free: () => {} };
  }

  setSimd(_on: boolean): boolean {
    return false;
  }
}
