/**
 * @module The store's metrics (rows written, write latency, errors, database bytes) and health details.
 */
import {
  type ComponentContext,
  type Counter,
  errorMessage,
  type HealthTracker,
  type Histogram,
} from "../../core/mod.ts";
import type { OpenDb } from "./db.ts";
import type { MaintenanceReport } from "./maintenance.ts";
import type { WriteCounts } from "./writer.ts";

/** Counts and figures published as metrics and as health details. */
export class StoreStats {
  readonly #labels: { sink: string };
  readonly #rows: Counter;
  readonly #errors: Counter;
  readonly #decimated: Counter;
  readonly #rejected: Counter;
  #rejectedCount = 0;
  readonly #intake: Counter;
  #intakeBlocks = 0;
  #intakeValues = 0;
  readonly #rollupsDropped: Counter;
  #rollupsDroppedCount = 0;
  readonly #latency: Histogram;
  readonly #removeGauge: () => void;
  readonly #removeMemGauge: () => void;
  readonly #removeP95Gauge: () => void;
  #dbBytes = 0;
  #memByTag: Record<string, number> = {};
  #rowsWritten = 0;
  #writeErrors = 0;
  #deleted: Record<string, number> = {};

  /** `p95Bytes` reports the memory the open rollup buckets hold for their p95 (0 without computed rollups). */
  constructor(
    ctx: ComponentContext,
    private readonly health: HealthTracker,
    p95Bytes: () => number = () => 0,
  ) {
    this.#labels = { sink: ctx.name };
    const m = ctx.metrics;
    this.#rows = m.counter(
      "gateway_history_rows_written_total",
      "Rows committed to the history store, by table",
    );
    this.#errors = m.counter("gateway_history_write_errors_total", "Failed history store commits (retried)");
    this.#decimated = m.counter(
      "gateway_history_values_decimated_total",
      "Raw values not stored because of the per-tag raw policy (still in rollups), by kind: single samples, block values",
    );
    this.#rejected = m.counter(
      "gateway_history_rejected_total",
      "Malformed records not stored (each kept as a history.rejected event)",
    );
    this.#intake = m.counter(
      "gateway_history_block_values_rolled_up_total",
      "Block values folded into rollups on arrival (rollups_only blocks never enter the sink queue)",
    );
    this.#rollupsDropped = m.counter(
      "gateway_history_rollups_dropped_total",
      "Computed rollup rows dropped because too many waited for a commit (database unavailable)",
    );
    this.#latency = m.histogram(
      "gateway_history_write_seconds",
      "Duration of one history commit",
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    );
    this.#removeGauge = m.gauge("gateway_history_db_bytes", "Size of the history database file")
      .collect(() => [[this.#labels, this.#dbBytes]]);
    this.#removeMemGauge = m.gauge(
      "gateway_history_memory_bytes",
      "Memory held by DuckDB's buffer manager at the last maintenance run, by tag (bounded by memory_limit_mb)",
    ).collect(() => Object.entries(this.#memByTag).map(([tag, n]) => [{ ...this.#labels, tag }, n]));
    this.#removeP95Gauge = m.gauge(
      "gateway_history_rollup_p95_bytes",
      "Memory the open rollup buckets hold for their p95 (reservoirs of 1 s buckets, exact values or sketches of " +
        "1 min and 1 h buckets)",
    ).collect(() => [[this.#labels, p95Bytes()]]);
    health.detail("write_errors", 0);
    health.detail("rows_written", 0);
  }

  opened(db: OpenDb): void {
    this.health.detail("db_path", db.path);
  }

  values(seen: number, decimated: number, decimatedBlock = 0): void {
    if (decimated > 0) this.#decimated.inc({ ...this.#labels, kind: "sample" }, decimated);
    if (decimatedBlock > 0) this.#decimated.inc({ ...this.#labels, kind: "block" }, decimatedBlock);
    void seen;
  }

  /** A block was taken whole at intake: rolled up, no raw value kept. */
  blockTaken(values: number): void {
    this.#intake.inc(this.#labels, values);
    this.#decimated.inc({ ...this.#labels, kind: "block" }, values);
    this.#intakeBlocks++;
    this.#intakeValues += values;
  }

  rollupsDropped(rows: number): void {
    this.#rollupsDropped.inc(this.#labels, rows);
    this.#rollupsDroppedCount += rows;
    this.health.detail("rollups_dropped", this.#rollupsDroppedCount);
  }

  /** Health details refreshed on the timer. */
  pending(rollups: number): void {
    this.health.detail("pending_rollups", rollups);
    this.health.detail("intake_blocks", this.#intakeBlocks);
    this.health.detail("intake_values", this.#intakeValues);
  }

  written(counts: WriteCounts, seconds: number): void {
    let total = 0;
    for (const [table, n] of Object.entries(counts)) {
      this.#rows.inc({ ...this.#labels, table }, n);
      total += n;
    }
    this.#rowsWritten += total;
    this.#latency.observe(seconds, this.#labels);
    this.health.detail("rows_written", this.#rowsWritten);
    this.health.detail("last_write_ms", Math.round(seconds * 1e4) / 10);
  }

  failed(error: unknown): void {
    this.#writeErrors++;
    this.#errors.inc(this.#labels);
    this.health.error(`write failed: ${errorMessage(error)}`);
    this.health.detail("write_errors", this.#writeErrors);
  }

  rejected(n: number): void {
    this.#rejected.inc(this.#labels, n);
    this.#rejectedCount += n;
    this.health.detail("rejected", this.#rejectedCount);
  }

  late(n: number): void {
    this.health.detail("late_samples", n);
  }

  maintained(r: MaintenanceReport): void {
    this.#dbBytes = r.size.file;
    for (const [t, n] of Object.entries(r.deleted)) this.#deleted[t] = (this.#deleted[t] ?? 0) + n;
    this.#memByTag = r.size.memoryByTag;
    this.health.detail("db_bytes", r.size.file);
    this.health.detail("memory_bytes", r.size.memory);
    this.health.detail("db_used_bytes", r.size.used);
    this.health.detail("wal_bytes", r.size.wal);
    this.health.detail("rows", r.rows);
    this.health.detail("retention_deleted", { ...this.#deleted });
    this.health.detail("compacted_rollups", r.merged);
  }

  checkpointed(at: number): void {
    this.health.detail("last_checkpoint", at);
  }

  close(): void {
    this.#removeGauge();
    this.#removeMemGauge();
    this.#removeP95Gauge();
  }
}
