/**
 * @module Test backlog: mostly raw samples with a few alerts, feature vectors and rollups interleaved, and
 * checks of what an upstream subscriber received (priority, order per lane, completeness, duplicates).
 */
import type { Message } from "../../../core/mod.ts";
import type { Received } from "./_harness.ts";
import { alertMsg, featuresMsg } from "./_messages.ts";

/** Delivery lane of each JSON topic class (0 = highest priority). */
export const LANE_OF_TYPE: Readonly<Record<string, number>> = {
  alerts: 0,
  events: 0,
  features: 1,
  scores: 1,
  rollups: 2,
  raw: 3,
};

/** Sizes of {@link backlog}. */
export interface BacklogShape {
  readonly rounds: number;
  readonly tags: number;
}

/** Batches of messages: per round one raw batch of `tags` tags (2 samples each); every 4th round an alert
 * and two feature vectors, every 8th round a rollup. */
export function backlog({ rounds, tags }: BacklogShape, offset = 0): Message[][] {
  const out: Message[][] = [];
  const t = 1_700_000_000_000;
  for (let r = offset; r < offset + rounds; r++) {
    const batch: Message[] = [{
      kind: "samples",
      samples: Array.from({ length: tags * 2 }, (_, k) => ({
        tag: `plant.t${k % tags}`,
        value: r + k * 1e-3,
        ts: t + r * 100 + (k >= tags ? 50 : 0),
        recv: t + r * 100,
        quality: 0 as const,
        status: 0,
      })),
    }];
    if (r % 4 === 0) {
      batch.push(alertMsg(`pump-${r % 2}`, r), featuresMsg("pump-1", r), featuresMsg("pump-2", r));
    }
    if (r % 8 === 0) {
      batch.push({
        kind: "rollup",
        rollup: {
          tag: "plant.t0",
          asset: "pump-1",
          interval: "1m",
          start: t + r * 60_000,
          count: 60,
          mean: r,
          std: 0,
          min: r,
          max: r,
          p95: r,
          last: r,
          badShare: 0,
        },
      });
    }
    out.push(batch);
  }
  return out;
}

/** One received uplink message, reduced to what the checks need. */
export interface Arrival {
  readonly type: string;
  readonly seq: number;
  readonly key: string;
}

/** Arrivals in the order received (duplicates included): class from the JSON topic, seq from the envelope. */
export function arrivals(received: readonly Received[]): Arrival[] {
  const out: Arrival[] = [];
  for (const r of received) {
    const type = r.topic.split("/")[3] ?? "";
    if (!(type in LANE_OF_TYPE)) continue;
    const m = JSON.parse(new TextDecoder().decode(r.payload)) as { seq: number; data: { asset?: string } };
    out.push({ type, seq: m.seq, key: r.topic.split("/")[4] ?? m.data.asset ?? "" });
  }
  return out;
}

/** First arrival of every sequence, in arrival order. */
export function firsts(list: readonly Arrival[]): Arrival[] {
  const seen = new Set<number>();
  return list.filter((a) => !seen.has(a.seq) && seen.add(a.seq));
}

/** Lanes whose first arrivals are not in sequence order (should be none). */
export function outOfOrderLanes(list: readonly Arrival[]): string[] {
  const last = new Map<number, number>();
  const bad = new Set<string>();
  for (const a of firsts(list)) {
    const lane = LANE_OF_TYPE[a.type]!;
    if ((last.get(lane) ?? 0) > a.seq) bad.add(`${a.type}: ${a.seq} after ${last.get(lane)}`);
    last.set(lane, a.seq);
  }
  return [...bad];
}

/** Raw first arrivals received before the last first arrival of any of `types`. */
export function rawBeforeLast(list: readonly Arrival[], types: readonly string[]): number {
  const f = firsts(list);
  let lastIndex = -1;
  f.forEach((a, i) => types.includes(a.type) && (lastIndex = i));
  return f.slice(0, lastIndex + 1).filter((a) => a.type === "raw").length;
}
