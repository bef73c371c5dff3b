import assert from "node:assert/strict";
import { flatten, Quality, RingBuffer } from "../../../core/mod.ts";

function fill(ring: RingBuffer, from: number, to: number) {
  for (let i = from; i < to; i++) ring.push(i, 1000 + i, i % 3 === 0 ? Quality.Bad : Quality.Good);
}

Deno.test("ring buffer keeps the newest samples and counts the overwritten ones", () => {
  const ring = new RingBuffer(8);
  fill(ring, 0, 13);
  assert.equal(ring.length, 8);
  assert.equal(ring.seq, 13);
  assert.equal(ring.dropped, 5);
  assert.equal(ring.oldestSeq, 5);
  assert.deepEqual(Array.from(flatten(ring.last(8).values)), [5, 6, 7, 8, 9, 10, 11, 12]);
});

Deno.test("a window across the wrap point comes back as two zero-copy segments", () => {
  const ring = new RingBuffer(8);
  fill(ring, 0, 11); // storage holds 8..10 at 0..2 and 3..7 at 3..7
  const w = ring.last(6);
  assert.deepEqual(Array.from(w.values.first), [5, 6, 7]);
  assert.deepEqual(Array.from(w.values.second), [8, 9, 10]);
  assert.deepEqual(Array.from(w.timestamps.second), [1008, 1009, 1010]);
  assert.deepEqual(Array.from(w.quality.second), [0, Quality.Bad, 0]); // seq 9 is a multiple of 3
  // Zero-copy: the view shares memory with the ring.
  const before = w.values.second[0];
  ring.push(99, 2000, Quality.Good); // overwrites seq 3 (storage index 3), not the viewed second segment
  assert.equal(w.values.second[0], before);
  assert.equal(w.values.first.buffer, w.values.second.buffer);
});

Deno.test("windows by sequence number never return overwritten or future samples", () => {
  const ring = new RingBuffer(4);
  fill(ring, 0, 10);
  assert.deepEqual(Array.from(flatten(ring.bySeq(7, 3).values)), [7, 8, 9]);
  assert.throws(() => ring.bySeq(5, 2), /outside the held range \[6, 10\)/);
  assert.throws(() => ring.bySeq(8, 3), RangeError);
  assert.throws(() => ring.bySeq(6.5, 1), RangeError);
  assert.equal(ring.bySeq(10, 0).length, 0);
});

Deno.test("pushBlock writes uniformly spaced samples with wrap and keeps only the newest when oversized", () => {
  const ring = new RingBuffer(5);
  ring.pushBlock(Float64Array.from([1, 2, 3]), 100, 0.5, Quality.Good);
  ring.pushBlock(Float64Array.from([4, 5, 6, 7]), 101.5, 0.5, Quality.Uncertain);
  assert.deepEqual(Array.from(flatten(ring.last(5).values)), [3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(flatten(ring.last(5).timestamps)), [101, 101.5, 102, 102.5, 103]);
  assert.equal(ring.dropped, 2);
  ring.pushBlock(Float64Array.from({ length: 12 }, (_, i) => 100 + i), 0, 1, Quality.Good);
  assert.equal(ring.seq, 19);
  assert.deepEqual(Array.from(flatten(ring.last(5).values)), [107, 108, 109, 110, 111]);
  assert.deepEqual(Array.from(flatten(ring.last(5).timestamps)), [7, 8, 9, 10, 11]);
});

Deno.test("range selects by timestamp with binary search", () => {
  const ring = new RingBuffer(16);
  fill(ring, 0, 20); // holds 4..19, timestamps 1004..1019
  const w = ring.range(1010, 1013);
  assert.deepEqual(Array.from(flatten(w.values)), [10, 11, 12]);
  assert.equal(ring.range(0, 1005).length, 1);
  assert.equal(ring.range(5000, 6000).length, 0);
});

Deno.test("resizing keeps the newest samples and their sequence numbers", () => {
  const ring = new RingBuffer(8);
  fill(ring, 0, 12);
  const smaller = ring.resized(3);
  assert.equal(smaller.seq, 12);
  assert.deepEqual(Array.from(flatten(smaller.last(3).values)), [9, 10, 11]);
  const larger = ring.resized(32);
  assert.equal(larger.length, 8);
  assert.deepEqual(larger.at(4), { value: 4, ts: 1004, quality: Quality.Good });
  assert.equal(larger.at(3), undefined);
});

Deno.test("multi-rate tags live side by side: a 25.6 kHz channel and a 1 s tag", () => {
  const vib = new RingBuffer(65_536);
  const temp = new RingBuffer(3600);
  const t0 = 1_700_000_000_000;
  const dt = 1000 / 25_600;
  for (let second = 0; second < 10; second++) {
    const block = Float64Array.from(
      { length: 25_600 },
      (_, i) => Math.sin((2 * Math.PI * 100 * (second * 25_600 + i)) / 25_600),
    );
    vib.pushBlock(block, t0 + second * 1000, dt, Quality.Good);
    temp.push(40 + second, t0 + second * 1000, Quality.Good);
  }
  assert.equal(vib.seq, 256_000);
  assert.equal(vib.length, 65_536);
  assert.equal(temp.length, 10);
  // The last second of vibration lines up with the last temperature sample by time.
  const lastSecond = vib.range(t0 + 9000, t0 + 10_000);
  assert.equal(lastSecond.length, 25_600);
  assert.equal(temp.range(t0 + 9000, t0 + 10_000).length, 1);
});

Deno.test("capacity must be a positive integer", () => {
  assert.throws(() => new RingBuffer(0), RangeError);
  assert.throws(() => new RingBuffer(2.5), RangeError);
});

Deno.test("a ring's memory is resident from construction, so the footprint is known at start", () => {
  // Control: a plain typed array of the same size is mapped lazily and barely moves RSS. A concurrent GC can
  // only make the ring's figure smaller, so the bound is half the ring's size, well above the control.
  const c0 = Deno.memoryUsage().rss;
  const control = new Float64Array(8_500_000); // 68 MB, untouched
  const controlGrown = Deno.memoryUsage().rss - c0;
  const before = Deno.memoryUsage().rss;
  const ring = new RingBuffer(4_000_000); // 4 M samples x 17 B = 68 MB
  const grown = Deno.memoryUsage().rss - before;
  assert.ok(grown > 34 * 2 ** 20, `resident memory grew by ${(grown / 2 ** 20).toFixed(1)} MB`);
  assert.ok(controlGrown < 20 * 2 ** 20, `control grew by ${(controlGrown / 2 ** 20).toFixed(1)} MB`);
  assert.equal(ring.length, 0);
  assert.equal(control.length, 8_500_000);
});
