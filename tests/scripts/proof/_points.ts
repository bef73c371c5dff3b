/** Timeline points for the proof-tooling tests: every figure neutral unless overridden. */
import type { Point } from "../../../scripts/proof/sampler.ts";

export function point(t: number, over: Partial<Point> = {}): Point {
  return {
    t,
    cpuPct: 0,
    rssMB: 100,
    threads: 1,
    heapMB: null,
    heapTotalMB: null,
    externalMB: null,
    wasmMB: null,
    duckdbMB: null,
    historyQueue: 0,
    inPerS: 0,
    inPerSource: {},
    historyRowsPerS: 0,
    mqttPerS: 0,
    outboxBacklog: 0,
    outboxDiskMB: 0,
    sinkDroppedValues: 0,
    lagMaxMs: null,
    lagMeanMs: null,
    scoreP50Ms: null,
    scoreP99Ms: null,
    ...over,
  };
}

/** Points every `stepS` seconds from `fromS` to `toS` inclusive, RSS from `rss(t)`. */
export function series(fromS: number, toS: number, stepS: number, rss: (t: number) => number): Point[] {
  const out: Point[] = [];
  for (let t = fromS; t <= toS; t += stepS) out.push(point(t, { rssMB: rss(t) }));
  return out;
}
