/**
 * @module Argument checks for reader queries: TypeError for wrong types, RangeError for bad values.
 */
import { type Aggregation, AGGREGATIONS, type SeriesQuery } from "../../core/mod.ts";

/** Checks a finite timestamp (ms). */
export function checkTime(name: string, v: unknown): number {
  if (typeof v !== "number") {
    throw new TypeError(`${name} must be a number of ms since epoch, got ${typeof v}`);
  }
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${v}`);
  return v;
}

/** Checks a time range: from < to. */
export function checkRange(from: unknown, to: unknown): { from: number; to: number } {
  const f = checkTime("from", from);
  const t = checkTime("to", to);
  if (f >= t) {
    throw new RangeError(
      `from (${new Date(f).toISOString()}) must be before to (${new Date(t).toISOString()})`,
    );
  }
  return { from: f, to: t };
}

/** Checks a list of tag ids. */
export function checkTags(tags: unknown, name = "tags"): string[] {
  if (!Array.isArray(tags)) throw new TypeError(`${name} must be a list of tag ids`);
  tags.forEach((t, i) => {
    if (typeof t !== "string" || t.length === 0) {
      throw new TypeError(`${name}[${i}] must be a non-empty string`);
    }
  });
  return [...new Set(tags as string[])];
}

/** Checks a page size. */
export function checkLimit(limit: unknown): number {
  if (typeof limit !== "number" || !Number.isInteger(limit)) throw new TypeError("limit must be an integer");
  if (limit < 1 || limit > 100_000) throw new RangeError(`limit must be between 1 and 100000, got ${limit}`);
  return limit;
}

/** Validated series query with defaults applied. */
export interface CheckedSeries {
  readonly tags: string[];
  readonly from: number;
  readonly to: number;
  readonly step: number | undefined;
  readonly agg: Aggregation;
  readonly maxPoints: number;
}

/** Checks a series query. */
export function checkSeries(q: SeriesQuery): CheckedSeries {
  if (typeof q !== "object" || q === null) throw new TypeError("series query must be an object");
  const tags = checkTags(q.tags);
  if (tags.length === 0) throw new RangeError("tags must name at least one tag");
  const { from, to } = checkRange(q.from, q.to);
  let step: number | undefined;
  if (q.step !== undefined) {
    step = checkTime("step", q.step);
    if (step <= 0) throw new RangeError(`step must be positive (ms), got ${step}`);
  }
  const agg = q.agg ?? "avg";
  if (!AGGREGATIONS.includes(agg)) {
    throw new RangeError(`agg must be one of ${AGGREGATIONS.join(", ")}, got ${JSON.stringify(agg)}`);
  }
  if (typeof q.maxPoints !== "number" || !Number.isInteger(q.maxPoints) || q.maxPoints < 1) {
    throw new RangeError(`maxPoints must be a positive integer, got ${q.maxPoints}`);
  }
  return { tags, from, to, step, agg, maxPoints: q.maxPoints };
}
