/**
 * @module The history sink: durable local history in DuckDB, written in batches from the sink queue and
 * readable through the "history" capability.
 */
import {
  type AlertControl,
  ALERTS_CAPABILITY,
  type ComponentContext,
  errorMessage,
  type GatewayEvent,
  HealthTracker,
  HISTORY_CAPABILITY,
  type Message,
  type MessageKind,
  RetryableError,
  type Rollup,
  type SampleBlock,
  type Sink,
} from "../../core/mod.ts";
import { intakeBlock, MAX_PENDING_ROLLUPS, trimPending } from "./intake.ts";
import { rejectedJson } from "./check_records.ts";
import { type OpenDb, openDb } from "./db.ts";
import { probe, settle, StoreUnavailableError } from "./isolate.ts";
import { CompactionMarks } from "./compaction.ts";
import { checkpoint, runRetention } from "./maintenance.ts";
import { emptyBatch, prepare, type PreparedBatch } from "./prepare.ts";
import { RawPolicy } from "./policy.ts";
import { Quarantine } from "./quarantine.ts";
import { StoreReader } from "./reader.ts";
import { RollupComputer } from "./rollups.ts";
import type { HistoryConfig } from "./schema.ts";
import { StoreStats } from "./stats.ts";
import { TagIds } from "./tag_ids.ts";
import { BatchUnits } from "./units.ts";
import { commitBatch } from "./writer.ts";

const TICK_MS = 1000;

/** A failed write, resumed when the runner retries the same messages. */
interface RetryState {
  readonly first: Message | undefined;
  readonly last: Message | undefined;
  readonly length: number;
  readonly batch: PreparedBatch;
  done: number;
}

/** The directory of a file path. */
function dirOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
}

/** Stores everything the pipeline produces; see docs/history.md. */
export class HistorySink implements Sink {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>([
    "samples",
    "block",
    "rollup",
    "features",
    "score",
    "alert",
    "event",
  ]);
  readonly #health = new HealthTracker();
  readonly #tagIds = new TagIds();
  readonly #marks = new CompactionMarks();
  readonly #samplePolicy: RawPolicy;
  readonly #blockPolicy: RawPolicy;
  readonly #rollups: RollupComputer | undefined;
  readonly #externalRollups = new Set<string>();
  /** Blocks rolled up at intake that still go through the queue for their kept raw values. */
  readonly #rolledUp = new WeakSet<SampleBlock>();
  /** Rollups closed by the timer, written with the next commit. */
  #pendingRollups: Rollup[] = [];
  /**
   * The batch prepared for the last failed write, reused when the runner retries the same messages; its first
   * `done` units (see units.ts) were already committed or quarantined before the database failed.
   */
  #retry: RetryState | undefined;
  #quarantine: Quarantine | undefined;
  #ctx: ComponentContext | undefined;
  #db: OpenDb | undefined;
  #openError: string | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #stats: StoreStats | undefined;
  #lastRetention = 0;
  #lastCheckpoint = 0;
  #ticking = false;
  #stopping = false;
  #path = "";

  constructor(private readonly config: HistoryConfig) {
    this.#samplePolicy = new RawPolicy(config.raw);
    this.#blockPolicy = new RawPolicy(config.blocks);
    this.#rollups = config.compute_rollups
      ? new RollupComputer(config.rollup_reservoir, config.rollup_grace_ms, config.rollup_exact_values)
      : undefined;
  }

  /** The reader provided as capability "history". */
  readonly reader: StoreReader = new StoreReader({
    db: () => this.#requireDb(),
    exclusive: (fn) => this.#exclusive(fn),
    alertControl: () => this.#ctx?.lookup<AlertControl>(ALERTS_CAPABILITY),
  });

  /** Path of the database file (after start). */
  get path(): string {
    return this.#path;
  }

