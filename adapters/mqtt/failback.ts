/**
 * @module Failback detection: while the link is on a failover broker, every broker earlier in the list (more
 * preferred) is probed every interval; the best one whose consecutive successful probes span the stable time
 * is the one to move back to. A failed probe restarts that broker's streak.
 */
import { errorMessage, sleep } from "../../core/mod.ts";

/** Failback timing, ms. */
export interface FailbackOptions {
  /** Time between probe rounds. */
  readonly probeIntervalMs: number;
  /** Consecutive successful probes must span at least this long (0: the first success is enough). */
  readonly stableMs: number;
  /** Leaving the failover broker (drain, goodbye, DISCONNECT) waits at most this long per step (the link's). */
  readonly drainTimeoutMs?: number;
}

/** Outcome of one probe, reported for health. */
export interface ProbeReport {
  readonly url: string;
  /** The failure, or undefined when the broker answered. */
  readonly error: string | undefined;
  /** Start of the current streak of successful probes, or undefined after a failure. */
  readonly stableSince: number | undefined;
}

/** Probes better brokers and tells when one has been stable long enough. */
export class FailbackWatch {
  constructor(
    private readonly brokers: readonly string[],
    private readonly options: FailbackOptions,
    private readonly probe: (url: string, signal: AbortSignal) => Promise<void>,
    private readonly onProbe: (report: ProbeReport) => void,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(options.probeIntervalMs > 0)) {
      throw new RangeError(`probeIntervalMs must be > 0, got ${options.probeIntervalMs}`);
    }
    if (!(options.stableMs >= 0)) throw new RangeError(`stableMs must be >= 0, got ${options.stableMs}`);
  }

  /**
   * Resolves with the index of the best broker before `current` that has answered for the stable time, or
   * with undefined once `signal` aborts. Probes of one round run in parallel; the first round is one interval
   * after the call (the link has just given up on those brokers).
   */
  async watch(current: number, signal: AbortSignal): Promise<number | undefined> {
    if (!Number.isInteger(current) || current < 0 || current >= this.brokers.length) {
      throw new RangeError(`current must be a broker index, got ${current}`);
    }
    const streaks = new Map<number, number>();
    const better = this.brokers.slice(0, current);
    while (!signal.aborted) {
      await sleep(this.options.probeIntervalMs, signal);
      if (signal.aborted) break;
      const results = await Promise.all(better.map(async (url) => {
        try {
          await this.probe(url, signal);
          return undefined;
        } catch (error) {
          return errorMessage(error);
        }
      }));
      if (signal.aborted) break;
      const now = this.clock();
      for (const [i, error] of results.entries()) {
        if (error === undefined) {
          if (!streaks.has(i)) streaks.set(i, now);
        } else {
          streaks.delete(i);
        }
        this.onProbe({ url: better[i]!, error, stableSince: streaks.get(i) });
      }
      for (let i = 0; i < better.length; i++) {
        const since = streaks.get(i);
        if (since !== undefined && now - since >= this.options.stableMs) return i;
      }
    }
    return undefined;
  }
}
