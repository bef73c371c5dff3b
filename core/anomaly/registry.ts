/**
 * @module Detector types by name. Core registers robust_z, ewma and pca_t2q; adapters add more (onnx).
 */
import type { Logger } from "../log/logger.ts";
import type { GatewayEvent } from "../model/records.ts";
import { type InferShape, type ObjectSchema, s, type Schema, type Shape } from "../schema/mod.ts";
import type { Detector } from "./detector.ts";

/** What a detector may use from its transform. */
export interface DetectorEnv {
  /** Asset the detector instance scores. */
  readonly asset: string;
  readonly logger: Logger;
  now(): number;
  event(event: Omit<GatewayEvent, "ts" | "component"> & { ts?: number }): void;
}

/** Keys every detector config has. */
export interface DetectorCommon {
  readonly name: string;
  readonly type: string;
}

interface DetectorFactory {
  readonly type: string;
  readonly description: string;
  readonly schema: ObjectSchema<Shape>;
  create(config: DetectorCommon, env: DetectorEnv): Detector;
}

const factories = new Map<string, DetectorFactory>();

const commonShape = {
  name: s.id().describe("Name of this detector; stamped on every score as `detector`."),
};

/** Registers a detector type. */
export function defineDetector<S extends Shape>(f: {
  type: string;
  description: string;
  schema: ObjectSchema<S>;
  create(config: InferShape<S> & DetectorCommon, env: DetectorEnv): Detector;
}): void {
  if (factories.has(f.type)) throw new TypeError(`detector type "${f.type}" is registered twice`);
  factories.set(f.type, f as unknown as DetectorFactory);
}

/** Schemas of every registered detector type (common keys added), for tagged validation. */
export function detectorSchemas(): ReadonlyMap<string, Schema<unknown>> {
  const out = new Map<string, Schema<unknown>>();
  for (const f of [...factories.values()].sort((a, b) => a.type.localeCompare(b.type))) {
    out.set(f.type, f.schema.extend({ ...commonShape, type: s.enum([f.type]).describe(f.description) }));
  }
  return out;
}

/** Creates a detector from a validated config. */
export function createDetector(config: DetectorCommon, env: DetectorEnv): Detector {
  const f = factories.get(config.type);
  if (!f) {
    throw new TypeError(
      `no detector type "${config.type}" is registered (known: ${[...factories.keys()].join(", ")})`,
    );
  }
  return f.create(config, env);
}
