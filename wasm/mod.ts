/**
 * @module Signal core of the gateway: loads the Rust→WASM module (SIMD, else scalar, else a pure
 * TypeScript fallback) and is the ONLY place that touches WASM memory. Start with `loadSignalCore()`.
 */
import type { DecimatorBackend, Engine, EwBackend, RawFft } from "./engine.ts";
import { JsEngine } from "./js_engine.ts";
import { SignalCore } from "./signal_core.ts";
import type { Exports } from "./exports.ts";
import { readWasm, simdSupported } from "./loader.ts";
import type { CoreKind, LoadOptions, WindowInput } from "./types.ts";

export { SignalCore } from "./signal_core.ts";
export { simdSupported } from "./loader.ts";
export { Decimator, type EwOptions, EwStats } from "./streaming.ts";
export type { BearingLine, BearingReportOptions } from "./features.ts";
export type { RawFft } from "./engine.ts";
export type * from "./types.ts";

const ERRORS: Record<number, string> = {
  [-1]: "unsupported length",
  [-2]: "invalid argument",
  [-3]: "out of WASM memory",
  [-4]: "object already freed",
};

/** Freed when the JS wrapper of a stateful object is garbage-collected without free(). */
const finalizer = new FinalizationRegistry<() => void>((release) => release());

/** The WASM boundary: grow-only scratch buffers, cached views, error-code mapping. */
class WasmEngine implements Engine {
  readonly kind: CoreKind;
  readonly #x: Exports;
  readonly #ptr = [0, 0, 0, 0];
  readonly #cap = [0, 0, 0, 0];
  #mem: ArrayBuffer | null = null;
  #f32 = new Float32Array(0);
  #f64 = new Float64Array(0);
  #fftOut: Float32Array | null = null;

  constructor(kind: CoreKind, x: Exports) {
    this.kind = kind;
    this.#x = x;
  }

