/**
 * @module The `rollup` transform: per-tag 1 s / 1 min / 1 h aggregates (count, mean, std, min, max, p95,
 * last, share of Bad) in the continuous-aggregate style, read from the ring buffers on a timer.
 */
import { featureMatches } from "../anomaly/detector.ts";
import type { Message, MessageKind } from "../model/message.ts";
import type { RollupInterval } from "../model/records.ts";
import { HealthTracker } from "../plugin/health.ts";
import type { Transform, TransformContext } from "../plugin/transform.ts";
import type { RollupConfig } from "./schema.ts";
import { TagRollup } from "./tag_rollup.ts";

/** Emits rollup messages for matching tags. */
export class RollupTransform implements Transform {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["samples", "block"]);
  readonly #health = new HealthTracker();
  readonly #tags = new Map<string, TagRollup>();
  #ctx: TransformContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #startSeq = new Map<string, number>();
  #emitted = 0;
  #uncollect: (() => void)[] = [];

  constructor(private readonly config: RollupConfig) {}

  start(ctx: TransformContext): Promise<void> {
    this.#ctx = ctx;
    for (const e of ctx.tags.list()) this.#startSeq.set(e.meta.id, e.ring.seq);
    const labels = (t: TagRollup) => ({ transform: ctx.name, tag: t.tag });
    this.#uncollect.push(
      ctx.metrics.gauge("gateway_rollup_late_samples_total", "Samples arriving after their 1 s bucket closed")
        .collect(() => [...this.#tags.values()].filter((t) => t.late > 0).map((t) => [labels(t), t.late])),
      ctx.metrics.gauge("gateway_rollup_lost_samples_total", "Samples overwritten before being rolled up")
        .collect(() => [...this.#tags.values()].filter((t) => t.lost > 0).map((t) => [labels(t), t.lost])),
    );
    this.#timer = setInterval(() => this.run(), this.config.interval_ms);
    this.#health.set("connected");
    return Promise.resolve();
  }

  /** Samples are read from the ring buffers on the timer; messages are not needed. */
  process(_messages: readonly Message[]): void {}

  /** Reads new samples and emits closed buckets (public for deterministic tests). */
  run(): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.signal.aborted) return;
    const now = ctx.now();
    const out: Message[] = [];
    const late: { tag: string; count: number }[] = [];
    for (const e of ctx.tags.list()) {
      const id = e.meta.id;
      if (e.meta.dataType === "string" || !this.config.tags.some((p) => featureMatches(p, id))) continue;
      let t = this.#tags.get(id);
      if (!t) {
        t = new TagRollup(
          id,
          e.meta.asset,
          this.#startSeq.get(id) ?? 0,
          new Set(this.config.intervals as RollupInterval[]),
        );
        this.#tags.set(id, t);
      }
      const n = t.read(e.ring);
      if (n > 0) late.push({ tag: id, count: n });
      for (const r of t.close(now, this.config.grace_ms, this.config.max_wait_ms)) {
        out.push({ kind: "rollup", rollup: r });
      }
    }
    if (late.length > 0) {
      ctx.event({
        type: "rollup.late_samples",
        level: "warn",
        message: `${
          late.reduce((s, l) => s + l.count, 0)
        } sample(s) arrived after their 1 s bucket closed; dead-lettered`,
        data: { tags: late.slice(0, 20) },
      });
    }
    this.#emitted += out.length;
    if (out.length > 0) ctx.emit(out);
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const u of this.#uncollect) u();
    this.#uncollect = [];
    this.#health.set("stopped");
    return Promise.resolve();
  }

  health() {
    this.#health.detail("rollups", this.#emitted);
    this.#health.detail("tags", this.#tags.size);
    return this.#health.snapshot();
  }
}
