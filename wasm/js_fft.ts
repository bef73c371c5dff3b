/**
 * @module Float64 FFTs for the TypeScript fallback: fft.js for powers of two, Bluestein (on fft.js)
 * for every other length. Plans are cached per size.
 */
import FFT from "fft.js";

interface FftJs {
  createComplexArray(): number[];
  realTransform(out: number[] | Float64Array, input: ArrayLike<number>): void;
  completeSpectrum(out: number[] | Float64Array): void;
  transform(out: number[] | Float64Array, input: ArrayLike<number>): void;
}

const plans = new Map<number, FftJs>();

function fftjs(n: number): FftJs {
  let p = plans.get(n);
  if (!p) {
    p = new FFT(n) as FftJs;
    plans.set(n, p);
  }
  return p;
}

const isPow2 = (n: number) => n >= 2 && (n & (n - 1)) === 0;

interface Chirp {
  m: number;
  w: Float64Array;
  b: Float64Array;
  a: Float64Array;
  c: Float64Array;
}
const chirps = new Map<number, Chirp>();

function chirp(n: number): Chirp {
  let c = chirps.get(n);
  if (c) return c;
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const w = new Float64Array(2 * n), bt = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    const a = (-Math.PI * ((k * k) % (2 * n))) / n;
    w[2 * k] = Math.cos(a);
    w[2 * k + 1] = Math.sin(a);
    bt[2 * k] = Math.cos(a) / m;
    bt[2 * k + 1] = -Math.sin(a) / m;
    if (k > 0) {
      bt[2 * (m - k)] = bt[2 * k]!;
      bt[2 * (m - k) + 1] = bt[2 * k + 1]!;
    }
  }
  const b = new Float64Array(2 * m);
  fftjs(m).transform(b, bt);
  c = { m, w, b, a: new Float64Array(2 * m), c: new Float64Array(2 * m) };
  chirps.set(n, c);
  return c;
}

/** Forward complex FFT (unnormalised) of n interleaved values into `out`. */
export function complexForward(x: Float64Array, n: number, out: Float64Array): void {
  if (n === 1) {
    out[0] = x[0]!;
    out[1] = x[1]!;
    return;
  }
  if (isPow2(n)) {
    fftjs(n).transform(out, x);
    return;
  }
  const { m, w, b, a, c } = chirp(n);
  a.fill(0);
  for (let k = 0; k < n; k++) {
    const xr = x[2 * k]!, xi = x[2 * k + 1]!, wr = w[2 * k]!, wi = w[2 * k + 1]!;
    a[2 * k] = xr * wr - xi * wi;
    a[2 * k + 1] = xr * wi + xi * wr;
  }
  const f = fftjs(m);
  f.transform(c, a);
  for (let k = 0; k < m; k++) {
    const ar = c[2 * k]!, ai = c[2 * k + 1]!, br = b[2 * k]!, bi = b[2 * k + 1]!;
    a[2 * k] = ar * br - ai * bi;
    a[2 * k + 1] = -(ar * bi + ai * br);
  }
  f.transform(c, a);
  for (let k = 0; k < n; k++) {
    const cr = c[2 * k]!, ci = -c[2 * k + 1]!, wr = w[2 * k]!, wi = w[2 * k + 1]!;
    out[2 * k] = cr * wr - ci * wi;
    out[2 * k + 1] = cr * wi + ci * wr;
  }
}

/** Complex FFT; the inverse is normalised by 1/n. */
export function complexFft(x: Float64Array, n: number, inverse: boolean): Float64Array {
  const out = new Float64Array(2 * n);
  if (!inverse) {
    complexForward(x, n, out);
    return out;
  }
  const conj = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    conj[2 * j] = x[2 * j]!;
    conj[2 * j + 1] = -x[2 * j + 1]!;
  }
  complexForward(conj, n, out);
  for (let j = 0; j < n; j++) {
    out[2 * j] = out[2 * j]! / n;
    out[2 * j + 1] = -out[2 * j + 1]! / n;
  }
  return out;
}

/** Real FFT of n samples: bins 0..n/2 interleaved, 2·(n/2+1) values. */
export function realFft(x: Float64Array, n: number): Float64Array {
  const bins = Math.floor(n / 2) + 1;
  if (isPow2(n) && n >= 4) {
    const out = new Float64Array(2 * n);
    fftjs(n).realTransform(out, x);
    out[2 * (n / 2) + 1] = 0;
    out[1] = 0;
    return out.subarray(0, 2 * bins);
  }
  const c = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) c[2 * j] = x[j]!;
  return complexFft(c, n, false).subarray(0, 2 * bins);
}

/** Normalised inverse of realFft. */
export function realIfft(spec: Float64Array, n: number): Float64Array {
  const c = new Float64Array(2 * n), h = Math.floor(n / 2);
  for (let k = 0; k < n; k++) {
    const src = k <= h ? k : n - k, sign = k <= h ? 1 : -1;
    c[2 * k] = spec[2 * src]!;
    c[2 * k + 1] = sign * spec[2 * src + 1]!;
  }
  const z = complexFft(c, n, true), x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = z[2 * j]!;
  return x;
}
