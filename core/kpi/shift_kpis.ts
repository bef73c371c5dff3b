/**
 * @module Accumulates one shift's production KPIs from time-ordered events: state durations, cycles and
 * cycle times, good/total counts, energy (integrated power or metered difference with rollover), OEE.
 */

/** Machine state categories. */
export type MachineState = "running" | "idle" | "down" | "unknown";

/** Key figures of a shift so far. */
export interface ShiftFigures {
  readonly running_s: number;
  readonly idle_s: number;
  readonly down_s: number;
  readonly unknown_s: number;
  readonly cycles: number;
  readonly cycle_time_s: number;
  readonly good: number;
  readonly availability: number;
  readonly performance: number;
  readonly quality: number;
  readonly oee: number;
  readonly energy_kwh: number;
  readonly energy_per_cycle_kwh: number;
}

/** One shift's accumulators; time advances only forward. */
export class ShiftKpis {
  readonly durations: Record<MachineState, number> = { running: 0, idle: 0, down: 0, unknown: 0 };
  cycles = 0;
  good: number | undefined;
  energyKwh = 0;
  #cycleTimes = 0;
  #cycleGaps = 0;

  constructor(
    readonly name: string,
    readonly start: number,
    readonly end: number,
    private readonly idealCycleS: number,
  ) {}

  /** Adds time spent in a state. */
  addState(state: MachineState, ms: number): void {
    if (ms > 0) this.durations[state] += ms;
  }

  /** Adds `n` completed cycles; `gapMs` is the time since the previous cycle (for the mean cycle time). */
  addCycles(n: number, gapMs: number | undefined): void {
    if (n <= 0) return;
    this.cycles += n;
    if (gapMs !== undefined && gapMs > 0) {
      this.#cycleTimes += gapMs;
      this.#cycleGaps += n;
    }
  }

  addGood(n: number): void {
    if (n > 0) this.good = (this.good ?? 0) + n;
  }

  addEnergy(kwh: number): void {
    if (Number.isFinite(kwh) && kwh > 0) this.energyKwh += kwh;
  }

  /** KPIs so far (availability over the observed time of the shift). */
  figures(): ShiftFigures {
    const d = this.durations;
    const observed = d.running + d.idle + d.down;
    const availability = observed > 0 ? d.running / observed : 0;
    const performance = d.running > 0
      ? Math.min(1.5, (this.idealCycleS * 1000 * this.cycles) / d.running)
      : 0;
    const quality = this.cycles > 0 ? Math.min(1, (this.good ?? this.cycles) / this.cycles) : 0;
    return {
      running_s: d.running / 1000,
      idle_s: d.idle / 1000,
      down_s: d.down / 1000,
      unknown_s: d.unknown / 1000,
      cycles: this.cycles,
      cycle_time_s: this.#cycleGaps > 0 ? this.#cycleTimes / this.#cycleGaps / 1000 : 0,
      good: this.good ?? this.cycles,
      availability,
      performance,
      quality,
      oee: availability * performance * quality,
      energy_kwh: this.energyKwh,
      energy_per_cycle_kwh: this.cycles > 0 ? this.energyKwh / this.cycles : 0,
    };
  }
}
