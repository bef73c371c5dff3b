/**
 * @module A SourceContext that records what a source emits, for the hostile-input tests.
 */
import {
  type GatewayEvent,
  Metrics,
  type Sample,
  silentLogger,
  type SourceContext,
  type TagMeta,
} from "../../core/mod.ts";

/** Recorded output of a source. */
export interface RecordingContext extends SourceContext {
  readonly samples: Sample[];
  readonly events: GatewayEvent[];
  readonly defined: TagMeta[];
  /** Waits until `pred` holds for the samples recorded from index `from` on. */
  waitFor(
    pred: (fresh: readonly Sample[]) => boolean,
    what: string,
    ms?: number,
    from?: number,
  ): Promise<void>;
}

/** A context for a source named `name`. */
export function recordingContext(name: string, stateDir = "/nonexistent"): RecordingContext {
  const abort = new AbortController();
  const samples: Sample[] = [];
  const events: GatewayEvent[] = [];
  const defined: TagMeta[] = [];
  return {
    name,
    gateway: { id: "gw", site: "site", version: "test" },
    logger: silentLogger,
    metrics: new Metrics(),
    tags: { get: () => undefined, list: () => [], size: 0 } as unknown as SourceContext["tags"],
    signal: abort.signal,
    stateDir,
    event: (e) => events.push({ ...e, ts: e.ts ?? Date.now(), component: name }),
    now: () => Date.now(),
    provide: () => {},
    lookup: () => undefined,
    emit: (s) => samples.push(...s),
    emitBlock: () => {},
    defineTags: (t) => defined.push(...t),
    samples,
    events,
    defined,
    async waitFor(pred, what, ms = 5000, from = 0) {
      const until = Date.now() + ms;
      while (!pred(samples.slice(from))) {
        if (Date.now() > until) {
          const tail = samples.slice(-3).map((s) => `${s.tag}=${s.value} q${s.quality} ${s.reason ?? ""}`);
          throw new Error(`${what}: not seen within ${ms} ms (last: ${tail.join("; ")})`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
