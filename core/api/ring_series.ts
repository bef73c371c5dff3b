/**
 * @module Series answered from the live ring buffers, when no history store runs (or for the newest data).
 */
import type { Aggregation, TagReader, WindowView } from "../mod.ts";

/** One tag's columns. */
export interface SeriesColumns {
  readonly tag: string;
  readonly table: string;
  readonly ts: number[];
  readonly values: (number | null)[];
  readonly quality?: number[];
}

function each(view: WindowView, fn: (v: number, ts: number, q: number) => void): void {
  for (const part of ["first", "second"] as const) {
    const v = view.values[part];
    const t = view.timestamps[part];
    const q = view.quality[part];
    for (let i = 0; i < v.length; i++) fn(v[i]!, t[i]!, q[i]!);
  }
}

function aggregate(values: number[], agg: Aggregation): number | null {
  if (agg === "count") return values.length;
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  switch (agg) {
    case "avg":
      return finite.reduce((a, b) => a + b, 0) / finite.length;
    case "min":
      return finite.reduce((a, b) => (b < a ? b : a));
    case "max":
      return finite.reduce((a, b) => (b > a ? b : a));
    case "last":
      return finite[finite.length - 1]!;
    case "p95": {
      const sorted = finite.sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
    }
  }
}

/**
 * Raw points (`step` undefined) or `agg` per `step` bucket for each tag, from the ring buffers. Throws
 * RangeError when a tag would return more than `maxPoints` raw points.
 */
export function ringSeries(
  tags: TagReader,
  q: {
    tags: readonly string[];
    from: number;
    to: number;
    step?: number;
    agg: Aggregation;
    maxPoints: number;
  },
): SeriesColumns[] {
  return q.tags.map((tag) => {
    const entry = tags.get(tag);
    const ts: number[] = [];
    const values: (number | null)[] = [];
    const quality: number[] = [];
    if (!entry) return { tag, table: "ring", ts, values, quality };
    const view = entry.ring.range(q.from, q.to);
    if (q.step === undefined) {
      if (view.length > q.maxPoints) {
        throw new RangeError(
          `tag ${tag} has ${view.length} raw points in the range, more than ${q.maxPoints}`,
        );
      }
      each(view, (v, t, qual) => {
        ts.push(t);
        values.push(Number.isFinite(v) ? v : null);
        quality.push(qual);
      });
      return { tag, table: "ring", ts, values, quality };
    }
    const step = q.step;
    let bucket = -1;
    let acc: number[] = [];
    const flush = () => {
      if (bucket < 0) return;
      ts.push(q.from + bucket * step);
      values.push(aggregate(acc, q.agg));
    };
    each(view, (v, t, qual) => {
      const b = Math.floor((t - q.from) / step);
      if (b !== bucket) {
        flush();
        bucket = b;
        acc = [];
      }
      if (qual !== 2) acc.push(v);
    });
    flush();
    return { tag, table: "ring", ts, values };
  });
}
