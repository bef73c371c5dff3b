/**
 * @module Argument validation for the signal core: TypeError for wrong types, RangeError for bad values.
 */
import type { RingSegments, Scaling, WindowInput, WindowKind } from "./types.ts";

/** Largest transform length accepted by the core. */
export const MAX_N = 1 << 24;

/** Codes shared with the Rust side (windows.rs). */
export const WINDOW_CODES: Readonly<Record<WindowKind, number>> = {
  rectangular: 0,
  hann: 1,
  hamming: 2,
  "blackman-harris": 3,
  flattop: 4,
};

/** Codes shared with the Rust side (spectrum.rs). */
export const SCALING_CODES: Readonly<Record<Scaling, number>> = { amplitude: 0, power: 1, energy: 2, psd: 3 };

/** True for the two-segment ring-buffer form. */
export function isSegments(x: WindowInput): x is RingSegments {
  return !(x instanceof Float32Array) && !(x instanceof Float64Array);
}

/** Checks the input type and returns its total length. */
export function inputLength(x: unknown, what = "input"): number {
  if (x instanceof Float32Array || x instanceof Float64Array) return x.length;
  if (typeof x === "object" && x !== null) {
    const s = x as Partial<RingSegments>;
    if (s.first instanceof Float64Array && s.second instanceof Float64Array) {
      return s.first.length + s.second.length;
    }
  }
  throw new TypeError(
    `${what} must be a Float32Array, Float64Array or { first: Float64Array; second: Float64Array }`,
  );
}

/** A finite number. */
export function finite(v: unknown, what: string): number {
  if (typeof v !== "number") throw new TypeError(`${what} must be a number, got ${typeof v}`);
  if (!Number.isFinite(v)) throw new RangeError(`${what} must be finite, got ${v}`);
  return v;
}

/** A finite number > 0. */
export function positive(v: unknown, what: string): number {
  const x = finite(v, what);
  if (x <= 0) throw new RangeError(`${what} must be > 0, got ${x}`);
  return x;
}

/** An integer in [lo, hi]. */
export function integer(v: unknown, what: string, lo: number, hi: number): number {
  if (typeof v !== "number") throw new TypeError(`${what} must be a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${v}`);
  }
  return v;
}

/** A transform length in [min, MAX_N]. */
export function length(n: number, what: string, min = 2): number {
  return integer(n, what, min, MAX_N);
}

/** One of the allowed string values. */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== "string") throw new TypeError(`${what} must be a string, got ${typeof v}`);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new RangeError(`${what} must be one of ${allowed.join(", ")}; got "${v}"`);
  }
  return v as T;
}

/** A window kind (default "hann"). */
export function windowKind(v: unknown): WindowKind {
  return oneOf(v ?? "hann", Object.keys(WINDOW_CODES) as WindowKind[], "window");
}

/** A scaling (default "amplitude"). */
export function scaling(v: unknown): Scaling {
  return oneOf(v ?? "amplitude", Object.keys(SCALING_CODES) as Scaling[], "scaling");
}

/** An options object (undefined allowed when optional). */
export function options<T>(v: T | undefined, what: string, required: boolean): T | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "object" || v === null) throw new TypeError(`${what} must be an object`);
  return v;
}
