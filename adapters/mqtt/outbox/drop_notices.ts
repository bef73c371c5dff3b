/**
 * @module Coalesced `outbox.dropped` notices: the first drop of a lane is reported at once, later ones at most
 * once per interval as a sum, so a long outage with a small budget does not flood the event stream (events are
 * themselves protected outbox records and history rows) with one notice per dropped segment.
 */

/** One notice: `records` dropped from `lane` since `sinceMs` (the previous notice of that lane, if any). */
export interface DropNotice {
  readonly lane: string;
  readonly records: number;
  readonly sinceMs: number | undefined;
}

/** Sums dropped records per lane between notices. */
export class DropNotices {
  readonly #pending = new Map<string, number>();
  readonly #lastAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number,
    private readonly emit: (n: DropNotice) => void,
  ) {
    if (!(intervalMs >= 0)) throw new RangeError(`drop notice interval must be >= 0 ms, got ${intervalMs}`);
  }

  /** Records `n` dropped records of `lane`; reports them now unless the lane was reported within the interval. */
  dropped(lane: string, n: number): void {
    if (n <= 0) return;
    this.#pending.set(lane, (this.#pending.get(lane) ?? 0) + n);
    this.flush(false);
  }

  /** Reports the pending sums whose interval has passed (`all`: every pending sum, e.g. at close). */
  flush(all: boolean): void {
    const now = this.clock();
    for (const [lane, records] of this.#pending) {
      if (records === 0) continue;
      const last = this.#lastAt.get(lane);
      if (!all && last !== undefined && now - last < this.intervalMs) continue;
      this.#pending.set(lane, 0);
      this.#lastAt.set(lane, now);
      this.emit({ lane, records, sinceMs: last });
    }
  }
}
