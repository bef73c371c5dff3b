/**
 * @module Delivery priority of the outbox lanes: alerts and events first, then features (with scores), then
 * rollups, then raw data. Strict priority, except that lower lanes waiting behind a busy higher lane get a
 * small guaranteed share of the messages sent (round robin among them), so raw data never starves forever.
 */

/** Lanes from the highest delivery priority to the lowest. */
export const PRIORITY_ORDER = ["critical", "features", "rollups", "raw"] as const;
export type LaneName = typeof PRIORITY_ORDER[number];

/** Lanes that may not take the last slots of the in-flight window (reserved for alerts, events, features). */
export const BULK_LANES: ReadonlySet<string> = new Set<LaneName>(["rollups", "raw"]);

/** Largest accepted share for lower lanes (beyond it priority would mean little). */
export const MAX_LOWER_SHARE = 0.5;

/** A choice made by {@link PriorityPicker.pick}, handed back to `commit` once the record was taken. */
export interface Pick {
  /** Index (into the `ready` list) of the lane to send from. */
  readonly lane: number;
  /** The highest-priority ready lane. */
  readonly top: number;
  /** Whether lanes below `top` were waiting. */
  readonly lowerWaiting: boolean;
}

/**
 * Chooses the lane to send from next. With `lowerShare` s > 0, while a higher lane is busy and lower lanes
 * wait, every round(1/s)-th message comes from a lower lane (the lower lanes take turns); s = 0 is strict
 * priority.
 */
export class PriorityPicker {
  readonly #period: number;
  #sinceLower = 0;
  #lastLower = -1;

  constructor(readonly lowerShare: number) {
    if (!(lowerShare >= 0 && lowerShare <= MAX_LOWER_SHARE)) {
      throw new RangeError(`lowerShare must be within 0..${MAX_LOWER_SHARE}, got ${lowerShare}`);
    }
    this.#period = lowerShare === 0 ? Infinity : Math.max(2, Math.round(1 / lowerShare));
  }

  /** `ready[i]`: lane i (in priority order) has a record to send. Does not change state. */
  pick(ready: readonly boolean[]): Pick | undefined {
    const top = ready.indexOf(true);
    if (top < 0) return undefined;
    let lowerWaiting = false;
    for (let i = top + 1; i < ready.length && !lowerWaiting; i++) lowerWaiting = ready[i]!;
    if (!lowerWaiting || this.#sinceLower + 1 < this.#period) return { lane: top, top, lowerWaiting };
    // A lower lane's turn: the next waiting one after the lower lane served last, wrapping around.
    for (let k = 1; k <= ready.length; k++) {
      const i = (this.#lastLower + k + ready.length) % ready.length;
      if (i > top && ready[i]) return { lane: i, top, lowerWaiting };
    }
    return { lane: top, top, lowerWaiting };
  }

  /** Records that the picked lane was served. */
  commit(p: Pick): void {
    if (p.lane !== p.top) {
      this.#sinceLower = 0;
      this.#lastLower = p.lane;
    } else if (p.lowerWaiting) {
      this.#sinceLower++;
    }
  }
}
