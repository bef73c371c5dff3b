/**
 * @module The exports of gateway_simd.wasm / gateway_scalar.wasm (see wasm/src/ffi_*.rs); addresses are byte offsets.
 */

/** Exports of gateway_*.wasm (see wasm/src/ffi_*.rs). */
export interface Exports {
  memory: WebAssembly.Memory;
  mem_alloc(bytes: number): number;
  mem_free(ptr: number, bytes: number): void;
  simd_compiled(): number;
  set_simd(on: number): number;
  rfft_forward(n: number, inp: number, out: number): number;
  rfft_inverse(n: number, inp: number, out: number): number;
  cfft(n: number, inp: number, out: number, inverse: number): number;
  welch(
    t: number,
    i: number,
    s: number,
    st: number,
    fs: number,
    w: number,
    sc: number,
    d: number,
    o: number,
  ): number;
  envelope_spectrum(n: number, i: number, fs: number, lo: number, hi: number, w: number, o: number): number;
  spectral_peaks(
    v: number,
    len: number,
    bin: number,
    lo: number,
    hi: number,
    count: number,
    out: number,
  ): number;
  band_sums(
    v: number,
    len: number,
    bin: number,
    mode: number,
    bands: number,
    nb: number,
    out: number,
  ): number;
  spectral_shape(v: number, len: number, bin: number, mode: number, out: number): number;
  values_near(
    v: number,
    len: number,
    bin: number,
    f: number,
    nf: number,
    tol: number,
    med: number,
    o: number,
  ): number;
  bearing_frequencies(balls: number, d: number, pd: number, angle: number, fr: number, out: number): number;
  window_stats(inp: number, n: number, out: number): number;
  ew_new(alpha: number): number;
  ew_free(h: number): void;
  ew_push(h: number, x: number): number;
  ew_push_many(h: number, inp: number, n: number): number;
  ew_read(h: number, out: number): number;
  decimate_taps(factor: number): number;
  decimate_once(inp: number, n: number, factor: number, out: number): number;
  decimator_new(factor: number): number;
  decimator_free(h: number): void;
  decimator_reset(h: number): number;
  decimator_process(h: number, inp: number, n: number, out: number): number;
}
