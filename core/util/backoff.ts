/**
 * @module Exponential backoff with full jitter, and an abortable sleep.
 */

/** Options for {@link Backoff}. */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
  /** Fraction of the delay that is randomised (0 = none, 1 = full jitter). */
  readonly jitter?: number;
  readonly random?: () => number;
}

/** Produces growing delays for reconnect loops; `reset()` after a success. */
export class Backoff {
  #attempt = 0;
  constructor(private readonly options: BackoffOptions = {}) {}

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt, in ms. */
  next(): number {
    const { initialMs = 500, maxMs = 30_000, factor = 2, jitter = 0.5, random = Math.random } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.#attempt);
    this.#attempt++;
    return Math.round(base * (1 - jitter) + base * jitter * random());
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
