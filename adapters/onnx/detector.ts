/**
 * @module The `onnx` detector: normalises the manifest's features, runs the model, stamps the model id on
 * every score, and hot-swaps the model when its files change; a corrupt or mismatched model is rejected
 * with an event and the previous model keeps scoring.
 */
import { errorMessage } from "../../core/mod.ts";
import {
  type Contribution,
  type Detection,
  type Detector,
  type DetectorEnv,
  type DetectorState,
  topContributions,
} from "../../core/anomaly/mod.ts";
import { type LoadedModel, loadModel, runModel, stampOf } from "./model.ts";

/** Options of the ONNX detector. */
export interface OnnxOptions {
  readonly name: string;
  readonly manifest: string;
  readonly threshold?: number;
  readonly reload_interval_s: number;
  readonly top: number;
}

/** Scores feature vectors with an ONNX model. */
export class OnnxDetector implements Detector {
  readonly type = "onnx";
  #model: LoadedModel | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #checking = false;
  #initialDone = false;
  readonly #retiring = new Map<ReturnType<typeof setTimeout>, LoadedModel>();
  #closed = false;
  /** Vectors not scored: model missing or a feature absent. */
  skipped = 0;
  readonly ready_: Promise<void>;

  constructor(private readonly options: OnnxOptions, private readonly env: DetectorEnv) {
    this.ready_ = this.reload().finally(() => (this.#initialDone = true));
    if (options.reload_interval_s > 0) {
      this.#timer = setInterval(() => void this.#poll(), options.reload_interval_s * 1000);
    }
  }

  get ready(): boolean {
    return this.#model !== undefined;
  }
  get progress(): number {
    return this.ready ? 1 : 0;
  }
  get version(): string {
    return this.#model ? `onnx:${this.#model.id}` : "onnx:none";
  }
  /** The manifest of the model scoring now. */
  get model(): LoadedModel | undefined {
    return this.#model;
  }

  update(features: Readonly<Record<string, number>>): Promise<Detection | undefined> | undefined {
    const m = this.#model;
    if (!m) {
      // While the first model is still loading, vectors wait for it instead of going unscored.
      if (!this.#initialDone) return this.ready_.then(() => this.update(features));
      this.skipped++;
      return undefined;
    }
    const { features: names, normalisation } = m.manifest;
    const z = new Float32Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const v = features[names[i]!];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        this.skipped++;
        return undefined;
      }
      z[i] = (v - normalisation.mean[i]!) / normalisation.std[i]!;
    }
    const threshold = this.options.threshold ?? m.manifest.threshold;
    return runModel(m, z).then((score) => {
      const contributions: Contribution[] = topContributions(names, z, this.options.top);
      return { score, threshold, anomalous: score >= threshold, contributions, version: `onnx:${m.id}` };
    });
  }

  /** Loads the model now; on failure the previous model (if any) keeps scoring. Resolves either way. */
  async reload(): Promise<void> {
    try {
      const next = await loadModel(this.options.manifest);
      if (this.#closed) {
        await next.session.release();
        return;
      }
      const prev = this.#model;
      this.#model = next;
      this.env.event({
        type: "onnx.model_loaded",
        level: "info",
        message: `${this.env.asset}/${this.options.name}: model ${next.id} loaded${
          prev ? ` (replaces ${prev.id})` : ""
        }`,
      });
      // Runs already started on the previous session finish first: release it after a grace delay.
      if (prev) {
        const timer = setTimeout(() => {
          this.#retiring.delete(timer);
          void prev.session.release().catch(() => {});
        }, 1000);
        this.#retiring.set(timer, prev);
      }
    } catch (error) {
      this.env.event({
        type: "onnx.model_rejected",
        level: "error",
        message: `${this.env.asset}/${this.options.name}: ${errorMessage(error)}${
          this.#model ? `; model ${this.#model.id} keeps scoring` : "; no model is scoring"
        }`,
      });
    }
  }

  async #poll(): Promise<void> {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    try {
      const stamp = await stampOf(this.options.manifest).catch(() => "missing");
      if (stamp !== this.#model?.stamp && stamp !== this.#lastRejected) {
        await this.reload();
        if (this.#model?.stamp !== stamp) this.#lastRejected = stamp;
      }
    } finally {
      this.#checking = false;
    }
  }
  #lastRejected = "";

  save(): DetectorState | undefined {
    return undefined;
  }

  load(_state: DetectorState): void {
    throw new TypeError("the onnx detector has no learned baseline to restore");
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.ready_;
    for (const [timer, m] of this.#retiring) {
      clearTimeout(timer);
      await m.session.release().catch(() => {});
    }
    this.#retiring.clear();
    await this.#model?.session.release().catch(() => {});
    this.#model = undefined;
  }
}
