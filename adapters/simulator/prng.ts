/**
 * @module Deterministic random numbers: counter-based, so value k of a stream never depends on timing.
 */

/** A 32-bit mix of (seed, stream, index) to [0, 1): same inputs, same number, on every machine. */
export function uniform(seed: number, stream: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 0x632be5ab, 0xc2b2ae35);
  h ^= Math.imul((index >>> 0) ^ Math.floor(index / 4294967296), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Standard normal via Box-Muller from two counter-based uniforms. */
export function gaussian(seed: number, stream: number, index: number): number {
  const u1 = Math.max(uniform(seed, stream, 2 * index), 1e-12);
  const u2 = uniform(seed, stream, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Stable small integer for a name, to give each signal its own random stream. */
export function streamOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
