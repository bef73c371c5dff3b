/**
 * @module Starting and stopping one component with its context.
 */
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import type { Message } from "../model/message.ts";
import type { GatewayEvent } from "../model/records.ts";
import type { ComponentContext, GatewayIdentity } from "../plugin/context.ts";
import type { ComponentHealth } from "../plugin/health.ts";
import { type CommonConfig, createComponent, type SinkConfig } from "../plugin/registry.ts";
import type { Sink } from "../plugin/sink.ts";
import type { Source, SourceContext } from "../plugin/source.ts";
import type { Transform, TransformContext } from "../plugin/transform.ts";
import type { TagStore } from "../ring/tag_store.ts";
import type { Capabilities } from "../plugin/capabilities.ts";
import { stableJson } from "../util/stable_json.ts";
import { SinkRunner } from "./sink_runner.ts";
import { type JournalOptions, SinkJournal } from "./journal.ts";
import { errorMessage } from "../errors.ts";

/** A component as configured. */
export type Component =
  | { readonly kind: "source"; readonly config: CommonConfig }
  | { readonly kind: "transform"; readonly config: CommonConfig & { inputs: readonly string[] } }
  | { readonly kind: "sink"; readonly config: SinkConfig };

/** A started component. */
export interface Running {
  readonly kind: Component["kind"];
  readonly name: string;
  /** Configuration identity without routing keys: a change here means restart. */
  readonly key: string;
  config: CommonConfig & { inputs?: readonly string[]; queue?: SinkConfig["queue"] };
  readonly target: Source | Transform | SinkRunner;
  readonly abort: AbortController;
  health(): ComponentHealth;
}

/** Shared services handed to each component. */
export interface StartDeps {
  readonly gateway: GatewayIdentity;
  readonly dataDir: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tags: TagStore;
  readonly clock: () => number;
  readonly capabilities: Capabilities;
  event(e: Omit<GatewayEvent, "ts" | "component"> & { ts?: number; component?: string }): void;
  dispatch(producer: string, fromTransform: boolean, messages: readonly Message[]): void;
}

/** Identity of a component's configuration, ignoring `inputs` and `queue` (those change without restart). */
export function componentKey(config: CommonConfig): string {
  const { inputs: _inputs, queue: _queue, ...rest } = config as CommonConfig & {
    inputs?: unknown;
    queue?: unknown;
  };
  return stableJson(rest);
}

/** Creates the component, gives it its context and starts it. */
export async function startComponent(c: Component, deps: StartDeps): Promise<Running> {
  const name = c.config.name;
  const abort = new AbortController();
  const logger = deps.logger.child({ component: name });
  const base: ComponentContext = {
    name,
    gateway: deps.gateway,
    logger,
    metrics: deps.metrics,
    tags: deps.tags,
    signal: abort.signal,
    stateDir: `${deps.dataDir}/state/${name}`,
    event: (e) => deps.event({ ...e, component: name }),
    now: deps.clock,
    provide: (capability, impl) => deps.capabilities.provide(capability, impl, name),
    lookup: (capability) => deps.capabilities.lookup(capability),
  };
  const key = componentKey(c.config);
  if (c.kind === "source") {
    const source = createComponent<Source>("source", c.config);
    const samplesIn = deps.metrics.counter("gateway_samples_in_total", "Samples received from sources");
    const ctx: SourceContext = {
      ...base,
      emit: (samples) => {
        if (abort.signal.aborted || samples.length === 0) return;
        for (const s of samples) deps.tags.append(s, name);
        samplesIn.inc({ source: name }, samples.length);
        deps.dispatch(name, false, [{ kind: "samples", samples }]);
      },
      emitBlock: (block) => {
        if (abort.signal.aborted) return;
        deps.tags.appendBlock(block, name);
        samplesIn.inc({ source: name }, block.values.length);
        deps.dispatch(name, false, [{ kind: "block", block }]);
      },
      defineTags: (tags) => {
        for (const t of tags) deps.tags.define(t);
      },
    };
    await source.start(ctx);
    return {
      kind: "source",
      name,
      key,
      config: c.config,
      target: source,
      abort,
      health: () => source.health(),
    };
  }
  if (c.kind === "transform") {
    const transform = createComponent<Transform>("transform", c.config);
    const ctx: TransformContext = {
      ...base,
      emit: (messages) => {
        if (!abort.signal.aborted && messages.length > 0) deps.dispatch(name, true, messages);
      },
    };
    await transform.start(ctx);
    return {
      kind: "transform",
      name,
      key,
      config: c.config,
      target: transform,
      abort,
      health: () => transform.health(),
    };
  }
  const sink = createComponent<Sink>("sink", c.config);
  await sink.start(base);
  let journal: SinkJournal | undefined;
  if (c.config.queue.journal) {
    try {
      journal = await SinkJournal.open(
        `${base.stateDir}/journal`,
        journalOptions(name, c.config.queue, deps),
      );
    } catch (error) {
      // Never block acquisition on it: run without the journal and say so.
      deps.event({
        type: "sink.journal_unavailable",
        component: name,
        level: "error",
        message: `sink ${name} runs without its journal: ${errorMessage(error)}`,
      });
    }
  }
  const runner = new SinkRunner(name, sink, c.config.queue, logger, deps.metrics, journal);
  runner.start();
  return { kind: "sink", name, key, config: c.config, target: runner, abort, health: () => runner.health() };
}

/** The journal's fsync policy from `queue`, its syncs observed as metrics and its sync failures logged. */
function journalOptions(name: string, queue: SinkConfig["queue"], deps: StartDeps): JournalOptions {
  const seconds = deps.metrics.histogram(
    "gateway_sink_journal_fsync_seconds",
    "Duration of one fsync of a sink's journal, by reason (append: the journal_fsync policy; compact; close)",
    [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  );
  const failures = deps.metrics.counter(
    "gateway_sink_journal_fsync_errors_total",
    "Failed fsyncs of a sink's journal (those appends may not survive a power loss)",
  );
  let loggedAt = -Infinity;
  let unlogged = 0;
  return {
    fsync: { fsync: queue.journal_fsync, intervalMs: queue.journal_fsync_ms },
    onSync: (s, reason) => seconds.observe(s, { sink: name, reason }),
    onSyncError: (error, reason) => {
      failures.inc({ sink: name, reason });
      // Logged (at most once a minute: a failing disk fails every burst), not raised as an event: events are
      // journaled themselves, and would fail again.
      if (Date.now() - loggedAt < 60_000) {
        unlogged++;
        return;
      }
      loggedAt = Date.now();
      deps.logger.error("sink journal fsync failed; a power loss may lose journaled messages", {
        sink: name,
        reason,
        error: errorMessage(error),
        failures_not_logged: unlogged,
      });
      unlogged = 0;
    },
  };
}

/** Stops a running component (sinks drain their queue first). */
export async function stopComponent(r: Running): Promise<void> {
  if (r.kind === "source") {
    // Sources: nothing emitted after stop() begins is accepted.
    r.abort.abort();
    await (r.target as Source).stop();
    return;
  }
  // Transforms may flush on stop and sinks drain their queue: abort only afterwards.
  try {
    if (r.kind === "sink") await (r.target as SinkRunner).stop();
    else await (r.target as Transform).stop();
  } finally {
    r.abort.abort();
  }
}
