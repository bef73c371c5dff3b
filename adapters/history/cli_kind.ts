/**
 * @module `gateway export` options that choose what to export: `--kind`, `--interval`, `--layout`, `--assets`,
 * checked with messages naming the option and its allowed values.
 */
import {
  EXPORT_KINDS,
  type ExportKind,
  FEATURE_LAYOUTS,
  type FeatureLayout,
  ROLLUP_INTERVALS,
  type RollupInterval,
} from "../../core/mod.ts";

/** What to export, as the store and the HTTP API take it. */
export interface KindOptions {
  readonly kind: ExportKind;
  readonly interval?: RollupInterval;
  readonly layout?: FeatureLayout;
  readonly assets?: string[];
}

/** Kinds whose rows belong to a tag (`--tags` applies). */
const TAG_KINDS: readonly ExportKind[] = ["samples", "rollups", "events"];

/** Splits repeated and comma-separated list options. */
export function listOption(value: unknown): string[] | undefined {
  const list = ((value as string[] | undefined) ?? []).flatMap((t) => t.split(",")).map((t) => t.trim())
    .filter((t) => t.length > 0);
  return list.length > 0 ? list : undefined;
}

function choice<T extends string>(option: string, allowed: readonly T[], value: unknown): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`--${option} must be one of ${allowed.join(", ")}, got "${String(value)}"`);
  }
  return value as T;
}

/** The checked kind options; RangeError (a usage error) names the option and what it accepts. */
export function kindOptions(options: Readonly<Record<string, unknown>>, hasTags: boolean): KindOptions {
  const kind = choice("kind", EXPORT_KINDS, options.kind ?? "samples");
  const out: { -readonly [K in keyof KindOptions]: KindOptions[K] } = { kind };
  if (options.interval !== undefined) {
    if (kind !== "rollups") throw new RangeError(`--interval applies only to --kind rollups, not ${kind}`);
    out.interval = choice("interval", ROLLUP_INTERVALS, options.interval);
  }
  if (options.layout !== undefined) {
    if (kind !== "features") throw new RangeError(`--layout applies only to --kind features, not ${kind}`);
    out.layout = choice("layout", FEATURE_LAYOUTS, options.layout);
  }
  if (hasTags && !TAG_KINDS.includes(kind)) {
    throw new RangeError(`--tags does not apply to --kind ${kind} (its rows belong to assets): use --assets`);
  }
  const assets = listOption(options.assets);
  if (assets) out.assets = assets;
  return out;
}
