/**
 * @module Per-tag ring buffer: preallocated typed arrays, O(1) append, zero-copy window views.
 */
import { Quality } from "../model/quality.ts";

/** Two contiguous pieces of a window; `second` is empty unless the window wraps around the end. */
export interface Segments<A> {
  readonly first: A;
  readonly second: A;
}

/** A zero-copy view of consecutive samples: subarrays of the ring's storage, valid until the next append. */
export interface WindowView {
  readonly length: number;
  /** Sequence number of the first sample (0 = the first sample ever appended). */
  readonly startSeq: number;
  readonly values: Segments<Float64Array>;
  readonly timestamps: Segments<Float64Array>;
  readonly quality: Segments<Uint8Array>;
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** Fixed-capacity ring of (value, timestamp, quality); the oldest sample is overwritten when full. */
export class RingBuffer {
  #values: Float64Array;
  #timestamps: Float64Array;
  #quality: Uint8Array;
  #capacity: number;
  /** Total samples ever appended; the next sample gets this sequence number. */
  #seq = 0;
  /** Samples currently held (≤ capacity). */
  #held = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
    this.#values = new Float64Array(capacity);
    this.#timestamps = new Float64Array(capacity);
    this.#quality = new Uint8Array(capacity);
    // Touch every page now: the operating system maps zeroed memory lazily, so an untouched ring would grow
    // the process's resident memory for minutes while it fills. Paying at start makes the footprint known
    // (and an out-of-memory condition show up at start, not hours into a shift).
    this.#values.fill(Number.NaN);
    this.#timestamps.fill(Number.NaN);
    this.#quality.fill(Quality.Bad);
  }

  get capacity(): number {
    return this.#capacity;
  }
  /** Number of samples held (≤ capacity). */
  get length(): number {
    return this.#held;
  }
  /** Sequence number the next appended sample will get (= total appended). */
  get seq(): number {
    return this.#seq;
  }
  /** Samples appended but no longer held (overwritten by newer ones). */
  get dropped(): number {
    return this.#seq - this.#held;
  }
  /** Sequence number of the oldest sample still held. */
  get oldestSeq(): number {
    return this.#seq - this.length;
  }

  /** Appends one sample in O(1). */
  push(value: number, ts: number, quality: Quality): void {
    const i = this.#seq % this.#capacity;
    this.#values[i] = value;
    this.#timestamps[i] = ts;
    this.#quality[i] = quality;
    this.#seq++;
    if (this.#held < this.#capacity) this.#held++;
  }

  /** Appends uniformly spaced samples (`t0 + k*dt`) with bulk copies. */
  pushBlock(values: Float64Array, t0: number, dt: number, quality: Quality): void {
    let src = values;
    let start = t0;
    if (src.length > this.#capacity) {
      // Only the newest `capacity` samples can be kept; count the rest as appended-and-overwritten.
      const skip = src.length - this.#capacity;
      this.#seq += skip;
      start = t0 + skip * dt;
      src = src.subarray(skip);
    }
    let written = 0;
    while (written < src.length) {
      const i = (this.#seq + written) % this.#capacity;
      const n = Math.min(src.length - written, this.#capacity - i);
      this.#values.set(src.subarray(written, written + n), i);
      this.#quality.fill(quality, i, i + n);
      for (let k = 0; k < n; k++) this.#timestamps[i + k] = start + (written + k) * dt;
      written += n;
    }
    this.#seq += src.length;
    this.#held = Math.min(this.#capacity, this.#held + src.length);
  }

  /** The newest sample's index into storage, or -1 when empty. */
  #indexOf(seq: number): number {
    return seq % this.#capacity;
  }

  /** Value, timestamp and quality of the sample with sequence number `seq`, if still held. */
  at(seq: number): { value: number; ts: number; quality: Quality } | undefined {
    if (seq < this.oldestSeq || seq >= this.#seq) return undefined;
    const i = this.#indexOf(seq);
    return { value: this.#values[i]!, ts: this.#timestamps[i]!, quality: this.#quality[i] as Quality };
  }

  /** The newest `n` samples (fewer if fewer are held). */
  last(n: number): WindowView {
    const count = Math.max(0, Math.min(n, this.length));
    return this.bySeq(this.#seq - count, count);
  }

  /**
   * `count` samples starting at sequence `startSeq`. Throws RangeError when part of that range was already
   * overwritten or not yet appended, so a reader never mistakes new data for old.
   */
  bySeq(startSeq: number, count: number): WindowView {
    if (!Number.isInteger(startSeq) || !Number.isInteger(count) || count < 0) {
      throw new RangeError(`window needs integer start and count >= 0, got start=${startSeq} count=${count}`);
    }
    if (startSeq < this.oldestSeq || startSeq + count > this.#seq) {
      throw new RangeError(
        `window [${startSeq}, ${
          startSeq + count
        }) is outside the held range [${this.oldestSeq}, ${this.#seq})`,
      );
    }
    if (count === 0) return emptyView(startSeq);
    const i = this.#indexOf(startSeq);
    const firstLen = Math.min(count, this.#capacity - i);
    const secondLen = count - firstLen;
    const seg = <A extends Float64Array | Uint8Array>(a: A, empty: A): Segments<A> => ({
      first: a.subarray(i, i + firstLen) as A,
      second: secondLen > 0 ? (a.subarray(0, secondLen) as A) : empty,
    });
    return {
      length: count,
      startSeq,
      values: seg(this.#values, EMPTY_F64),
      timestamps: seg(this.#timestamps, EMPTY_F64),
      quality: seg(this.#quality, EMPTY_U8),
    };
  }

  /** Samples with `from <= ts < to` (timestamps assumed non-decreasing, as sources deliver them). */
  range(from: number, to: number): WindowView {
    const lo = this.#lowerBound(from);
    const hi = this.#lowerBound(to);
    return this.bySeq(lo, Math.max(0, hi - lo));
  }

  /** First held sequence number whose timestamp is >= ts. */
  #lowerBound(ts: number): number {
    let lo = this.oldestSeq;
    let hi = this.#seq;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.#timestamps[this.#indexOf(mid)]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A new ring with another capacity holding the newest samples of this one (sequence numbers kept). */
  resized(capacity: number): RingBuffer {
    const next = new RingBuffer(capacity);
    const keep = this.last(Math.min(capacity, this.length));
    next.#seq = keep.startSeq;
    const copy = (seg: Segments<Float64Array>, q: Segments<Uint8Array>, tsSeg: Segments<Float64Array>) => {
      for (
        const [v, t, qq] of [[seg.first, tsSeg.first, q.first], [seg.second, tsSeg.second, q.second]] as const
      ) {
        for (let k = 0; k < v.length; k++) next.push(v[k]!, t[k]!, qq[k] as Quality);
      }
    };
    copy(keep.values, keep.quality, keep.timestamps);
    return next;
  }
}

function emptyView(startSeq: number): WindowView {
  const f = { first: EMPTY_F64, second: EMPTY_F64 };
  return { length: 0, startSeq, values: f, timestamps: f, quality: { first: EMPTY_U8, second: EMPTY_U8 } };
}

/** Copies a segmented window into one contiguous array (for callers that need it). */
export function flatten(
  seg: Segments<Float64Array>,
  out = new Float64Array(seg.first.length + seg.second.length),
): Float64Array {
  out.set(seg.first, 0);
  out.set(seg.second, seg.first.length);
  return out;
}
