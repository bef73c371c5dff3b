/**
 * @module Reading the gateway's Prometheus text: series values, sums over label filters, histogram quantiles.
 */

/** One parsed series. */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text exposition format (comments skipped). */
export function parseProm(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, "$1");
    const v = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    out.push({ name: m[1]!, labels, value: v });
  }
  return out;
}

/** Sum of every series named `name` whose labels include `filter`. */
export function sum(series: readonly Series[], name: string, filter: Record<string, string> = {}): number {
  let total = 0;
  for (const s of series) {
    if (s.name !== name) continue;
    if (Object.entries(filter).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** Whether any series is named `name`. */
export function has(series: readonly Series[], name: string): boolean {
  return series.some((s) => s.name === name);
}

/** Cumulative bucket counts of histogram `name` (summed over series matching `filter`), by upper bound. */
export function buckets(
  series: readonly Series[],
  name: string,
  filter: Record<string, string> = {},
): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) {
    if (s.name !== `${name}_bucket`) continue;
    if (!Object.entries(filter).every(([k, v]) => s.labels[k] === v)) continue;
    const le = s.labels["le"] === "+Inf" ? Infinity : Number(s.labels["le"]);
    out.set(le, (out.get(le) ?? 0) + s.value);
  }
  return out;
}

/** Bucket counts of `now` minus `before` (observations between two scrapes). */
export function bucketDelta(
  now: Map<number, number>,
  before: Map<number, number> | undefined,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const [le, n] of now) out.set(le, n - (before?.get(le) ?? 0));
  return out;
}

/**
 * Quantile `q` of cumulative buckets, linearly interpolated inside the bucket (Prometheus
 * histogram_quantile); undefined without observations.
 */
export function quantile(cumulative: Map<number, number>, q: number): number | undefined {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const total = cumulative.get(Infinity) ?? 0;
  if (total <= 0 || bounds.length === 0) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const b of bounds) {
    const c = cumulative.get(b)!;
    if (c >= rank) {
      if (b === Infinity) return prevBound;
      const inBucket = c - prevCount;
      return inBucket <= 0 ? b : prevBound + (b - prevBound) * ((rank - prevCount) / inBucket);
    }
    prevBound = b;
    prevCount = c;
  }
  return prevBound;
}