  /** Refreshes the views after memory growth (growth detaches the old buffer: byteLength 0).
   * Checking byteLength avoids the costly `memory.buffer` getter on every call. */
  #views(): void {
    if (this.#f32.byteLength === 0) {
      this.#mem = this.#x.memory.buffer as ArrayBuffer;
      this.#f32 = new Float32Array(this.#mem);
      this.#f64 = new Float64Array(this.#mem);
      this.#fftOut = null;
    }
  }

  /** Grow-only scratch buffer `i` of at least `bytes`; returns its address. */
  #buf(i: number, bytes: number): number {
    if (this.#cap[i]! >= bytes) return this.#ptr[i]!;
    if (this.#ptr[i]) this.#x.mem_free(this.#ptr[i]!, this.#cap[i]!);
    const cap = Math.max(64, 2 ** Math.ceil(Math.log2(bytes)));
    const p = this.#x.mem_alloc(cap);
    if (p === 0) {
      this.#ptr[i] = this.#cap[i] = 0;
      throw new RangeError(`out of WASM memory allocating ${cap} bytes`);
    }
    this.#ptr[i] = p;
    this.#cap[i] = cap;
    this.#fftOut = null;
    return p;
  }

  #ok(code: number, what: string): number {
    if (code < 0) throw new RangeError(`${what}: ${ERRORS[code] ?? `error ${code}`}`);
    return code;
  }

  #putF32(ptr: number, x: WindowInput): void {
    this.#views();
    const at = ptr >> 2;
    if (x instanceof Float32Array || x instanceof Float64Array) this.#f32.set(x, at);
    else {
      this.#f32.set(x.first, at);
      this.#f32.set(x.second, at + x.first.length);
    }
  }

  #putF64(ptr: number, x: WindowInput | Float64Array): void {
    this.#views();
    const at = ptr >> 3;
    if (x instanceof Float32Array || x instanceof Float64Array) this.#f64.set(x, at);
    else {
      this.#f64.set(x.first, at);
      this.#f64.set(x.second, at + x.first.length);
    }
  }

  #getF64(ptr: number, len: number): Float64Array {
    this.#views();
    return this.#f64.slice(ptr >> 3, (ptr >> 3) + len);
  }

  rfft(x: WindowInput, n: number, out: Float32Array): void {
    const len = 2 * (Math.floor(n / 2) + 1);
    const inp = this.#buf(0, n * 4), o = this.#buf(1, len * 4);
    this.#putF32(inp, x);
    this.#ok(this.#x.rfft_forward(n, inp, o), "fft");
    this.#views();
    let view = this.#fftOut;
    if (view === null || view.byteLength === 0 || view.byteOffset !== o || view.length !== len) {
      view = this.#fftOut = new Float32Array(this.#mem!, o, len);
    }
    out.set(view);
  }

  irfft(spec: Float32Array, n: number, out: Float32Array): void {
    const inp = this.#buf(0, spec.length * 4), o = this.#buf(1, n * 4);
    this.#putF32(inp, spec);
    this.#ok(this.#x.rfft_inverse(n, inp, o), "ifft");
    this.#views();
    out.set(this.#f32.subarray(o >> 2, (o >> 2) + n));
  }

  cfft(data: Float32Array, n: number, inverse: boolean, out: Float32Array): void {
    const inp = this.#buf(0, 8 * n), o = this.#buf(1, 8 * n);
    this.#putF32(inp, data);
    this.#ok(this.#x.cfft(n, inp, o, inverse ? 1 : 0), "complex fft");
    this.#views();
    out.set(this.#f32.subarray(o >> 2, (o >> 2) + 2 * n));
  }

  rawFft(n: number): RawFft {
    const x = this.#x, len = 2 * (Math.floor(n / 2) + 1);
    const inp = x.mem_alloc(4 * n), o = x.mem_alloc(4 * len);
    if (inp === 0 || o === 0) throw new RangeError("out of WASM memory");
    this.#ok(x.rfft_forward(n, inp, o), "fft");
    let vi = new Float32Array(0), vo = vi;
    const views = () => {
      if (vi.byteLength === 0) {
        const mem = x.memory.buffer as ArrayBuffer;
        vi = new Float32Array(mem, inp, n);
        vo = new Float32Array(mem, o, len);
      }
    };
    const raw = {
      n,
      input: () => (views(), vi),
      output: () => (views(), vo),
      forward: () => void x.rfft_forward(n, inp, o),
    };
    finalizer.register(raw, () => (x.mem_free(inp, 4 * n), x.mem_free(o, 4 * len)));
    return raw;
  }

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
  ): number {
    const inp = this.#buf(0, total * 4), o = this.#buf(1, out.length * 8);
    this.#putF32(inp, x);
    const k = this.#ok(
      this.#x.welch(total, inp, seg, step, fs, window, scaling, detrend ? 1 : 0, o),
      "spectrum",
    );
    out.set(this.#getF64(o, out.length));
    return k;
  }

  envelope(
    x: WindowInput,
    n: number,
    fs: number,
    lo: number,
    hi: number,
    window: number,
    out: Float64Array,
  ): void {
    const inp = this.#buf(0, n * 4), o = this.#buf(1, out.length * 8);
    this.#putF32(inp, x);
    this.#ok(this.#x.envelope_spectrum(n, inp, fs, lo, hi, window, o), "envelope spectrum");
    out.set(this.#getF64(o, out.length));
  }

  /** Copies spectrum values into buffer 0 and returns its address. */
  #values(v: Float64Array): number {
    const p = this.#buf(0, v.length * 8);
    this.#putF64(p, v);
    return p;
  }

  peaks(v: Float64Array, binHz: number, loHz: number, hiHz: number, count: number): Float64Array {
    const o = this.#buf(1, count * 24), p = this.#values(v);
    const k = this.#ok(this.#x.spectral_peaks(p, v.length, binHz, loHz, hiHz, count, o), "peaks");
    return this.#getF64(o, 3 * k);
  }

  bandSums(v: Float64Array, binHz: number, mode: number, bands: Float64Array): Float64Array {
    const nb = bands.length / 2, b = this.#buf(2, bands.length * 8 + 8), o = this.#buf(1, nb * 8 + 8);
    const p = this.#values(v);
    this.#putF64(b, bands);
    this.#ok(this.#x.band_sums(p, v.length, binHz, mode, b, nb, o), "band energies");
    return this.#getF64(o, nb);
  }

  shape(v: Float64Array, binHz: number, mode: number): Float64Array {
    const o = this.#buf(1, 32), p = this.#values(v);
    this.#ok(this.#x.spectral_shape(p, v.length, binHz, mode, o), "spectral shape");
    return this.#getF64(o, 4);
  }

  valuesNear(
    v: Float64Array,
    binHz: number,
    freqs: Float64Array,
    tol: number,
    medFrac: number,
  ): Float64Array {
    const f = this.#buf(2, freqs.length * 8 + 8),
      o = this.#buf(1, freqs.length * 32 + 8),
      p = this.#values(v);
    this.#putF64(f, freqs);
    this.#ok(this.#x.values_near(p, v.length, binHz, f, freqs.length, tol, medFrac, o), "values at");
    return this.#getF64(o, 4 * freqs.length);
  }

  bearing(balls: number, ballD: number, pitchD: number, angleRad: number, shaftHz: number): Float64Array {
    const o = this.#buf(1, 32);
    this.#ok(this.#x.bearing_frequencies(balls, ballD, pitchD, angleRad, shaftHz, o), "bearing frequencies");
    return this.#getF64(o, 4);
  }

  stats(x: WindowInput, n: number): Float64Array {
    const inp = this.#buf(0, n * 8), o = this.#buf(1, 15 * 8);
    this.#putF64(inp, x);
    this.#ok(this.#x.window_stats(inp, n, o), "stats");
    return this.#getF64(o, 15);
  }

  ew(alpha: number): EwBackend {
    const x = this.#x, h = this.#ok(x.ew_new(alpha), "EwStats");
    const token = {};
    finalizer.register(token, () => x.ew_free(h), token);
    return {
      push: (v) => void this.#ok(x.ew_push(h, v), "EwStats"),
      pushMany: (xs) => {
        const p = this.#buf(0, xs.length * 8 + 8);
        this.#putF64(p, xs);
        this.#ok(x.ew_push_many(h, p, xs.length), "EwStats");
      },
      read: () => {
        const o = this.#buf(1, 24);
        this.#ok(x.ew_read(h, o), "EwStats");
        const r = this.#getF64(o, 3);
        return [r[0]!, r[1]!, r[2]!];
      },
      free: () => (finalizer.unregister(token), x.ew_free(h)),
    };
  }

  decimate(x: WindowInput, n: number, factor: number): Float64Array {
    const count = Math.ceil(n / factor);
    const inp = this.#buf(0, n * 8), o = this.#buf(1, count * 8 + 8);
    this.#putF64(inp, x);
    this.#ok(this.#x.decimate_once(inp, n, factor, o), "decimate");
    return this.#getF64(o, count);
  }

  decimator(factor: number): DecimatorBackend {
    const x = this.#x, h = this.#ok(x.decimator_new(factor), "Decimator");
    const token = {};
    finalizer.register(token, () => x.decimator_free(h), token);
    return {
      taps: this.#ok(x.decimate_taps(factor), "Decimator"),
      process: (xs) => {
        const inp = this.#buf(0, xs.length * 8 + 8),
          o = this.#buf(1, (Math.floor(xs.length / factor) + 1) * 8);
        this.#putF64(inp, xs);
        const k = this.#ok(x.decimator_process(h, inp, xs.length, o), "Decimator");
        return this.#getF64(o, k);
      },
      reset: () => void this.#ok(x.decimator_reset(h), "Decimator"),
      free: () => (finalizer.unregister(token), x.decimator_free(h)),
    };
  }

  setSimd(on: boolean): boolean {
    return this.#x.set_simd(on ? 1 : 0) === 1;
  }
}

