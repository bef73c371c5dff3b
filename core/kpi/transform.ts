/**
 * @module The `kpi` transform: reads the configured tags from the ring buffers, feeds the KPI engine and
 * emits per-shift KPI feature vectors (periodically and at shift end).
 */
import type { Message, MessageKind } from "../model/message.ts";
import { HealthTracker } from "../plugin/health.ts";
import type { Transform, TransformContext } from "../plugin/transform.ts";
import { KpiEngine, type KpiEvent } from "./engine.ts";
import type { KpiConfig } from "./schema.ts";

/** Production KPIs of one asset. */
export class KpiTransform implements Transform {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["samples"]);
  readonly #health = new HealthTracker();
  readonly engine: KpiEngine;
  #ctx: TransformContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #next = new Map<string, number>();
  #emitted = 0;

  constructor(private readonly config: KpiConfig) {
    this.engine = new KpiEngine(config);
  }

  start(ctx: TransformContext): Promise<void> {
    this.#ctx = ctx;
    for (const e of ctx.tags.list()) this.#next.set(e.meta.id, e.ring.seq);
    this.#timer = setInterval(() => this.run(), this.config.interval_ms);
    this.#health.set("connected");
    return Promise.resolve();
  }

  process(_messages: readonly Message[]): void {}

  /** Reads new samples and emits due vectors (public for deterministic tests). */
  run(): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.signal.aborted) return;
    const c = this.config;
    const sources: [KpiEvent["kind"], string | undefined][] = [
      ["state", c.state.tag],
      ["cycles", c.cycles?.tag],
      ["good", c.good?.tag],
      ["energy", c.energy?.tag],
    ];
    const events: KpiEvent[] = [];
    for (const [kind, tag] of sources) {
      if (!tag) continue;
      const entry = ctx.tags.get(tag);
      if (!entry) continue;
      const ring = entry.ring;
      let seq = Math.max(this.#next.get(tag) ?? 0, ring.oldestSeq);
      for (; seq < ring.seq; seq++) {
        const s = ring.at(seq)!;
        if (Number.isFinite(s.value)) events.push({ ts: s.ts, kind, value: s.value, bad: s.quality === 2 });
      }
      this.#next.set(tag, seq);
    }
    this.engine.feed(events);
    const out: Message[] = this.engine.advance(ctx.now()).map((features) => ({ kind: "features", features }));
    this.#emitted += out.length;
    if (out.length > 0) ctx.emit(out);
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#health.set("stopped");
    return Promise.resolve();
  }

  health() {
    this.#health.detail("vectors", this.#emitted);
    return this.#health.snapshot();
  }
}
