/**
 * @module Window statistics, exponentially weighted statistics and decimation for the TypeScript
 * fallback — the same algorithms as wasm/src/stats.rs, ew.rs and decimate.rs.
 */

/** 15 statistics in the order of WindowStats (population moments, non-excess kurtosis). */
export function stats(x: Float64Array): Float64Array {
  let n = 0, mean = 0, m2 = 0, m3 = 0, m4 = 0, lo = Infinity, hi = -Infinity;
  const shift = Number.isFinite(x[0]) ? x[0]! : 0;
  for (const raw of x) {
    const v = raw - shift;
    const n1 = n;
    n++;
    const delta = v - mean, dn = delta / n, dn2 = dn * dn, t1 = delta * dn * n1;
    mean += dn;
    m4 += t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3;
    m3 += t1 * dn * (n - 2) - 3 * dn * m2;
    m2 += t1;
    lo = Math.min(lo, raw);
    hi = Math.max(hi, raw);
  }
  mean += shift;
  const variance = m2 / n,
    rms = Math.sqrt(mean * mean + variance),
    peak = Math.max(Math.abs(lo), Math.abs(hi));
  const sorted = Float64Array.from(x).sort();
  const pct = (q: number) => {
    const h = q * (n - 1), k = Math.floor(h);
    return sorted[k]! + (h - k) * ((sorted[Math.min(k + 1, n - 1)] ?? 0) - sorted[k]!);
  };
  return Float64Array.of(
    n,
    mean,
    Math.sqrt(variance),
    variance,
    lo,
    hi,
    rms,
    peak,
    hi - lo,
    peak / rms,
    m2 > 0 ? (Math.sqrt(n) * m3) / m2 ** 1.5 : 0,
    m2 > 0 ? (n * m4) / (m2 * m2) : 0,
    pct(0.5),
    pct(0.95),
    pct(0.99),
  );
}

function besselI0(x: number): number {
  let sum = 1, term = 1, k = 1;
  while (term > 1e-17 * sum) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    k++;
  }
  return sum;
}

/** Kaiser low-pass for decimation by `factor` (80 dB from the new Nyquist, pass band to 0.8 of it). */
export function design(factor: number): Float64Array {
  const atten = 80, width = 0.1 / factor, cutoff = 0.45 / factor;
  const taps = (Math.ceil((atten - 7.95) / (14.36 * width)) + 1) | 1;
  const beta = 0.1102 * (atten - 8.7), mid = (taps - 1) / 2, i0b = besselI0(beta);
  const h = new Float64Array(taps);
  for (let j = 0; j < taps; j++) {
    const t = j - mid, x = 2 * cutoff * t, r = t / mid;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    h[j] = (2 * cutoff * sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r)))) / i0b;
  }
  const s = h.reduce((a, b) => a + b, 0);
  return h.map((v) => v / s);
}

/** Zero-phase decimation (delay compensated), ceil(n/factor) outputs. */
export function decimateOnce(x: Float64Array, factor: number, h: Float64Array): Float64Array {
  const n = x.length, delay = Math.floor(h.length / 2), out = new Float64Array(Math.ceil(n / factor));
  for (let k = 0; k < out.length; k++) {
    const c = k * factor + delay;
    let acc = 0;
    for (let j = Math.max(0, c - n + 1); j <= Math.min(c, h.length - 1); j++) acc += h[j]! * x[c - j]!;
    out[k] = acc;
  }
  return out;
}

/** Streaming causal decimator (same outputs as the Rust Decimator). */
export class JsDecimator {
  readonly h: Float64Array;
  #hist: Float64Array;
  #phase = 0;
  constructor(readonly factor: number) {
    this.h = design(factor);
    this.#hist = new Float64Array(this.h.length - 1);
  }
  reset(): void {
    this.#hist.fill(0);
    this.#phase = 0;
  }
  process(x: Float64Array | Float32Array): Float64Array {
    const t = this.h.length, all = new Float64Array(t - 1 + x.length);
    all.set(this.#hist);
    all.set(x, t - 1);
    const out: number[] = [];
    let i = t - 1 + this.#phase;
    for (; i < all.length; i += this.factor) {
      let acc = 0;
      for (let j = 0; j < t; j++) acc += this.h[j]! * all[i - j]!;
      out.push(acc);
    }
    this.#phase = i - all.length;
    this.#hist = all.slice(all.length - (t - 1));
    return Float64Array.from(out);
  }
}
