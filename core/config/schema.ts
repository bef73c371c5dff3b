/**
 * @module The gateway configuration schema, assembled from core keys and everything registered.
 */
import { type Infer, type ObjectSchema, s, type Shape } from "../schema/mod.ts";
import {
  type CommonConfig,
  componentSchemas,
  type RoutedConfig,
  type SinkConfig,
} from "../plugin/registry.ts";
import { LOG_LEVELS } from "../log/logger.ts";
import { registeredSections } from "./sections.ts";

export const gatewaySchema = s.object({
  id: s.id().describe("Gateway id, unique in the plant; used in MQTT topics and message ids."),
  site: s.id().describe("Site (plant) this gateway belongs to."),
  line: s.id().opt().describe("Production line, for API scopes."),
  data_dir: s.string({ minLength: 1 }).default("./data").describe(
    "Directory for durable state: history, outbox, PKI, baselines. Relative to the working directory.",
  ),
});

export const logSchema = s.object({
  level: s.enum(LOG_LEVELS).default("info").describe("Minimum level written."),
  format: s.enum(["logfmt", "json"]).default("logfmt").describe("Line format on stderr."),
});

export const bufferSchema = s.object({
  default_capacity: s.int({ min: 16, max: 50_000_000 }).default(4096).describe(
    "Ring buffer samples per tag unless the tag sets its own buffer_capacity.",
  ),
});

export const assetSchema = s.object({
  id: s.id().describe("Asset id (a pump, a press)."),
  description: s.string().opt(),
  line: s.id().opt().describe("Line the asset is on (for API scopes); defaults to gateway.line."),
  tags: s.array(s.string({ minLength: 1 })).default([]).describe("Tag ids that belong to this asset."),
});

const coreShape = {
  gateway: gatewaySchema,
  log: logSchema.default({ level: "info", format: "logfmt" }),
  buffer: bufferSchema.default({ default_capacity: 4096 }),
  sources: s.array(s.tagged<CommonConfig>("type", () => componentSchemas("source"))).default([]).describe(
    "Where samples come from.",
  ),
  transforms: s.array(s.tagged<RoutedConfig>("type", () => componentSchemas("transform"))).default([])
    .describe(
      "Processing stages: features, anomaly scoring, rollups.",
    ),
  sinks: s.array(s.tagged<SinkConfig>("type", () => componentSchemas("sink"))).default([]).describe(
    "Where messages go: history, uplink, console.",
  ),
  assets: s.array(assetSchema).default([]).describe("Machines grouping tags."),
};

/** The validated configuration. Sections contributed by subsystems are under `sections`. */
export type GatewayConfig = Infer<ObjectSchema<typeof coreShape>> & { readonly [section: string]: unknown };

/** The full schema with every registered section (call after adapters registered themselves). */
export function configSchema(): ObjectSchema<Shape> {
  const shape: Record<string, ObjectSchema<Shape>> = {};
  for (const [name, schema] of registeredSections()) {
    shape[name] = schema.default(defaultsOf(schema, name));
  }
  return s.object({ ...coreShape, ...shape } as Shape);
}

function defaultsOf(schema: ObjectSchema<Shape>, name: string): never {
  const r = schema.parse({});
  if (!r.ok) throw new TypeError(`config section "${name}" must default every key: ${r.issues[0]?.path}`);
  return r.value as never;
}
