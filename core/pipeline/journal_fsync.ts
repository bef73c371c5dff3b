/**
 * @module When a sink journal's appends reach the disk (`queue.journal_fsync`); like the MQTT outbox's `fsync`
 * policy, a sync is an fdatasync of the file (data and size, not timestamps).
 *
 * Guarantees against power loss (a `kill -9` loses no append under any policy: appends are synchronous
 * writes into the kernel):
 * - `always`: a burst is every append made before control returns to the event loop (one task: e.g. all the
 *   messages one `dispatch` offers). The first append of a burst queues a microtask; when the task ends it runs
 *   one blocking fdatasync covering the whole burst. So an append is durable before any timer, I/O callback or
 *   later task runs: whatever a producer does after its burst (answer a request, write its own state, let a
 *   broker acknowledge) happens after its messages are on disk. Cost: one fdatasync per task that appended,
 *   never one per message; it blocks the event loop for that fdatasync. A failed fdatasync is reported and the
 *   next burst (or close) syncs again.
 * - `interval`: appends never wait. The first append after a sync arms a `journal_fsync_ms` timer, which runs
 *   one fdatasync off the event loop; syncs are at least `journal_fsync_ms` apart, an idle journal is never
 *   synced, and close syncs what is left. A power loss loses at most the appends of the last
 *   `journal_fsync_ms` plus the duration of one fdatasync.
 * - `never`: the OS writes the file back when it likes (Linux: typically within 30 s).
 */
import type { JournalDisk } from "./journal_disk.ts";

/** The values of `queue.journal_fsync`. */
export const JOURNAL_FSYNC_POLICIES = ["always", "interval", "never"] as const;
export type JournalFsync = typeof JOURNAL_FSYNC_POLICIES[number];

/** A journal's fsync policy. */
export interface JournalFsyncPolicy {
  readonly fsync: JournalFsync;
  /** Period of the `interval` policy, ms (ignored otherwise). */
  readonly intervalMs: number;
}

/** The configuration defaults. */
export const DEFAULT_JOURNAL_FSYNC: JournalFsyncPolicy = { fsync: "interval", intervalMs: 1000 };

/** Why a sync ran: the policy (`append`), a compaction's rewritten file, or the final sync at close. */
export type SyncReason = "append" | "compact" | "close";

/** Observers of the syncs, for metrics and logs. */
export interface SyncHooks {
  /** A sync completed in `seconds`. */
  readonly onSync?: (seconds: number, reason: SyncReason) => void;
  /** A sync failed: the appends it covered may not survive a power loss (a crash still loses nothing). */
  readonly onSyncError?: (error: unknown, reason: SyncReason) => void;
}

/** Counters for health. */
export interface SyncStats {
  readonly fsync: JournalFsync;
  readonly fsync_ms: number;
  /** Appends not yet covered by a completed sync. */
  readonly unsynced: number;
  readonly syncs: number;
  readonly sync_errors: number;
}

/** Checks a policy given in code (the configuration schema checks the configured one). */
export function checkFsyncPolicy(policy: JournalFsyncPolicy): JournalFsyncPolicy {
  if (!(JOURNAL_FSYNC_POLICIES as readonly string[]).includes(policy.fsync)) {
    throw new TypeError(
      `journal fsync must be one of ${JOURNAL_FSYNC_POLICIES.join(", ")}, got ${policy.fsync}`,
    );
  }
  if (!Number.isInteger(policy.intervalMs) || policy.intervalMs < 1) {
    throw new RangeError(`journal fsync interval must be a positive integer (ms), got ${policy.intervalMs}`);
  }
  return policy;
}

/**
 * Schedules the fdatasyncs of one journal file. The journal calls {@link appended} after each write and
 * {@link covered} when everything written is durable by other means (a compaction synced its rewrite).
 */
