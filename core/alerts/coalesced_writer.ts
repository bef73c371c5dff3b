/**
 * @module Coalesces "state changed" signals into writes: the first change is written at once, later ones at
 * most once per interval (each write takes the state as it is then), writes never overlap, and `stop()`
 * writes whatever is still unwritten.
 */

/** Calls `write` after changes, at most once per `intervalMs`. */
export class CoalescedWriter {
  #dirty = false;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastStart = -Infinity;
  #chain: Promise<void> = Promise.resolve();
  #writes = 0;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly intervalMs = 1000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be >= 0, got ${intervalMs}`);
  }

  /** Completed writes so far. */
  get writes(): number {
    return this.#writes;
  }

  /** Records a change; a write follows within the interval. Ignored after `stop()`. */
  changed(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    if (this.#timer !== undefined) return;
    const delay = Math.max(0, this.#lastStart + this.intervalMs - performance.now());
    const timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#run();
    }, delay);
    // A pending write never keeps the process alive; `stop()` writes it anyway.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  /** Resolves once every write started so far is done. */
  flushed(): Promise<void> {
    return this.#chain;
  }

  /** Stops scheduling and writes the final state if anything is unwritten; resolves when it is on disk. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run();
  }

  #run(): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      this.#lastStart = performance.now();
      try {
        await this.write();
        this.#writes++;
      } catch (error) {
        // Written again with the next change (or at stop).
        this.#dirty = true;
        this.onError(error);
      }
    });
    return this.#chain;
  }
}
