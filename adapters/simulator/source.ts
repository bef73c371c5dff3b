/**
 * @module The simulator source: emits every configured signal in real time, sample-exact and seeded.
 */
import {
  HealthTracker,
  Quality,
  type Sample,
  type Source,
  type SourceContext,
  Status,
  tagMetaFrom,
} from "../../core/mod.ts";
import { FaultApplier } from "./faults.ts";
import {
  analogModel,
  booleanModel,
  counterModel,
  type Model,
  stateModel,
  vibrationModel,
} from "./physics.ts";
import { streamOf } from "./prng.ts";
import type { SignalConfig, SimulatorConfig } from "./schema.ts";

interface Channel {
  readonly sig: SignalConfig;
  readonly tag: string;
  readonly periodMs: number;
  readonly model: Model;
  readonly faults: FaultApplier;
  /** Index of the next sample to generate. */
  next: number;
}

/** Generates the simulated plant. */
export class SimulatorSource implements Source {
  readonly #health = new HealthTracker();
  #timer: ReturnType<typeof setInterval> | undefined;
  #channels: Channel[] = [];
  #t0 = 0;
  #skipped = 0;
  #ctx: SourceContext | undefined;

  constructor(private readonly config: SimulatorConfig & { name: string }) {}

  start(ctx: SourceContext): Promise<void> {
    this.#ctx = ctx;
    const { seed, signals, faults } = this.config;
    this.#channels = signals.map((sig) => {
      const stream = streamOf(sig.name);
      const periodMs = sig.kind === "vibration" ? 1000 / sig.sample_rate_hz : sig.interval_ms;
      const model = sig.kind === "vibration"
        ? vibrationModel(sig, seed, stream)
        : sig.kind === "counter"
        ? counterModel(sig, seed, stream)
        : sig.kind === "boolean"
        ? booleanModel(sig)
        : sig.kind === "state"
        ? stateModel(sig)
        : analogModel(sig, seed, stream);
      const tag = sig.id ?? `${this.config.name}.${sig.name}`;
      return {
        sig,
        tag,
        periodMs,
        model,
        faults: new FaultApplier(faults.filter((f) => f.signal === sig.name), seed, stream),
        next: 0,
      };
    });
    ctx.defineTags(this.#channels.map((c) => {
      const dataType = c.sig.kind === "boolean"
        ? "bool"
        : c.sig.kind === "counter" || c.sig.kind === "state"
        ? "int"
        : "float";
      const extra = c.sig.kind === "vibration"
        ? { dataType, sampleRateHz: c.sig.sample_rate_hz, unit: c.sig.unit ?? "g" } as const
        : { dataType } as const;
      const meta = tagMetaFrom(this.config.name, c.sig.name, c.sig, extra);
      // A vibration channel needs room for at least two of the longest FFT windows by default.
      return c.sig.kind === "vibration" && meta.bufferCapacity === undefined
        ? { ...meta, bufferCapacity: Math.max(131_072, Math.ceil(c.sig.sample_rate_hz * 4)) }
        : meta;
    }));
    this.#t0 = ctx.now();
    this.#health.set("connected");
    this.#timer = setInterval(() => this.#tick(), this.config.tick_ms);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#health.set("stopped");
    return Promise.resolve();
  }

  health() {
    this.#health.detail("skipped_samples", this.#skipped);
    this.#health.detail("signals", this.#channels.length);
    return this.#health.snapshot();
  }

  /** Generates everything due up to now (public for deterministic tests driving time by hand). */
  tick(): void {
    this.#tick();
  }

  #tick(): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.signal.aborted) return;
    const now = ctx.now();
    const recv = now;
    const samples: Sample[] = [];
    for (const c of this.#channels) {
      const due = Math.floor((now - this.#t0) / c.periodMs) + 1;
      const maxBacklog = Math.ceil((this.config.max_catch_up_s * 1000) / c.periodMs);
      if (due - c.next > maxBacklog) {
        this.#skipped += due - maxBacklog - c.next;
        c.next = due - maxBacklog;
      }
      if (due <= c.next) continue;
      if (c.sig.kind === "vibration") this.#emitVibration(ctx, c, due, recv);
      else this.#collect(c, due, recv, samples);
    }
    ctx.emit(samples);
  }

  #emitVibration(ctx: SourceContext, c: Channel, due: number, recv: number): void {
    // Blocks are split wherever a fault changes dropout/quality, so each block has one quality.
    let values: number[] = [];
    let blockStart = c.next;
    let blockBad = false;
    const flush = () => {
      if (values.length === 0) return;
      ctx.emitBlock({
        tag: c.tag,
        t0: this.#t0 + blockStart * c.periodMs,
        dt: c.periodMs,
        values: Float64Array.from(values),
        recv,
        quality: blockBad ? Quality.Bad : Quality.Good,
        status: blockBad ? Status.BadDeviceFailure : Status.Good,
      });
      values = [];
    };
    const period = c.periodMs / 1000;
    for (let k = c.next; k < due; k++) {
      const t = k * period;
      const e = c.faults.apply(c.model(k, t), k, t, period);
      if (e.drop || e.bad !== blockBad) {
        flush();
        blockStart = e.drop ? k + 1 : k;
        blockBad = e.bad;
        if (e.drop) continue;
      }
      values.push(e.value);
    }
    flush();
    c.next = due;
  }

  #collect(c: Channel, due: number, recv: number, out: Sample[]): void {
    const period = c.periodMs / 1000;
    for (let k = c.next; k < due; k++) {
      const t = k * period;
      const e = c.faults.apply(c.model(k, t), k, t, period);
      if (e.drop) continue;
      const value = c.sig.kind === "boolean" ? e.value >= 0.5 : e.value;
      out.push({
        tag: c.tag,
        value,
        ts: this.#t0 + k * c.periodMs,
        recv,
        quality: e.bad ? Quality.Bad : Quality.Good,
        status: e.bad ? Status.BadDeviceFailure : Status.Good,
        ...(e.bad ? { reason: "simulated bad quality" } : {}),
      });
    }
    c.next = due;
  }
}
