/**
 * @module Test doubles for pipeline tests: a recording sink and a config builder.
 */
import "../../../adapters/mod.ts";
import {
  type ComponentContext,
  defineSink,
  HealthTracker,
  type Message,
  MESSAGE_KINDS,
  type MessageKind,
  parseConfig,
  PartialWriteError,
  s,
  type Sink,
} from "../../../core/mod.ts";

/** Behaviour knobs for the recording sink, looked up by sink name. */
export interface RecorderControl {
  messages: Message[];
  delayMs: number;
  /** Errors to throw on the next writes, in order. */
  failures: Error[];
  /** For the next writes: record only the first k messages, then report a partial write of k. */
  partial: number[];
  started: number;
  stopped: number;
}

export const recorders = new Map<string, RecorderControl>();

export function recorder(name: string): RecorderControl {
  let r = recorders.get(name);
  if (!r) {
    r = { messages: [], delayMs: 0, failures: [], partial: [], started: 0, stopped: 0 };
    recorders.set(name, r);
  }
  return r;
}

class RecordingSink implements Sink {
  readonly accepts: ReadonlySet<MessageKind> = new Set(MESSAGE_KINDS);
  readonly #health = new HealthTracker();
  constructor(private readonly control: RecorderControl) {}
  start(_ctx: ComponentContext) {
    this.control.started++;
    this.#health.set("connected");
    return Promise.resolve();
  }
  async write(messages: readonly Message[]) {
    if (this.control.delayMs > 0) await new Promise((r) => setTimeout(r, this.control.delayMs));
    const failure = this.control.failures.shift();
    if (failure) throw failure;
    const k = this.control.partial.shift();
    if (k !== undefined && k < messages.length) {
      this.control.messages.push(...messages.slice(0, k));
      throw new PartialWriteError(`wrote ${k} of ${messages.length}`, k, { cause: "test" });
    }
    this.control.messages.push(...messages);
  }
  stop() {
    this.control.stopped++;
    return Promise.resolve();
  }
  health() {
    return this.#health.snapshot();
  }
}

defineSink({
  type: "recorder",
  description: "Test sink recording every message.",
  schema: s.object({}),
  create: (config) => new RecordingSink(recorder(config.name)),
});

/** Samples (values) recorded for a tag, counting blocks by their length. */
export function valuesFor(messages: readonly Message[], tag: string): number[] {
  const out: number[] = [];
  for (const m of messages) {
    if (m.kind === "samples") { for (const s of m.samples) if (s.tag === tag) out.push(Number(s.value)); }
    if (m.kind === "block" && m.block.tag === tag) out.push(...m.block.values);
  }
  return out;
}

/** A config with one simulator source and the given extra YAML. */
export function config(extra = "", simulator = "") {
  return parseConfig(
    `
gateway: { id: gw-test, site: lab, data_dir: /tmp/gw-test-unused }
log: { level: error }
sources:
  - name: sim
    type: simulator
    tick_ms: 20
    signals:
      - { name: temp, kind: temperature, interval_ms: 10 }
      - { name: vib, kind: vibration, sample_rate_hz: 2000 }
${simulator}
${extra}
`,
    { env: () => undefined },
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