  async start(ctx: ComponentContext): Promise<void> {
    this.#ctx = ctx;
    this.#path = this.config.path ?? `${ctx.stateDir}/history.duckdb`;
    this.#stats = new StoreStats(ctx, this.#health, () => this.#rollups?.p95Bytes() ?? 0);
    this.#quarantine = new Quarantine(
      `${dirOf(this.#path)}/quarantine`,
      this.config.quarantine.max_mb,
      ctx,
      this.#health,
    );
    this.#lastRetention = this.#lastCheckpoint = ctx.now();
    await this.#exclusive(() => this.#ensureOpen()).catch(() => {});
    ctx.provide(HISTORY_CAPABILITY, this.reader);
    this.#timer = setInterval(() => void this.#tick(), TICK_MS);
  }

  async write(messages: readonly Message[]): Promise<void> {
    const ctx = this.#ctx!;
    await this.#exclusive(async () => {
      let batch: PreparedBatch;
      let done = 0;
      const r = this.#retry;
      if (
        r && r.length === messages.length && r.first === messages[0] &&
        r.last === messages[messages.length - 1]
      ) {
        batch = r.batch;
        done = r.done;
      } else {
        batch = prepare(messages, {
          samplePolicy: this.#samplePolicy,
          blockPolicy: this.#blockPolicy,
          rollups: this.#rollups,
          externalRollups: this.#externalRollups,
          rolledUp: this.#rolledUp,
          now: ctx.now(),
        });
      }
      const retry: RetryState = {
        first: messages[0],
        last: messages[messages.length - 1],
        length: messages.length,
        batch,
        done,
      };
      this.#retry = retry;
      const db = await this.#ensureOpen();
      await this.#commit(db, batch, retry);
      this.#retry = undefined;
      this.#stats!.values(batch.values, batch.decimated, batch.decimatedBlock);
      if (batch.rejected.length > 0) {
        this.#stats!.rejected(batch.rejected.length);
        ctx.logger.warn("malformed records not stored (kept as history.rejected events)", {
          count: batch.rejected.length,
          first: batch.rejected[0]!.message,
        });
      }
    });
  }

  /**
   * Fast path for vibration blocks (called by the runner before queueing): their rollups are computed at once,
   * so blocks never wait in (or overflow) the bounded queue; see intake.ts.
   */
  intake(message: Message): boolean {
    const ctx = this.#ctx;
    const rollups = this.#rollups;
    const stats = this.#stats;
    if (message.kind !== "block" || !ctx || !rollups || !stats || this.#stopping) return false;
    return intakeBlock(message, {
      rollups,
      blockPolicy: this.#blockPolicy,
      externalRollups: this.#externalRollups,
      rolledUp: this.#rolledUp,
      pending: () => this.#pendingRollups,
      now: () => ctx.now(),
      taken: (values) => stats.blockTaken(values),
      dropped: (rows) => stats.rollupsDropped(rows),
    });
  }

  /**
   * Commits `batch` and the pending rollups, from unit `retry.done` on (see units.ts and isolate.ts): records
   * the database refuses while it otherwise works are quarantined and the rest is stored. When the database
   * itself fails, the unsettled pending rollups wait again, `retry.done` says how far the batch got, and a
   * RetryableError makes the runner retry.
   */
  async #commit(db: OpenDb, batch: PreparedBatch, retry?: RetryState): Promise<void> {
    const units = new BatchUnits(batch, this.#pendingRollups);
    this.#pendingRollups = [];
    const from = retry?.done ?? 0;
    try {
      await settle(units.length, from, {
        commit: (lo, hi) => this.#commitUnits(db, units, lo, hi),
        probe: () => probe(db.write),
        quarantine: (k, error) => this.#quarantineUnit(db, units, k, error),
      });
    } catch (error) {
      const done = error instanceof StoreUnavailableError ? error.done : from;
      if (retry) retry.done = Math.min(done, units.own);
      this.#pendingRollups = [...units.pendingFrom(done), ...this.#pendingRollups];
      const cause = error instanceof StoreUnavailableError ? error.cause : error;
      this.#stats!.failed(cause);
      this.#health.set("degraded");
      throw new RetryableError(`history write to ${db.path} failed: ${errorMessage(cause)}`, {
        cause: error,
      });
    }
  }

  /** Commits units `lo` to `hi` in one transaction. */
  async #commitUnits(db: OpenDb, units: BatchUnits, lo: number, hi: number): Promise<void> {
    const ctx = this.#ctx!;
    const { batch, extra } = units.sub(lo, hi);
    const t0 = performance.now();
    const counts = await commitBatch(
      db.write,
      this.#tagIds,
      this.#marks,
      batch,
      extra,
      (tag) => ctx.tags.get(tag)?.meta,
      this.config.max_chunk_rows,
      ctx.now(),
    );
    this.#stats!.written(counts, (performance.now() - t0) / 1000);
    if (this.#health.state !== "connected") this.#health.set("connected");
  }

  /**
   * Writes unit `k` to the quarantine file (throws when it cannot: then it is retried, never lost), logs it once,
   * and stores a `history.quarantined` event the way malformed records become `history.rejected` events.
   */
  async #quarantineUnit(db: OpenDb, units: BatchUnits, k: number, error: unknown): Promise<void> {
    const ctx = this.#ctx!;
    const record = units.record(k);
    const now = ctx.now();
    const file = await this.#quarantine!.put(record, error, now);
    const kind = record.message.kind;
    const reason = errorMessage(error);
    ctx.logger.warn("record refused by the database, quarantined (the rest of its batch is stored)", {
      kind,
      origin: record.origin,
      error: reason,
      file,
    });
    this.#health.error(`${kind} record quarantined in ${file}: ${reason}`);
    const event: GatewayEvent = {
      ts: now,
      type: "history.quarantined",
      component: ctx.name,
      level: "warn",
      message: `${kind} record refused by the database, quarantined in ${file}: ${reason}`,
      data: { kind, origin: record.origin, error: reason, file, record: rejectedJson(record.message) },
    };
    const b = emptyBatch();
    b.events.push(event);
    try {
      await commitBatch(
        db.write,
        this.#tagIds,
        this.#marks,
        b,
        [],
        () => undefined,
        this.config.max_chunk_rows,
        now,
      );
    } catch (eventError) {
      ctx.logger.warn("history.quarantined event not stored (the record is in the quarantine file)", {
        file,
        error: errorMessage(eventError),
      });
    }
  }

  /** Opens the database if needed; failures become a RetryableError and a clear health error. */
  async #ensureOpen(): Promise<OpenDb> {
    if (this.#db) return this.#db;
    try {
      const db = await openDb(this.#path, {
        memoryLimitMb: this.config.memory_limit_mb,
        threads: this.config.threads,
        walMb: this.config.checkpoint.wal_mb,
      });
      try {
        await this.#tagIds.load(db.write);
        await this.#marks.load(db.write);
      } catch (error) {
        db.close();
        throw error;
      }
      this.#db = db;
      if (this.#openError !== undefined) {
        this.#ctx?.event({
          type: "history.recovered",
          level: "info",
          message: `history database ${db.path} is open again`,
        });
      }
      this.#openError = undefined;
      this.#health.set("connected");
      this.#stats!.opened(db);
      return db;
    } catch (error) {
      const message = `history database ${this.#path} cannot be opened: ${errorMessage(error)}`;
      if (this.#openError !== message) {
        this.#ctx?.logger.error(message);
        this.#ctx?.event({ type: "history.unavailable", level: "error", message });
      }
      this.#openError = message;
      this.#health.set("reconnecting");
      this.#health.error(message);
      throw new RetryableError(message, { cause: error, retryAfterMs: 5000 });
    }
  }

  #requireDb(): OpenDb {
    if (this.#db) return this.#db;
    throw new Error(this.#openError ?? "history database is not open");
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => {});
    return run;
  }

  /** Closes due rollup buckets, writes them when idle, runs retention and checkpoints on schedule. */
  async #tick(force = false, all = false): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx || (this.#ticking && !force)) return;
    this.#ticking = true;
    try {
      await this.#exclusive(async () => {
        const now = ctx.now();
        this.#rollups?.flushDue(now, this.#pendingRollups, all);
        if (this.#pendingRollups.length > MAX_PENDING_ROLLUPS) {
          this.#stats!.rollupsDropped(trimPending(this.#pendingRollups));
        }
        this.#stats!.pending(this.#pendingRollups.length);
        const db = await this.#ensureOpen();
        if (this.#pendingRollups.length > 0) await this.#commit(db, emptyBatch());
        if (force || now - this.#lastRetention >= this.config.retention.interval_s * 1000) {
          this.#lastRetention = now;
          const report = await runRetention(db, this.config, this.#marks, now);
          this.#stats!.maintained(report);
          if (Object.keys(report.overBudget).length > 0) {
            ctx.event({
              type: "history.budget_enforced",
              level: "warn",
              message: `history over its ${this.config.retention.max_db_mb} MiB budget: deleted the oldest ${
                Object.entries(report.overBudget).map(([t, n]) => `${n} ${t}`).join(", ")
              } rows`,
              data: { deleted: report.overBudget },
            });
          }
        }
        if (force || now - this.#lastCheckpoint >= this.config.checkpoint.interval_s * 1000) {
          await checkpoint(db);
          this.#lastCheckpoint = now;
          this.#stats!.checkpointed(now);
        }
        this.#stats!.late(this.#rollups?.late ?? 0);
      });
    } catch (error) {
      // An unopenable database was already logged once by #ensureOpen; do not repeat it every second.
      if (this.#db) ctx.logger.warn("history maintenance failed", { error: errorMessage(error) });
    } finally {
      this.#ticking = false;
    }
  }

  /** Runs retention, compaction and a checkpoint now (they also run on their schedule). */
  maintain(): Promise<void> {
    return this.#tick(true);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#ctx && this.#db) await this.#tick(true, true);
    await this.#exclusive(() => {
      this.#db?.close();
      this.#db = undefined;
      return Promise.resolve();
    });
    this.#stats?.close();
    this.#health.set("stopped");
  }

  health() {
    return this.#health.snapshot();
  }
}
