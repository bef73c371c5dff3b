/**
 * @module Validation of an export request: which kind, which filters apply to it, defaults applied.
 */
import {
  EXPORT_KINDS,
  type ExportKind,
  type ExportRequest,
  FEATURE_LAYOUTS,
  type FeatureLayout,
  ROLLUP_INTERVALS,
  type RollupInterval,
} from "../../core/mod.ts";
import { checkRange, checkTags } from "./validate.ts";

/** Kinds whose rows belong to a tag (the `tags` filter applies); the others belong to an asset. */
const TAG_KINDS: readonly ExportKind[] = ["samples", "rollups", "events"];

/** A validated export request with defaults applied. */
export interface CheckedExport {
  readonly kind: ExportKind;
  readonly from: number;
  readonly to: number;
  readonly interval: RollupInterval;
  readonly layout: FeatureLayout;
  readonly tags: string[] | undefined;
  readonly assets: string[] | undefined;
  readonly visible: { readonly tags: string[]; readonly assets: string[] } | undefined;
  readonly format: "parquet" | "csv";
}

function oneOf<T extends string>(name: string, allowed: readonly T[], value: unknown): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function nonEmpty(name: string, list: readonly string[] | undefined, what: string): string[] | undefined {
  if (list === undefined) return undefined;
  const out = checkTags(list, name);
  if (out.length === 0) throw new RangeError(`${name}, when given, must name at least one ${what}`);
  return out;
}

/** Checks an export request; RangeError names the field and, for enumerations, the allowed values. */
export function checkExport(request: ExportRequest): CheckedExport {
  if (typeof request !== "object" || request === null) {
    throw new TypeError("export request must be an object");
  }
  const { from, to } = checkRange(request.from, request.to);
  const kind = oneOf("kind", EXPORT_KINDS, request.kind ?? "samples");
  if (request.interval !== undefined && kind !== "rollups") {
    throw new RangeError(`interval applies only to kind "rollups", not "${kind}"`);
  }
  const interval = oneOf("interval", ROLLUP_INTERVALS, request.interval ?? "1m");
  if (request.layout !== undefined && kind !== "features") {
    throw new RangeError(`layout applies only to kind "features", not "${kind}"`);
  }
  const layout = oneOf("layout", FEATURE_LAYOUTS, request.layout ?? "columns");
  const tags = nonEmpty("tags", request.tags, "tag");
  if (tags !== undefined && !TAG_KINDS.includes(kind)) {
    throw new RangeError(`tags do not apply to kind "${kind}" (its rows belong to assets): filter by assets`);
  }
  const assets = nonEmpty("assets", request.assets, "asset");
  let visible: CheckedExport["visible"];
  if (request.visible !== undefined) {
    if (typeof request.visible !== "object" || request.visible === null) {
      throw new TypeError("visible must be an object with tags and assets");
    }
    visible = {
      tags: checkTags(request.visible.tags, "visible.tags"),
      assets: checkTags(request.visible.assets, "visible.assets"),
    };
  }
  if (request.format !== "parquet" && request.format !== "csv") {
    throw new RangeError(`format must be "parquet" or "csv", got ${JSON.stringify(request.format)}`);
  }
  return { kind, from, to, interval, layout, tags, assets, visible, format: request.format };
}
