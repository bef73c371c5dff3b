/**
 * @module An in-memory HistoryReader for API unit tests: real bucketing, paging, limits and export files.
 */
import type {
  Aggregation,
  Alert,
  AnomalyScore,
  ExportRequest,
  FeatureVector,
  GatewayEvent,
  HistoryReader,
  ListQuery,
  Page,
  Series,
  SeriesQuery,
} from "../../../core/mod.ts";

type Point = { ts: number; value: number; quality: number };

function page<T>(all: readonly T[], q: ListQuery, time: (t: T) => number): Page<T> {
  const filtered = all.filter((x) =>
    (q.from === undefined || time(x) >= q.from) && (q.to === undefined || time(x) < q.to) &&
    (q.assets === undefined || q.assets.includes((x as { asset?: string }).asset ?? ""))
  );
  const start = q.cursor === undefined ? 0 : Number(q.cursor);
  // Like the real store: a cursor it did not make is a RangeError.
  if (!Number.isInteger(start) || start < 0) {
    throw new RangeError(`cursor "${q.cursor}" is not valid for this list`);
  }
  const items = filtered.slice(start, start + q.limit);
  return start + q.limit < filtered.length ? { items, next: String(start + q.limit) } : { items };
}

function agg(values: number[], a: Aggregation): number | null {
  if (values.length === 0) return null;
  if (a === "count") return values.length;
  if (a === "avg") return values.reduce((x, y) => x + y, 0) / values.length;
  if (a === "min") return Math.min(...values);
  if (a === "max") return Math.max(...values);
  if (a === "last") return values[values.length - 1]!;
  const s = [...values].sort((x, y) => x - y);
  return s[Math.ceil(0.95 * s.length) - 1]!;
}

/** In-memory history. */
export class FakeHistory implements HistoryReader {
  points = new Map<string, Point[]>();
  featureList: FeatureVector[] = [];
  scoreList: AnomalyScore[] = [];
  alertList: Alert[] = [];
  eventList: GatewayEvent[] = [];
  /** Every query received, for assertions. */
  calls: { method: string; query: unknown }[] = [];
  /** Delay every answer by this many ms (timeouts). */
  delayMs = 0;
  acknowledged: { id: string; by: string; at: number }[] = [];

  add(tag: string, ts: number, value: number, quality = 0): void {
    let list = this.points.get(tag);
    if (!list) this.points.set(tag, list = []);
    list.push({ ts, value, quality });
  }

  async #wait(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
  }

  async series(q: SeriesQuery): Promise<Series[]> {
    this.calls.push({ method: "series", query: q });
    await this.#wait();
    return q.tags.map((tag) => {
      const pts = (this.points.get(tag) ?? []).filter((p) => p.ts >= q.from && p.ts < q.to);
      if (q.step === undefined) {
        if (pts.length > q.maxPoints) {
          throw new RangeError(`${pts.length} raw points for ${tag} exceed ${q.maxPoints}`);
        }
        return {
          tag,
          table: "raw" as const,
          points: pts.map((p) => ({ ts: p.ts, value: p.value, quality: p.quality })),
        };
      }
      const buckets = new Map<number, number[]>();
      for (const p of pts) {
        const b = q.from + Math.floor((p.ts - q.from) / q.step) * q.step;
        (buckets.get(b) ?? buckets.set(b, []).get(b)!).push(p.value);
      }
      const points = [...buckets].sort(([a], [b]) => a - b).map(([ts, v]) => ({
        ts,
        value: agg(v, q.agg ?? "avg"),
      }));
      return { tag, table: q.step >= 60_000 ? "1m" as const : "1s" as const, points };
    });
  }
  async features(q: ListQuery): Promise<Page<FeatureVector>> {
    this.calls.push({ method: "features", query: q });
    await this.#wait();
    return page(this.featureList, q, (f) => f.windowEnd);
  }
  async scores(q: ListQuery & { detector?: string }): Promise<Page<AnomalyScore>> {
    this.calls.push({ method: "scores", query: q });
    await this.#wait();
    return page(
      this.scoreList.filter((s) => q.detector === undefined || s.detector === q.detector),
      q,
      (s) => s.ts,
    );
  }
  async alerts(q: ListQuery & { state?: Alert["state"] }): Promise<Page<Alert>> {
    this.calls.push({ method: "alerts", query: q });
    await this.#wait();
    return page(
      this.alertList.filter((a) => q.state === undefined || a.state === q.state),
      q,
      (a) => a.raisedAt,
    );
  }
  async events(q: ListQuery & { type?: string }): Promise<Page<GatewayEvent>> {
    this.calls.push({ method: "events", query: q });
    await this.#wait();
    return page(this.eventList.filter((e) => q.type === undefined || e.type === q.type), q, (e) => e.ts);
  }
  async acknowledgeAlert(id: string, by: string, at: number): Promise<Alert | undefined> {
    await this.#wait();
    this.calls.push({ method: "acknowledgeAlert", query: { id, by, at } });
    const i = this.alertList.findIndex((a) => a.id === id);
    if (i < 0) return undefined;
    this.acknowledged.push({ id, by, at });
    this.alertList[i] = { ...this.alertList[i]!, acknowledged: true };
    return this.alertList[i];
  }
  async exportRange(r: ExportRequest): Promise<{ rows: number; bytes: number }> {
    this.calls.push({ method: "exportRange", query: { ...r } });
    await this.#wait();
    const lines = ["tag,ts,value,quality"];
    for (const [tag, pts] of this.points) {
      if (r.tags && !r.tags.includes(tag)) continue;
      for (const p of pts) {
        if (p.ts >= r.from && p.ts < r.to) lines.push(`${tag},${p.ts},${p.value},${p.quality}`);
      }
    }
    const text = lines.join("\n") + "\n";
    await Deno.writeTextFile(r.path, text);
    return { rows: lines.length - 1, bytes: text.length };
  }
}
