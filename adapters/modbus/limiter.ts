/**
 * @module The process-wide Modbus request limiter: a global cap on requests in flight, and at most one
 * request at a time per endpoint (TCP-to-RTU bridges and serial lines break under parallel requests).
 */

interface Waiter {
  readonly key: string;
  readonly grant: () => void;
}

/** Grants request slots first-come first-served, skipping waiters whose endpoint is busy. */
export class RequestLimiter {
  readonly #limits = new Map<string, number>();
  readonly #busy = new Set<string>();
  #waiters: Waiter[] = [];
  #inFlight = 0;
  #peak = 0;

  constructor(private readonly fallback = 4) {}

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }
  /** Most requests ever in flight at once. */
  get peak(): number {
    return this.#peak;
  }
  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }
  /** The cap in force: the smallest limit any registered owner asked for. */
  get capacity(): number {
    return this.#limits.size === 0 ? this.fallback : Math.min(...this.#limits.values());
  }

  /** Declares `owner`'s limit (a running source); withdrawn with {@link release}. */
  claim(owner: string, maxConcurrent: number): void {
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1)) {
      throw new RangeError(`max concurrent requests must be an integer >= 1, got ${maxConcurrent}`);
    }
    this.#limits.set(owner, maxConcurrent);
  }

  release(owner: string): void {
    this.#limits.delete(owner);
    this.#pump();
  }

  /** Runs `fn` once a slot for `endpoint` is free. An aborted wait rejects with the signal's reason. */
  async run<T>(endpoint: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(endpoint, signal);
    try {
      return await fn();
    } finally {
      this.#inFlight--;
      this.#busy.delete(endpoint);
      this.#pump();
    }
  }

  #acquire(key: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#free(key) && this.#waiters.length === 0) {
      this.#take(key);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        key,
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #free(key: string): boolean {
    return this.#inFlight < this.capacity && !this.#busy.has(key);
  }

  #take(key: string): void {
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    this.#busy.add(key);
  }

  #pump(): void {
    for (let i = 0; i < this.#waiters.length && this.#inFlight < this.capacity;) {
      const w = this.#waiters[i]!;
      if (this.#busy.has(w.key)) {
        i++;
        continue;
      }
      this.#waiters.splice(i, 1);
      this.#take(w.key);
      w.grant();
    }
  }
}

/** The limiter shared by every modbus source of this process. */
export const sharedLimiter: RequestLimiter = new RequestLimiter();
