/**
 * @module Ring buffer benchmark: append throughput against Array.push, window extraction cost.
 */
import { flatten, RingBuffer } from "../core/ring/mod.ts";
import { Quality } from "../core/model/quality.ts";
import { type BenchSuite, measure, printTable } from "./harness.ts";

const N = 100_000;

function appendSuite(): void {
  const ring = new RingBuffer(65_536);
  let t = 0;
  const ringPush = measure("RingBuffer.push (value, ts, quality)", () => {
    for (let i = 0; i < N; i++) ring.push(i, t++, Quality.Good);
  }, { opsPerCall: N });
  // Anchor: plain Array.push of the same three numbers into three arrays (reset to keep memory flat).
  let vs: number[] = [], ts: number[] = [], qs: number[] = [];
  const arrayPush = measure("Array.push (3 number arrays)", () => {
    for (let i = 0; i < N; i++) {
      vs.push(i);
      ts.push(t++);
      qs.push(0);
    }
    if (vs.length > 1_000_000) (vs = []), (ts = []), (qs = []);
  }, { opsPerCall: N });
  // What a naive object-per-sample buffer costs, trimmed to the same capacity.
  let arr: { v: number; t: number; q: number }[] = [];
  const objectPush = measure("Array.push of {v,t,q} objects", () => {
    for (let i = 0; i < N; i++) arr.push({ v: i, t: t++, q: 0 });
    if (arr.length > 65_536) arr = arr.slice(-65_536);
  }, { opsPerCall: N });
  const block = Float64Array.from({ length: 2560 }, (_, i) => Math.sin(i));
  const ringBlock = measure("RingBuffer.pushBlock (2,560-sample vibration block)", () => {
    ring.pushBlock(block, t, 1 / 25.6, Quality.Good);
    t += 100;
  }, { opsPerCall: block.length });
  printTable("Append throughput (samples/s)", arrayPush, [objectPush, ringPush, ringBlock], "samples/s");
}

function windowSuite(): void {
  const ring = new RingBuffer(131_072);
  for (let i = 0; i < 200_000; i++) ring.push(Math.random(), i, Quality.Good);
  const plain = Array.from({ length: 131_072 }, () => Math.random());
  const out = new Float64Array(4096);
  const sliceArray = measure("Array.slice(-4096) (copy)", () => plain.slice(-4096), { opsPerCall: 1 });
  const view = measure("RingBuffer.last(4096) zero-copy view", () => ring.last(4096), { opsPerCall: 1 });
  const viewFlat = measure(
    "RingBuffer.last(4096) + flatten into a reused buffer",
    () => flatten(ring.last(4096).values, out),
    {
      opsPerCall: 1,
    },
  );
  const big = new Float64Array(65_536);
  const view64k = measure(
    "RingBuffer.last(65536) + flatten (vibration FFT window)",
    () => flatten(ring.last(65_536).values, big),
    {
      opsPerCall: 1,
    },
  );
  printTable("Window extraction (per window)", sliceArray, [view, viewFlat, view64k], "windows/s");
}

export const ringSuite: BenchSuite = {
  name: "ring",
  run() {
    appendSuite();
    windowSuite();
  },
};
