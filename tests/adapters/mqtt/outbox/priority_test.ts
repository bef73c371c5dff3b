import assert from "node:assert/strict";
import { PriorityPicker } from "../../../../adapters/mqtt/outbox/mod.ts";

/** Lane indices chosen over `n` picks while the lanes in `ready` stay ready. */
function run(picker: PriorityPicker, ready: boolean[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = picker.pick(ready)!;
    picker.commit(p);
    out.push(p.lane);
  }
  return out;
}

Deno.test("priority picker with share 0 always serves the highest ready lane", () => {
  const p = new PriorityPicker(0);
  assert.deepEqual(run(p, [false, true, true, true], 50), Array(50).fill(1));
  assert.equal(p.pick([false, false, false, false]), undefined);
  assert.deepEqual(run(p, [false, false, false, true], 3), [3, 3, 3]);
});

Deno.test("priority picker gives waiting lower lanes every round(1/share)-th message, in turn", () => {
  const p = new PriorityPicker(0.1);
  const picks = run(p, [true, true, true, true], 60);
  const lower = picks.map((l, i) => [l, i] as const).filter(([l]) => l !== 0);
  assert.deepEqual(lower.map(([, i]) => i), [9, 19, 29, 39, 49, 59], "one in ten");
  assert.deepEqual(lower.map(([l]) => l), [1, 2, 3, 1, 2, 3], "lower lanes take turns");
});

Deno.test("priority picker does not bank credit while no lower lane waits", () => {
  const p = new PriorityPicker(0.25);
  run(p, [true, false, false, false], 100);
  const picks = run(p, [true, false, false, true], 8);
  assert.deepEqual(picks, [0, 0, 0, 3, 0, 0, 0, 3]);
});

Deno.test("priority picker shares among the lanes below the highest busy one only", () => {
  const p = new PriorityPicker(0.5);
  assert.deepEqual(run(p, [false, true, false, true], 6), [1, 3, 1, 3, 1, 3]);
});

Deno.test("priority picker rejects a share outside 0..0.5 with a RangeError", () => {
  assert.throws(() => new PriorityPicker(0.7), RangeError);
  assert.throws(() => new PriorityPicker(-0.1), /lowerShare must be within 0\.\.0\.5, got -0\.1/);
  assert.throws(() => new PriorityPicker(Number.NaN), RangeError);
});
