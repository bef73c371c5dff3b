import assert from "node:assert/strict";
import { ClockAudit, type ClockEstimate } from "../../../adapters/_common/clock_audit.ts";

Deno.test("clock audit estimates a constant offset despite jitter", () => {
  const audit = new ClockAudit({ toleranceMs: 1000 });
  for (let i = 0; i < 200; i++) {
    const recv = 1_700_000_000_000 + i * 1000;
    const jitter = (i % 7) * 3; // 0..18 ms network delay
    audit.observe(recv - 250 - jitter, recv);
  }
  const e = audit.estimate();
  assert.ok(Math.abs(e.offsetMs - 259) < 10, `offset ${e.offsetMs}`);
  assert.equal(e.exceeded, false);
});

Deno.test("clock audit measures the drift of a free-running device clock in ppm", () => {
  const audit = new ClockAudit({ toleranceMs: 60_000 });
  // The device clock runs 100 ppm slow: after t ms it is behind by t * 1e-4 ms.
  for (let i = 0; i < 256; i++) {
    const t = i * 60_000;
    audit.observe(1e12 + t - t * 1e-4, 1e12 + t);
  }
  assert.ok(Math.abs(audit.estimate().driftPpm - 100) < 1, `drift ${audit.estimate().driftPpm}`);
});

Deno.test("clock audit reports crossing the tolerance once, and recovery with hysteresis", () => {
  const changes: ClockEstimate[] = [];
  const audit = new ClockAudit({
    toleranceMs: 500,
    window: 16,
    minSamples: 4,
    onChange: (e) => changes.push(e),
  });
  let t = 0;
  const feed = (offset: number, n: number) => {
    for (let i = 0; i < n; i++) audit.observe((t += 1000) - offset, t);
  };
  feed(100, 20);
  assert.equal(changes.length, 0);
  feed(2000, 20);
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.exceeded, true);
  feed(450, 20); // within tolerance but above the 80% hysteresis band: still exceeded
  assert.equal(changes.length, 1);
  feed(0, 20);
  assert.equal(changes.length, 2);
  assert.equal(changes[1]!.exceeded, false);
});

Deno.test("clock audit rejects a non-positive tolerance", () => {
  assert.throws(() => new ClockAudit({ toleranceMs: 0 }), RangeError);
});
