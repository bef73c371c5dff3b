/**
 * @module Fault injection: spike, step, drift, stuck value, dropout, Bad quality, extra noise.
 */
import { gaussian } from "./prng.ts";
import type { FaultConfig } from "./schema.ts";

/** What the faults active at a time do to one sample. */
export interface FaultEffect {
  value: number;
  /** The sample is not emitted (dropout). */
  drop: boolean;
  /** The sample is flagged Bad. */
  bad: boolean;
}

/** Time since the start of the fault's current occurrence, or -1 when it has not started. */
function elapsed(f: FaultConfig, t: number): number {
  if (t < f.start_s) return -1;
  const since = t - f.start_s;
  return f.repeat_every_s === undefined ? since : since % f.repeat_every_s;
}

/** Applies every fault of a signal at time t to a clean value. `period` is the sample period in s. */
export class FaultApplier {
  #stuck = new Map<FaultConfig, number>();
  constructor(
    private readonly faults: readonly FaultConfig[],
    private readonly seed: number,
    private readonly stream: number,
  ) {}

  apply(clean: number, k: number, t: number, period: number): FaultEffect {
    const effect: FaultEffect = { value: clean, drop: false, bad: false };
    for (const f of this.faults) {
      const e = elapsed(f, t);
      if (e < 0) continue;
      const active = e < Math.max(f.duration_s, period);
      switch (f.type) {
        case "spike":
        case "step":
          if (active) effect.value += f.magnitude;
          break;
        case "drift":
          // Ramps in over duration_s, then stays: a sensor that has drifted does not come back by itself.
          effect.value += f.magnitude * Math.min(1, f.duration_s > 0 ? e / f.duration_s : 1);
          break;
        case "noise":
          if (active) effect.value += f.magnitude * gaussian(this.seed, this.stream + 101, k);
          break;
        case "stuck":
          if (active) {
            if (!this.#stuck.has(f)) this.#stuck.set(f, effect.value);
            effect.value = this.#stuck.get(f)!;
          } else this.#stuck.delete(f);
          break;
        case "dropout":
          if (active) effect.drop = true;
          break;
        case "bad_quality":
          if (active) effect.bad = true;
          break;
      }
    }
    return effect;
  }
}
