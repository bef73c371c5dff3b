/**
 * @module The `anomaly` transform: feature vectors → detectors (per asset) → scores → alerts, plus
 * data-quality alerts on live tags. Provides capability "alerts"; persists baselines and the alert state
 * (`<stateDir>/alerts.json`) across restarts.
 */
import { CoalescedWriter } from "../alerts/coalesced_writer.ts";
import { DataQualityChecker } from "../alerts/data_quality.ts";
import { AlertManager } from "../alerts/manager.ts";
import { AlertStateFile } from "../alerts/state_file.ts";
import { type AlertPolicy } from "../alerts/policy.ts";
import { errorMessage } from "../errors.ts";
import { ALERTS_CAPABILITY } from "../history/types.ts";
import type { Message, MessageKind } from "../model/message.ts";
import type { Alert, FeatureVector } from "../model/records.ts";
import { HealthTracker } from "../plugin/health.ts";
import type { Transform, TransformContext } from "../plugin/transform.ts";
import { BaselineStore } from "./baseline_store.ts";
import { type Detection, type Detector, featureMatches } from "./detector.ts";
import { createDetector, type DetectorCommon } from "./registry.ts";
import type { AnomalyConfig } from "./transform_schema.ts";

const DQ_POLICY: AlertPolicy = {
  raise_after_s: 0,
  clear_after_s: 0,
  clear_ratio: 1,
  cooldown_s: 0,
  severity: "warning",
  critical_ratio: 0,
};

/** Name of the alert state file in the state directory. */
export const ALERT_STATE_FILE = "alerts.json";
/** The alert state is written at most this often (and always at stop), ms. */
export const ALERT_STATE_WRITE_INTERVAL_MS = 1000;

interface Instance {
  readonly name: string;
  readonly detector: Detector;
  loaded: Promise<void>;
  wasReady: boolean;
  /** Pending asynchronous scores, in order. */
  chain: Promise<void>;
}

