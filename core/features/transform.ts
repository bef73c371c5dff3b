/**
 * @module The `features` transform: windows → features (WASM signal core) → feature vectors, per asset.
 * New data schedules a run right after the source's emit returns (never inside it); a timer handles grace.
 */
import { loadSignalCore, type SignalCore } from "../../wasm/mod.ts";
import { errorMessage } from "../errors.ts";
import { SPECTRA_CAPABILITY } from "../history/types.ts";
import type { Message, MessageKind } from "../model/message.ts";
import { HealthTracker } from "../plugin/health.ts";
import type { Transform, TransformContext } from "../plugin/transform.ts";
import { AssetFeatures } from "./asset_features.ts";
import type { FeaturesConfig } from "./schema.ts";
import { SpectraStore } from "./spectra_store.ts";

/** Options for tests and benchmarks. */
export interface FeaturesOptions {
  /** A ready signal core (default: `loadSignalCore()`). */
  readonly core?: SignalCore;
}

/** Computes feature vectors for the configured assets. */
export class FeaturesTransform implements Transform {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["samples", "block"]);
  readonly spectra = new SpectraStore();
  readonly #health = new HealthTracker();
  #ctx: TransformContext | undefined;
  #core: SignalCore | undefined;
  #assets: AssetFeatures[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #emitted = 0;
  #uncollect: (() => void)[] = [];

  constructor(private readonly config: FeaturesConfig, private readonly options: FeaturesOptions = {}) {}

  async start(ctx: TransformContext): Promise<void> {
    this.#ctx = ctx;
    this.#core = this.options.core ??
      await loadSignalCore({ logger: (m) => ctx.logger.warn(m) });
    const startSeq = new Map<string, number>();
    for (const e of ctx.tags.list()) startSeq.set(e.meta.id, e.ring.seq);
    this.#assets = this.config.assets.map((a) =>
      new AssetFeatures(a, this.config.schema_version, (tag) => startSeq.get(tag) ?? 0)
    );
    const m = ctx.metrics;
    const labels = (a: AssetFeatures) => ({ transform: ctx.name, asset: a.config.asset });
    const gauge = (name: string, help: string, pick: (a: AssetFeatures) => number) =>
      this.#uncollect.push(m.gauge(name, help).collect(() => this.#assets.map((a) => [labels(a), pick(a)])));
    gauge(
      "gateway_feature_windows_total",
      "Windows cut by the features transform",
      (a) => a.counters.windows,
    );
    gauge(
      "gateway_feature_windows_rejected_total",
      "Windows rejected for bad quality",
      (a) => a.counters.rejected,
    );
    gauge(
      "gateway_feature_samples_lost_total",
      "Samples overwritten before windowing",
      (a) => a.counters.lost,
    );
    gauge(
      "gateway_feature_dead_letters_total",
      "Late samples after their vector was emitted",
      (a) => a.counters.deadLetters,
    );
    ctx.provide(SPECTRA_CAPABILITY, this.spectra);
    this.#timer = setInterval(() => this.run(), this.config.interval_ms);
    this.#health.set("connected");
    this.#health.detail("core", this.#core.kind);
  }

  process(_messages: readonly Message[]): void {
    // Runs after the source's emit call stack has returned; a burst of emits coalesces into one run.
    if (this.#scheduled === undefined && this.#ctx && !this.#ctx.signal.aborted) {
      this.#scheduled = setTimeout(() => {
        this.#scheduled = undefined;
        this.run();
      }, 0);
    }
  }

  /** Processes everything pending now (public for deterministic tests and benchmarks). */
  run(): void {
    const ctx = this.#ctx;
    const core = this.#core;
    if (!ctx || !core || ctx.signal.aborted) return;
    const now = ctx.now();
    const messages: Message[] = [];
    for (const a of this.#assets) {
      try {
        const out = a.step(core, ctx.tags, now);
        for (const s of out.snapshots) this.spectra.put(s);
        for (const v of out.vectors) messages.push({ kind: "features", features: v });
        if (out.dead.length > 0) {
          ctx.event({
            type: "features.late_samples",
            level: "warn",
            message: `${out.dead.length} late sample(s) of ${
              out.dead[0]!.tag
            } arrived after the vector of ${a.config.asset} at their time was emitted; dead-lettered`,
            data: { asset: a.config.asset, samples: out.dead.slice(0, 20) },
          });
        }
      } catch (error) {
        a.counters.errors++;
        this.#health.error(`asset ${a.config.asset}: ${errorMessage(error)}`);
        ctx.logger.error("feature computation failed", { asset: a.config.asset, error: errorMessage(error) });
      }
    }
    this.#emitted += messages.length;
    if (messages.length > 0) ctx.emit(messages);
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#scheduled !== undefined) clearTimeout(this.#scheduled);
    this.#timer = this.#scheduled = undefined;
    for (const u of this.#uncollect) u();
    this.#uncollect = [];
    this.#health.set("stopped");
    return Promise.resolve();
  }

  health() {
    this.#health.detail("vectors", this.#emitted);
    this.#health.detail("dead_letters", this.#assets.reduce((s, a) => s + a.counters.deadLetters, 0));
    this.#health.detail("samples_lost", this.#assets.reduce((s, a) => s + a.counters.lost, 0));
    return this.#health.snapshot();
  }
}
