/**
 * @module Spectral features and bearing frequencies for the TypeScript fallback — the same
 * definitions as wasm/src/spectral.rs and envelope.rs.
 */

const power = (v: number, mode: number, binHz: number) =>
  mode === 1 ? 0.5 * v * v : mode === 2 ? v * binHz : v;

function isPeak(v: Float64Array, k: number): boolean {
  const left = k === 0 || v[k]! > v[k - 1]!;
  const right = k + 1 >= v.length || v[k]! >= v[k + 1]!;
  return left && right && Number.isFinite(v[k]!);
}

/** Parabolic interpolation on log values (linear values when not all positive). */
function interpolate(v: Float64Array, k: number): [number, number] {
  if (k === 0 || k + 1 >= v.length) return [k, v[k]!];
  let a = v[k - 1]!, b = v[k]!, c = v[k + 1]!;
  const logs = a > 0 && b > 0 && c > 0;
  if (logs) [a, b, c] = [Math.log(a), Math.log(b), Math.log(c)];
  const den = a - 2 * b + c;
  if (den >= 0 || !Number.isFinite(den)) return [k, v[k]!];
  const d = Math.min(0.5, Math.max(-0.5, (0.5 * (a - c)) / den));
  const p = b - 0.25 * (a - c) * d;
  return [k + d, logs ? Math.exp(p) : p];
}

export function peaks(
  v: Float64Array,
  binHz: number,
  loHz: number,
  hiHz: number,
  count: number,
): Float64Array {
  const lo = Math.max(0, Math.ceil(loHz / binHz)),
    hi = Math.min(v.length - 1, Math.max(0, Math.floor(hiHz / binHz)));
  const found: [number, number, number][] = [];
  for (let k = lo; k <= hi; k++) {
    if (!isPeak(v, k)) continue;
    const [pos, val] = interpolate(v, k);
    found.push([pos * binHz, val, k]);
  }
  found.sort((x, y) => y[1] - x[1] || x[2] - y[2]);
  return Float64Array.from(found.slice(0, count).flat());
}

export function bandSums(v: Float64Array, binHz: number, mode: number, bands: Float64Array): Float64Array {
  const out = new Float64Array(bands.length / 2);
  for (let b = 0; b < out.length; b++) {
    let s = 0;
    for (
      let k = Math.max(0, Math.ceil(bands[2 * b]! / binHz));
      k < v.length && k * binHz < bands[2 * b + 1]!;
      k++
    ) {
      s += power(v[k]!, mode, binHz);
    }
    out[b] = s;
  }
  return out;
}

export function shape(v: Float64Array, binHz: number, mode: number): Float64Array {
  let w = 0, m1 = 0;
  v.forEach((x, k) => {
    const p = power(x, mode, binHz);
    w += p;
    m1 += p * k * binHz;
  });
  const mu = m1 / w;
  let m2 = 0, m3 = 0, m4 = 0;
  v.forEach((x, k) => {
    const p = power(x, mode, binHz) / w, d = k * binHz - mu;
    m2 += p * d * d;
    m3 += p * d ** 3;
    m4 += p * d ** 4;
  });
  return Float64Array.of(mu, Math.sqrt(m2), m3 / m2 ** 1.5, m4 / (m2 * m2));
}

function median(xs: Float64Array): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort(), h = 0.5 * (s.length - 1), lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

export function valuesNear(
  v: Float64Array,
  binHz: number,
  freqs: Float64Array,
  tol: number,
  medFrac: number,
) {
  const out = new Float64Array(4 * freqs.length);
  freqs.forEach((f, i) => {
    const lo = Math.max(0, Math.ceil((f - tol) / binHz));
    const hi = Math.min(v.length - 1, Math.max(0, Math.floor((f + tol) / binHz)));
    let r: [number, number, number] = [NaN, NaN, NaN];
    if (lo <= hi) {
      let best = lo;
      for (let k = lo; k <= hi; k++) if (v[k]! > v[best]!) best = k;
      const [pos, val] = isPeak(v, best) ? interpolate(v, best) : [best, v[best]!];
      r = [pos * binHz, val, best];
    }
    const mlo = Math.min(v.length, Math.max(0, Math.ceil((f * (1 - medFrac)) / binHz)));
    const mhi = Math.min(v.length, Math.max(0, Math.floor((f * (1 + medFrac)) / binHz)) + 1);
    out.set([...r, r[1] / (mlo < mhi ? median(v.subarray(mlo, mhi)) : NaN)], 4 * i);
  });
  return out;
}

export function bearing(balls: number, d: number, pd: number, angle: number, fr: number): Float64Array {
  const r = (d / pd) * Math.cos(angle);
  return Float64Array.of(
    0.5 * fr * (1 - r),
    0.5 * balls * fr * (1 - r),
    0.5 * balls * fr * (1 + r),
    (pd / (2 * d)) * fr * (1 - r * r),
  );
}