/** Scores feature vectors and manages alerts. */
export class AnomalyTransform implements Transform {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["features"]);
  readonly #health = new HealthTracker();
  readonly #instances = new Map<string, Instance[]>();
  #ctx: TransformContext | undefined;
  #alerts: AlertManager | undefined;
  #store: BaselineStore | undefined;
  #quality: DataQualityChecker | undefined;
  #alertWriter: CoalescedWriter | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #out: Message[] = [];
  #scores = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly config: AnomalyConfig) {}

  /** The live alert manager (also offered as capability "alerts"). */
  get alerts(): AlertManager | undefined {
    return this.#alerts;
  }

  /** The alert state writer (present when `persist` is on). */
  get alertWriter(): CoalescedWriter | undefined {
    return this.#alertWriter;
  }

  start(ctx: TransformContext): Promise<void> {
    this.#ctx = ctx;
    if (this.config.data_quality.tags.length > 0) {
      this.#quality = new DataQualityChecker(this.config.data_quality);
    }
    const alerts = new AlertManager((a) => this.#emitAlert(a), this.config.alerts, ctx.now, {
      onChange: () => this.#alertWriter?.changed(),
    });
    this.#alerts = alerts;
    if (this.config.persist) {
      this.#store = new BaselineStore(ctx.stateDir);
      this.#restoreAlerts(ctx, alerts);
    }
    ctx.provide(ALERTS_CAPABILITY, alerts);
    if (this.#quality) this.#timer = setInterval(() => this.checkQuality(), this.config.check_interval_ms);
    this.#health.set("connected");
    return Promise.resolve();
  }

  process(messages: readonly Message[]): void {
    for (const m of messages) if (m.kind === "features") this.score(m.features);
    this.#flush();
  }

  /** Scores one vector with every detector of its asset (public for evaluation and tests). */
  score(v: FeatureVector): void {
    if (!this.config.assets.some((p) => featureMatches(p, v.asset))) return;
    for (const inst of this.#instancesOf(v.asset)) {
      try {
        const r = inst.detector.update(v.features, v.windowEnd);
        if (r instanceof Promise) {
          // Asynchronous detectors (ONNX): results are published in vector order per detector.
          inst.chain = inst.chain.then(() => r).then(
            (d) => (this.#publish(v, inst, d), this.#flush()),
            (e) => this.#failed(v, inst, e),
          );
        } else this.#publish(v, inst, r);
      } catch (error) {
        this.#failed(v, inst, error);
      }
    }
  }

  #publish(v: FeatureVector, inst: Instance, d: Detection | undefined): void {
    if (inst.detector.ready && !inst.wasReady) this.#learned(v.asset, inst);
    if (!d || this.#ctx?.signal.aborted) return;
    this.#scores++;
    // Latency from the window's last sample (event time) to its score: features, alignment, detector.
    this.#ctx?.metrics.histogram(
      "gateway_anomaly_scoring_seconds",
      "Time from the end of a feature window to its anomaly score",
      [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ).observe(Math.max(0, (this.#ctx.now() - v.windowEnd) / 1000), { asset: v.asset, detector: inst.name });
    const { version, ...rest } = d;
    this.#out.push({
      kind: "score",
      score: {
        asset: v.asset,
        detector: inst.name,
        version: version ?? inst.detector.version,
        ts: v.windowEnd,
        ...rest,
      },
    });
    this.#alerts!.observe({ asset: v.asset, kind: "anomaly", detector: inst.name, ts: v.windowEnd, ...rest });
  }

  #failed(v: FeatureVector, inst: Instance, error: unknown): void {
    this.#health.error(`${v.asset}/${inst.name}: ${errorMessage(error)}`);
    this.#ctx?.logger.error("detector failed", {
      asset: v.asset,
      detector: inst.name,
      error: errorMessage(error),
    });
  }

  /** Runs the data-quality checks now. */
  checkQuality(): void {
    const ctx = this.#ctx;
    if (!ctx || !this.#quality || ctx.signal.aborted) return;
    const now = ctx.now();
    for (const f of this.#quality.check(ctx.tags.list(), now)) {
      // Not yet known either way (just started): a restored alert stays until the check can tell.
      if (f.inconclusive) continue;
      const asset = ctx.tags.get(f.tag)?.meta.asset ?? f.tag;
      this.#alerts!.observe({
        key: `dq/${f.tag}/${f.kind}`,
        asset,
        kind: f.kind,
        detector: f.tag,
        ts: now,
        score: f.score,
        threshold: 1,
        message: f.message,
        contributions: [{ feature: f.tag, value: f.score }],
      }, DQ_POLICY);
    }
    this.#flush();
  }

  /** Resolves once pending baseline loads and saves are done. */
  async settled(): Promise<void> {
    await this.#queue;
    for (const list of this.#instances.values()) await Promise.all(list.flatMap((i) => [i.loaded, i.chain]));
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.settled();
    await this.#alertWriter?.stop();
    if (this.#store) {
      for (const [asset, list] of this.#instances) {
        for (const inst of list) {
          const st = inst.detector.save();
          if (st) await this.#store.save(asset, inst.name, st, this.#ctx!.now()).catch(() => {});
        }
      }
    }
    for (const list of this.#instances.values()) for (const i of list) await i.detector.close?.();
    this.#health.set("stopped");
  }

  health() {
    this.#health.detail("scores", this.#scores);
    this.#health.detail("active_alerts", this.#alerts?.active().length ?? 0);
    const learning: Record<string, number> = {};
    for (const [asset, list] of this.#instances) {
      for (const i of list) if (!i.detector.ready) learning[`${asset}/${i.name}`] = i.detector.progress;
    }
    this.#health.detail("learning", learning);
    return this.#health.snapshot();
  }

  #instancesOf(asset: string): Instance[] {
    let list = this.#instances.get(asset);
    if (list) return list;
    const ctx = this.#ctx!;
    const env = { asset, logger: ctx.logger, now: ctx.now, event: ctx.event };
    list = [];
    for (const cfg of this.config.detectors as readonly DetectorCommon[]) {
      try {
        const detector = createDetector(cfg, env);
        const inst: Instance = {
          name: cfg.name,
          detector,
          loaded: Promise.resolve(),
          wasReady: detector.ready,
          chain: Promise.resolve(),
        };
        inst.loaded = this.#restore(asset, inst);
        list.push(inst);
      } catch (error) {
        this.#health.error(`${asset}/${cfg.name}: ${errorMessage(error)}`);
        ctx.event({
          type: "anomaly.detector_failed",
          level: "error",
          message: `detector ${cfg.name} for ${asset} could not be created: ${errorMessage(error)}`,
        });
      }
    }
    this.#instances.set(asset, list);
    return list;
  }

  /** Restores a persisted baseline before the detector sees its first vector. */
  #restore(asset: string, inst: Instance): Promise<void> {
    const store = this.#store;
    if (!store) return Promise.resolve();
    try {
      const state = store.load(asset, inst.name);
      if (state === undefined) return Promise.resolve();
      inst.detector.load(state);
      inst.wasReady = inst.detector.ready;
      this.#ctx!.event({
        type: "anomaly.baseline_restored",
        level: "info",
        message: `baseline of ${asset}/${inst.name} restored (${inst.detector.version})`,
      });
    } catch (error) {
      this.#ctx!.event({
        type: "anomaly.baseline_discarded",
        level: "warn",
        message: `stored baseline of ${asset}/${inst.name} not used, learning again: ${errorMessage(error)}`,
      });
    }
    return Promise.resolve();
  }

  /**
   * Restores the alert state of the previous run (same ids, acknowledgements, cooldowns) and clears, with a
   * reason, restored alerts whose detector, asset or data-quality tag the configuration no longer has.
   * Their cleared records go out with the next flush (the pipeline routes this transform once started).
   */
  #restoreAlerts(ctx: TransformContext, alerts: AlertManager): void {
    const file = new AlertStateFile(`${ctx.stateDir}/${ALERT_STATE_FILE}`);
    const loaded = file.load(ctx.now());
    if (loaded.discarded) {
      // The event is logged (warn) with the path and the reason, and recorded in history.
      const d = loaded.discarded;
      const where = d.movedTo ? `moved to ${d.movedTo}` : `could not be moved aside: ${d.moveError}`;
      ctx.event({
        type: "anomaly.alert_state_discarded",
        level: "warn",
        message: `alert state ${file.path} not used (${d.reason}); ${where}; starting without stored alerts`,
        data: { path: file.path, reason: d.reason, ...(d.movedTo ? { movedTo: d.movedTo } : {}) },
      });
    }
    this.#alertWriter = new CoalescedWriter(
      () => file.save(alerts.snapshot(), ctx.now()),
      ALERT_STATE_WRITE_INTERVAL_MS,
      (error) => {
        this.#health.error(`saving alert state ${file.path}: ${errorMessage(error)}`);
        ctx.logger.error("saving alert state failed", { path: file.path, error: errorMessage(error) });
      },
    );
    if (!loaded.state) return;
    const active = alerts.restore(loaded.state);
    ctx.event({
      type: "anomaly.alerts_restored",
      level: "info",
      message: `${active} active alert(s) restored from ${file.path} (${loaded.state.alerts.length} shown)`,
    });
    const detectors = new Set(this.config.detectors.map((d) => d.name));
    const now = ctx.now();
    for (const { key, alert } of alerts.activeConditions()) {
      let reason: string | undefined;
      if (key.startsWith("dq/")) {
        if (!alert.detector || !this.#quality?.watches(alert.detector)) {
          reason = `tag ${alert.detector ?? "?"} is no longer watched by data_quality.tags`;
        }
      } else if (alert.kind === "anomaly") {
        if (alert.detector === undefined || !detectors.has(alert.detector)) {
          reason = `detector ${alert.detector ?? "?"} was removed from the configuration`;
        } else if (!this.config.assets.some((p) => featureMatches(p, alert.asset))) {
          reason = `asset ${alert.asset} is no longer scored (assets)`;
        }
      }
      if (reason !== undefined) alerts.resolve(key, now, reason);
    }
  }

  #learned(asset: string, inst: Instance): void {
    inst.wasReady = true;
    this.#ctx?.event({
      type: "anomaly.baseline_learned",
      level: "info",
      message: `baseline of ${asset}/${inst.name} learned (${inst.detector.version})`,
    });
    const st = inst.detector.save();
    const store = this.#store;
    if (st && store) {
      this.#queue = this.#queue.then(() => store.save(asset, inst.name, st, this.#ctx!.now())).catch((e) =>
        this.#health.error(`saving baseline ${asset}/${inst.name}: ${errorMessage(e)}`)
      );
    }
  }

  #emitAlert(a: Alert): void {
    this.#out.push({ kind: "alert", alert: a });
  }

  #flush(): void {
    if (this.#out.length === 0) return;
    const out = this.#out;
    this.#out = [];
    this.#ctx?.emit(out);
  }
}