export class JournalSyncer {
  #policy: JournalFsyncPolicy;
  /** Appends so far, and how many of them a completed sync (or compaction) made durable. */
  #appended = 0;
  #durable = 0;
  #syncs = 0;
  #errors = 0;
  #burstQueued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #closed = false;

  constructor(
    policy: JournalFsyncPolicy,
    private readonly disk: JournalDisk,
    /** The journal's current file (it changes when a compaction reopens it). */
    private readonly file: () => Deno.FsFile,
    private readonly hooks: SyncHooks = {},
  ) {
    this.#policy = checkFsyncPolicy(policy);
  }

  get policy(): JournalFsyncPolicy {
    return this.#policy;
  }

  /** Applies a new policy (configuration reload); pending appends are synced under it. */
  setPolicy(policy: JournalFsyncPolicy): void {
    this.#policy = checkFsyncPolicy(policy);
    this.#clearTimer();
    if (this.#unsynced > 0) this.#schedule();
  }

  get #unsynced(): number {
    return this.#appended - this.#durable;
  }

  /** One more append was written to the file. */
  appended(): void {
    this.#appended++;
    this.#schedule();
  }

  /** Everything appended so far is durable (a compaction rewrote and synced the file). */
  covered(): void {
    this.#durable = this.#appended;
    this.#clearTimer();
  }

  /** Runs a blocking sync and reports it (duration or failure); a failure is rethrown. */
  timed(reason: SyncReason, sync: () => void): void {
    const started = performance.now();
    try {
      sync();
    } catch (error) {
      this.#errors++;
      this.hooks.onSyncError?.(error, reason);
      throw error;
    }
    this.#syncs++;
    this.hooks.onSync?.((performance.now() - started) / 1000, reason);
  }

  stats(): SyncStats {
    return {
      fsync: this.#policy.fsync,
      fsync_ms: this.#policy.intervalMs,
      unsynced: this.#unsynced,
      syncs: this.#syncs,
      sync_errors: this.#errors,
    };
  }

  /** Stops the timer, waits for a sync in flight and, unless the policy is `never`, syncs what is left. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    await this.#inFlight;
    if (this.#policy.fsync !== "never" && this.#unsynced > 0) this.#syncNow("close");
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#policy.fsync === "always" && !this.#burstQueued) {
      // Every append of this task (the burst) is written before the microtask runs: one sync covers them,
      // and it completes before any timer, I/O callback or later task of the process runs.
      this.#burstQueued = true;
      queueMicrotask(() => {
        this.#burstQueued = false;
        if (!this.#closed && this.#unsynced > 0) this.#syncNow("append");
      });
    } else if (this.#policy.fsync === "interval" && this.#timer === undefined) {
      // Armed by the first unsynced append: that append waits at most intervalMs, and syncs are at least
      // intervalMs apart.
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#syncInBackground();
      }, this.#policy.intervalMs);
    }
  }

  #syncNow(reason: SyncReason): void {
    const upTo = this.#appended;
    const file = this.file();
    try {
      this.timed(reason, () => this.disk.syncDataSync(file));
      this.#durable = Math.max(this.#durable, upTo);
    } catch {
      // reported by timed(); the next burst (or close) tries again
    }
  }

  async #syncInBackground(): Promise<void> {
    while (this.#inFlight) await this.#inFlight; // a slow disk: never two syncs at once
    if (this.#closed || this.#unsynced === 0) return;
    const upTo = this.#appended;
    const started = performance.now();
    const file = this.file();
    this.#inFlight = this.disk.syncData(file).then(
      () => {
        this.#syncs++;
        this.#durable = Math.max(this.#durable, upTo);
        this.hooks.onSync?.((performance.now() - started) / 1000, "append");
      },
      (error: unknown) => {
        this.#errors++;
        this.hooks.onSyncError?.(error, "append");
        if (!this.#closed) this.#schedule(); // try again next period
      },
    ).finally(() => (this.#inFlight = undefined));
    await this.#inFlight;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
