/**
 * @module Where adapters register themselves; the config schema is assembled from what is registered.
 */
import { type InferShape, type ObjectSchema, s, type Shape } from "../schema/mod.ts";
import type { Source } from "./source.ts";
import type { Sink } from "./sink.ts";
import type { Transform } from "./transform.ts";
import { JOURNAL_FSYNC_POLICIES, type JournalFsync } from "../pipeline/journal_fsync.ts";

/** Keys every component has. */
export interface CommonConfig {
  readonly name: string;
  readonly type: string;
  readonly enabled: boolean;
}

/** Keys sinks and transforms have in addition: where their messages come from. */
export interface RoutedConfig extends CommonConfig {
  /** Names of sources/transforms feeding this component; `*` means every source. */
  readonly inputs: readonly string[];
}

/** Keys sinks have in addition: their bounded queue. */
export interface SinkConfig extends RoutedConfig {
  readonly queue: {
    readonly max_values: number;
    readonly max_batch: number;
    readonly journal: boolean;
    readonly journal_fsync: JournalFsync;
    readonly journal_fsync_ms: number;
  };
}

export type ComponentKind = "source" | "transform" | "sink";

/** A registered adapter type. */
export interface Factory<K extends ComponentKind, C, T> {
  readonly kind: K;
  readonly type: string;
  readonly description: string;
  /** Adapter-specific keys; the common keys are added by the core. */
  readonly schema: ObjectSchema<Shape>;
  create(config: C): T;
}

type AnyFactory = Factory<ComponentKind, never, unknown>;
const factories: Record<ComponentKind, Map<string, AnyFactory>> = {
  source: new Map(),
  transform: new Map(),
  sink: new Map(),
};

const commonShape = {
  name: s.id().describe("Unique name of this component; tag ids of a source are prefixed with it."),
  type: s.string().describe("Adapter type."),
  enabled: s.boolean().default(true).describe("Set false to keep the block in the file without running it."),
};
const routedShape = {
  ...commonShape,
  inputs: s.array(s.string({ minLength: 1 })).default(["*"]).describe(
    'Components feeding this one: source or transform names, or "*" for every source.',
  ),
};
const sinkShape = {
  ...routedShape,
  queue: s.object({
    max_values: s.int({ min: 1 }).default(500_000).describe(
      "Bound on values waiting for this sink; beyond it the oldest raw samples are dropped and counted.",
    ),
    max_batch: s.int({ min: 1 }).default(1000).describe("Messages handed to the sink per write."),
    journal: s.boolean().default(false).describe(
      "Journal features, alerts and events on disk (<data_dir>/state/<sink>/journal) before queueing them, " +
        "so a crash (kill -9) cannot lose them; they are written again after the restart. On for history sinks.",
    ),
    journal_fsync: s.enum(JOURNAL_FSYNC_POLICIES).default("interval").describe(
      "When the journal reaches the disk, for power loss (kill -9 never loses an append). " +
        "always: one fdatasync per burst of appends (everything offered in one event-loop task), done before " +
        "any other task runs; interval: at most every journal_fsync_ms and at stop, never blocking producers " +
        "(a power loss loses at most the last journal_fsync_ms); never: left to the OS. " +
        "Compaction syncs its rewrite whatever the policy.",
    ),
    journal_fsync_ms: s.int({ min: 1, max: 3_600_000 }).default(1000).describe(
      "fsync period of the journal when journal_fsync is interval.",
    ),
  }).default({
    max_values: 500_000,
    max_batch: 1000,
    journal: false,
    journal_fsync: "interval",
    journal_fsync_ms: 1000,
  }).describe("The sink's bounded queue."),
};

function register<K extends ComponentKind>(kind: K, factory: AnyFactory): void {
  const map = factories[kind];
  if (map.has(factory.type)) throw new TypeError(`${kind} type "${factory.type}" is registered twice`);
  map.set(factory.type, factory);
}

/** Registers a source type. */
export function defineSource<S extends Shape>(f: {
  type: string;
  description: string;
  schema: ObjectSchema<S>;
  create(config: InferShape<S> & CommonConfig): Source;
}): void {
  register("source", { kind: "source", ...f } as unknown as AnyFactory);
}

/** Registers a transform type. */
export function defineTransform<S extends Shape>(f: {
  type: string;
  description: string;
  schema: ObjectSchema<S>;
  create(config: InferShape<S> & RoutedConfig): Transform;
}): void {
  register("transform", { kind: "transform", ...f } as unknown as AnyFactory);
}

/** Registers a sink type. */
export function defineSink<S extends Shape>(f: {
  type: string;
  description: string;
  schema: ObjectSchema<S>;
  create(config: InferShape<S> & SinkConfig): Sink;
}): void {
  register("sink", { kind: "sink", ...f } as unknown as AnyFactory);
}

/** A registered factory, or undefined. */
export function factoryOf(kind: ComponentKind, type: string): AnyFactory | undefined {
  return factories[kind].get(type);
}

/** All registered types of a kind, sorted by name. */
export function registeredTypes(kind: ComponentKind): AnyFactory[] {
  return [...factories[kind].values()].sort((a, b) => a.type.localeCompare(b.type));
}

/** Full schemas (common keys + adapter keys) of every type of a kind, keyed by type, for tagged validation. */
export function componentSchemas(kind: ComponentKind): ReadonlyMap<string, ObjectSchema<Shape>> {
  const base = kind === "source" ? commonShape : kind === "transform" ? routedShape : sinkShape;
  const out = new Map<string, ObjectSchema<Shape>>();
  for (const f of registeredTypes(kind)) {
    // Common keys first (name, type, ...) so generated docs and the sample read naturally; `type` keeps its
    // place from `base` but is narrowed to this adapter's name.
    const full = s.object(
      { ...base, ...f.schema.shape, type: s.enum([f.type]).describe(f.description) } as Shape,
    );
    full.checks = f.schema.checks;
    full.description = f.schema.description;
    out.set(f.type, full);
  }
  return out;
}

/** Instantiates a validated component config. */
export function createComponent<T>(kind: ComponentKind, config: CommonConfig): T {
  const f = factoryOf(kind, config.type);
  if (!f) throw new TypeError(`no ${kind} type "${config.type}" is registered`);
  return (f.create as (c: unknown) => T)(config);
}
