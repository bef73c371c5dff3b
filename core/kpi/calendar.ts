/**
 * @module Shift calendar: named shifts with a local start time, a length and weekdays, in a fixed timezone
 * offset. Shifts may cross midnight (they belong to the day they start).
 */

/** One configured shift. */
export interface ShiftSpec {
  readonly name: string;
  /** Local start time "HH:MM". */
  readonly start: string;
  readonly hours: number;
  /** Weekdays the shift starts on: 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
}

/** A concrete shift occurrence. */
export interface ShiftWindow {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const DAY = 86_400_000;

/** Finds the shift a moment belongs to. */
export class ShiftCalendar {
  readonly #shifts: { name: string; offsetMs: number; lenMs: number; days: Set<number> }[];

  constructor(shifts: readonly ShiftSpec[], private readonly utcOffsetMin: number) {
    this.#shifts = shifts.map((s, i) => {
      const m = /^(\d{1,2}):(\d{2})$/.exec(s.start);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
        throw new RangeError(`shifts[${i}].start must be HH:MM, got "${s.start}"`);
      }
      if (!(s.hours > 0 && s.hours <= 24)) throw new RangeError(`shifts[${i}].hours must be within (0, 24]`);
      return {
        name: s.name,
        offsetMs: (Number(m[1]) * 60 + Number(m[2])) * 60_000,
        lenMs: s.hours * 3_600_000,
        days: new Set(s.days),
      };
    });
  }

  /** The shift occurrence containing `ts`, if any. */
  at(ts: number): ShiftWindow | undefined {
    const local = ts + this.utcOffsetMin * 60_000;
    const dayStart = Math.floor(local / DAY) * DAY;
    // A shift containing ts started today or yesterday (local).
    for (const back of [0, 1]) {
      const d = dayStart - back * DAY;
      const weekday = (Math.floor(d / DAY) + 4) % 7; // 1970-01-01 was a Thursday
      for (const s of this.#shifts) {
        if (!s.days.has(weekday)) continue;
        const start = d + s.offsetMs;
        if (local >= start && local < start + s.lenMs) {
          const utcStart = start - this.utcOffsetMin * 60_000;
          return { name: s.name, start: utcStart, end: utcStart + s.lenMs };
        }
      }
    }
    return undefined;
  }

  /** Start of the earliest shift beginning after `ts` (within the next 8 days), or undefined. */
  nextStart(ts: number): number | undefined {
    const local = ts + this.utcOffsetMin * 60_000;
    const dayStart = Math.floor(local / DAY) * DAY;
    let best: number | undefined;
    for (let k = 0; k <= 8 && best === undefined; k++) {
      const d = dayStart + k * DAY;
      const weekday = (Math.floor(d / DAY) + 4) % 7;
      for (const s of this.#shifts) {
        const start = d + s.offsetMs;
        if (s.days.has(weekday) && start > local && (best === undefined || start < best)) best = start;
      }
    }
    return best === undefined ? undefined : best - this.utcOffsetMin * 60_000;
  }
}
