/**
 * @module The KPI engine: time-ordered state, cycle, good-count and energy events are attributed to the
 * shift they fall in (time spans split at shift boundaries); shift-to-date and final vectors come out.
 */
import type { FeatureVector } from "../model/records.ts";
import { ShiftCalendar, type ShiftWindow } from "./calendar.ts";
import type { KpiConfig } from "./schema.ts";
import { type MachineState, ShiftKpis } from "./shift_kpis.ts";

/** One input event. */
export interface KpiEvent {
  readonly ts: number;
  readonly kind: "state" | "cycles" | "good" | "energy";
  readonly value: number;
  readonly bad?: boolean;
}

/** Computes production KPIs per shift. */
export class KpiEngine {
  readonly calendar: ShiftCalendar;
  readonly #shifts = new Map<number, ShiftKpis>();
  #state: MachineState = "unknown";
  #stateSince: number | undefined;
  #lastStateSample: number | undefined;
  #last: Partial<Record<"cycles" | "good" | "energy", { ts: number; value: number }>> = {};
  #lastCycleTs: number | undefined;
  #lastReport = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: KpiConfig) {
    this.calendar = new ShiftCalendar(config.shifts, config.utc_offset_min);
  }

  /** Feeds events (any order within a batch; they are sorted). */
  feed(events: KpiEvent[]): void {
    events.sort((a, b) => a.ts - b.ts);
    for (const e of events) {
      if (e.kind === "state") this.#onState(e);
      else if (e.kind === "energy") this.#onEnergy(e);
      else this.#onCounter(e);
    }
  }

  /** Accounts time up to `now`; returns vectors of shifts that ended and, every report interval, the current one. */
  advance(now: number): FeatureVector[] {
    this.#accrue(now);
    const out: FeatureVector[] = [];
    for (const [start, k] of [...this.#shifts].sort((a, b) => a[0] - b[0])) {
      if (k.end <= now) {
        out.push(this.#vector(k, now, true));
        this.#shifts.delete(start);
      }
    }
    if (now - this.#lastReport >= this.config.report_interval_s * 1000) {
      this.#lastReport = now;
      const cur = this.calendar.at(now);
      if (cur) out.push(this.#vector(this.#shift(cur), now, false));
    }
    return out;
  }

  #shift(w: ShiftWindow): ShiftKpis {
    let k = this.#shifts.get(w.start);
    if (!k) this.#shifts.set(w.start, k = new ShiftKpis(w.name, w.start, w.end, this.config.ideal_cycle_s));
    return k;
  }

  /** Attributes [stateSince, to) to the current state, split at shift boundaries; beyond max_gap it is unknown. */
  #accrue(to: number): void {
    const from = this.#stateSince;
    if (from === undefined || to <= from) return;
    const staleAt = (this.#lastStateSample ?? from) + this.config.max_gap_s * 1000;
    this.#span(from, Math.min(to, Math.max(from, staleAt)), this.#state);
    if (to > staleAt) this.#span(Math.max(from, staleAt), to, "unknown");
    this.#stateSince = to;
  }

  #span(from: number, to: number, state: MachineState): void {
    let t = from;
    while (t < to) {
      const w = this.calendar.at(t);
      if (w) {
        const end = Math.min(to, w.end);
        this.#shift(w).addState(state, end - t);
        t = end;
      } else {
        t = Math.min(to, this.calendar.nextStart(t) ?? to);
      }
    }
  }

  #onState(e: KpiEvent): void {
    const ts = Math.max(e.ts, this.#stateSince ?? e.ts);
    this.#accrue(ts);
    const s = this.config.state;
    this.#state = e.bad
      ? "unknown"
      : s.running.includes(e.value)
      ? "running"
      : s.idle.includes(e.value)
      ? "idle"
      : s.down.includes(e.value)
      ? "down"
      : "unknown";
    this.#stateSince = ts;
    this.#lastStateSample = ts;
  }

  #onCounter(e: KpiEvent): void {
    const kind = e.kind as "cycles" | "good";
    const spec = this.config[kind];
    if (!spec || e.bad) return;
    const prev = this.#last[kind];
    this.#last[kind] = { ts: e.ts, value: e.value };
    if (!prev) return;
    let n: number;
    if (spec.kind === "pulse") n = e.value > 0.5 && prev.value <= 0.5 ? 1 : 0;
    else {
      n = e.value - prev.value;
      if (n < 0) n = spec.rollover !== undefined ? e.value + spec.rollover - prev.value : e.value;
    }
    const w = this.calendar.at(e.ts);
    if (!w || n <= 0) return;
    if (kind === "good") this.#shift(w).addGood(n);
    else {
      this.#shift(w).addCycles(n, this.#lastCycleTs === undefined ? undefined : (e.ts - this.#lastCycleTs));
      this.#lastCycleTs = e.ts;
    }
  }

  #onEnergy(e: KpiEvent): void {
    const spec = this.config.energy;
    if (!spec || e.bad) return;
    const prev = this.#last.energy;
    this.#last.energy = { ts: e.ts, value: e.value };
    if (!prev || e.ts <= prev.ts) return;
    if (spec.kind === "power") {
      // Trapezoid, split at shift boundaries so each shift gets its own energy.
      let t = prev.ts;
      while (t < e.ts) {
        const w = this.calendar.at(t);
        const end = Math.min(e.ts, w ? w.end : (this.calendar.nextStart(t) ?? e.ts));
        if (w) {
          const p = (x: number) => prev.value + ((e.value - prev.value) * (x - prev.ts)) / (e.ts - prev.ts);
          this.#shift(w).addEnergy((((p(t) + p(end)) / 2) * spec.scale * (end - t)) / 3_600_000);
        }
        t = end;
      }
    } else {
      let d = e.value - prev.value;
      if (d < 0) d = spec.rollover !== undefined ? e.value + spec.rollover - prev.value : 0;
      const w = this.calendar.at(e.ts);
      if (w) this.#shift(w).addEnergy(d * spec.scale);
    }
  }

  #vector(k: ShiftKpis, now: number, final: boolean): FeatureVector {
    const f = k.figures();
    const features: Record<string, number> = { [`kpi.${k.name}.final`]: final ? 1 : 0 };
    for (const [key, v] of Object.entries(f)) features[`kpi.${k.name}.${key}`] = v;
    const observed = f.running_s + f.idle_s + f.down_s + f.unknown_s;
    return {
      asset: this.config.asset,
      windowStart: k.start,
      windowEnd: Math.min(now, k.end),
      computedAt: now,
      schemaVersion: 1,
      features,
      quality: {
        worst: f.unknown_s > 0 ? "uncertain" : "good",
        goodShare: observed > 0 ? 1 - f.unknown_s / observed : 0,
      },
    };
  }
}
