/**
 * @module Clock audit: offset and drift between a source's clock and the gateway's receive clock.
 */

/** Current estimate for one source. */
export interface ClockEstimate {
  /** Median of (receive - source) over the recent window, ms. Positive: the source is behind. */
  readonly offsetMs: number;
  /** Drift of the offset, in parts per million of elapsed time (from a least-squares fit). */
  readonly driftPpm: number;
  /** Observations in the window. */
  readonly samples: number;
  /** Whether |offset| currently exceeds the tolerance. */
  readonly exceeded: boolean;
}

/** Options for {@link ClockAudit}. */
export interface ClockAuditOptions {
  /** |offset| above this raises a data-quality event. */
  readonly toleranceMs: number;
  /** Observations kept (a ring). */
  readonly window?: number;
  /** Minimum observations before judging. */
  readonly minSamples?: number;
  /** Called when the offset crosses the tolerance (exceeded = true) and when it is back within 80% of it. */
  readonly onChange?: (estimate: ClockEstimate) => void;
}

/**
 * Tracks (source timestamp, receive timestamp) pairs. The median resists network jitter; the slope of
 * offset against receive time gives the drift of a free-running device clock.
 */
export class ClockAudit {
  readonly #recv: Float64Array;
  readonly #offset: Float64Array;
  #n = 0;
  #exceeded = false;

  constructor(private readonly options: ClockAuditOptions) {
    if (!(options.toleranceMs > 0)) {
      throw new RangeError(`clock tolerance must be > 0 ms, got ${options.toleranceMs}`);
    }
    const window = options.window ?? 256;
    this.#recv = new Float64Array(window);
    this.#offset = new Float64Array(window);
  }

  /** Records one observation; ignores non-finite timestamps. */
  observe(sourceTs: number, recvTs: number): void {
    if (!Number.isFinite(sourceTs) || !Number.isFinite(recvTs)) return;
    const i = this.#n % this.#recv.length;
    this.#recv[i] = recvTs;
    this.#offset[i] = recvTs - sourceTs;
    this.#n++;
    if (this.#n < (this.options.minSamples ?? 8)) return;
    const e = this.estimate();
    const limit = this.#exceeded ? this.options.toleranceMs * 0.8 : this.options.toleranceMs;
    const now = Math.abs(e.offsetMs) > limit;
    if (now !== this.#exceeded) {
      this.#exceeded = now;
      this.options.onChange?.({ ...e, exceeded: now });
    }
  }

  estimate(): ClockEstimate {
    const count = Math.min(this.#n, this.#recv.length);
    if (count === 0) return { offsetMs: 0, driftPpm: 0, samples: 0, exceeded: false };
    const offsets = Array.from(this.#offset.subarray(0, count)).sort((a, b) => a - b);
    const mid = count >> 1;
    const median = count % 2 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
    let mx = 0, my = 0;
    for (let i = 0; i < count; i++) {
      mx += this.#recv[i]!;
      my += this.#offset[i]!;
    }
    mx /= count;
    my /= count;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < count; i++) {
      const dx = this.#recv[i]! - mx;
      sxy += dx * (this.#offset[i]! - my);
      sxx += dx * dx;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    return { offsetMs: median, driftPpm: slope * 1e6, samples: count, exceeded: this.#exceeded };
  }
}