/** Memories of the instances loaded in this process (weakly held: a dropped core does not stay alive). */
const memories = new Set<WeakRef<WebAssembly.Memory>>();

/** Bytes of linear memory held by every loaded signal-core instance (WASM memory grows and never shrinks). */
export function wasmMemoryBytes(): number {
  let total = 0;
  for (const ref of memories) {
    const m = ref.deref();
    if (m) total += m.buffer.byteLength;
    else memories.delete(ref);
  }
  return total;
}

async function instantiate(kind: "simd" | "scalar", bytes: BufferSource): Promise<WasmEngine> {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const x = instance.exports as unknown as Exports;
  if (!(x.memory instanceof WebAssembly.Memory) || typeof x.rfft_forward !== "function") {
    throw new Error("not a gateway signal-core module");
  }
  if (x.simd_compiled() !== (kind === "simd" ? 1 : 0)) throw new Error(`module is not the ${kind} build`);
  memories.add(new WeakRef(x.memory));
  return new WasmEngine(kind, x);
}

/**
 * Loads the best available implementation: WASM SIMD, then WASM scalar, then the TypeScript
 * fallback (with a warning through `options.logger`, default console.warn).
 */
export async function loadSignalCore(options: LoadOptions = {}): Promise<SignalCore> {
  const log = options.logger ?? ((m: string) => console.warn(m));
  const prefer = options.prefer;
  if (prefer === "js") return new SignalCore(new JsEngine());
  const failures: string[] = [];
  if (prefer !== "scalar" && simdSupported()) {
    try {
      const bytes = await readWasm(options.simdBytes, options.simdPath, "gateway_simd.wasm");
      return new SignalCore(await instantiate("simd", bytes));
    } catch (e) {
      failures.push(`simd: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    const bytes = await readWasm(options.scalarBytes, options.scalarPath, "gateway_scalar.wasm");
    const core = new SignalCore(await instantiate("scalar", bytes));
    if (failures.length > 0) {
      log(`signal core: SIMD module unavailable (${failures.join("; ")}); using scalar WASM`);
    }
    return core;
  } catch (e) {
    failures.push(`scalar: ${e instanceof Error ? e.message : String(e)}`);
  }
  log(`signal core: WASM unavailable (${failures.join("; ")}); using the slower pure-TypeScript fallback`);
  return new SignalCore(new JsEngine());
}
