/**
 * @module A token bucket (messages/s and bytes/s) that paces publishing after an outage.
 */
import { sleep } from "../../core/mod.ts";

/** Rate limiter with one second of burst; a rate of 0 means unlimited. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly ratePerS: number, private readonly clock: () => number = () => performance.now()) {
    if (!(ratePerS >= 0)) throw new RangeError(`rate must be >= 0, got ${ratePerS}`);
    this.#tokens = ratePerS;
    this.#at = clock();
  }

  /** Takes `n` tokens, returning how long (ms) the caller must wait before proceeding (0 when none). */
  take(n: number): number {
    if (this.ratePerS === 0) return 0;
    const now = this.clock();
    this.#tokens = Math.min(this.ratePerS, this.#tokens + ((now - this.#at) / 1000) * this.ratePerS);
    this.#at = now;
    this.#tokens -= n;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.ratePerS) * 1000;
  }
}

/** Waits as both buckets demand for one message of `bytes` bytes. */
export async function pace(
  messages: TokenBucket,
  bytes: TokenBucket,
  size: number,
  signal?: AbortSignal,
): Promise<void> {
  const wait = Math.max(messages.take(1), bytes.take(size));
  if (wait > 0) await sleep(wait, signal);
}
