/**
 * @module Config keys every adapter's tag definition shares: the operator context kept with each tag.
 */
import { type InferShape, s } from "../schema/mod.ts";
import type { DataType, TagMeta } from "./tag.ts";

/** Shared tag keys; adapters spread these into their per-tag schemas. */
export const tagMetaShape = {
  id: s.string({ minLength: 1, maxLength: 200 }).opt().describe(
    "Tag id; defaults to <source name>.<tag name>.",
  ),
  unit: s.string().opt().describe("Engineering unit, e.g. degC, bar, mm/s, g."),
  description: s.string().opt().describe("What the tag measures."),
  range: s.refine(
    s.object({ low: s.number(), high: s.number() }),
    (v, path, ctx) => {
      if (v.low >= v.high) ctx.fail(`${path}.high`, `must be greater than low (${v.low})`);
    },
  ).opt().describe("Normal operating range in engineering units."),
  calibration_date: s.string({
    pattern: /^\d{4}-\d{2}-\d{2}$/,
    patternName: "a date YYYY-MM-DD",
  }).opt().describe("Date of the last calibration."),
  notes: s.string().opt().describe("Free text: what the operators know about this sensor."),
  asset: s.id().opt().describe("Asset this tag belongs to."),
  buffer_capacity: s.int({ min: 16, max: 50_000_000 }).opt().describe("Ring buffer size for this tag."),
};

export type TagMetaConfig = InferShape<typeof tagMetaShape>;

/** Builds tag metadata from the shared keys of a tag config. */
export function tagMetaFrom(
  source: string,
  name: string,
  config: Partial<TagMetaConfig>,
  extra: { dataType: DataType } & Partial<Omit<TagMeta, "id" | "source">>,
): TagMeta {
  const meta: Record<string, unknown> = { ...extra, id: config.id ?? `${source}.${name}`, source };
  if (config.unit !== undefined) meta.unit = config.unit;
  if (config.description !== undefined) meta.description = config.description;
  if (config.range !== undefined) meta.range = { ...config.range };
  if (config.calibration_date !== undefined) meta.calibrationDate = config.calibration_date;
  if (config.notes !== undefined) meta.notes = config.notes;
  if (config.asset !== undefined) meta.asset = config.asset;
  if (config.buffer_capacity !== undefined) meta.bufferCapacity = config.buffer_capacity;
  return meta as unknown as TagMeta;
}
