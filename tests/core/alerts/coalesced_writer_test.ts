import assert from "node:assert/strict";
import { CoalescedWriter } from "../../../core/alerts/mod.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("coalesced writer: a burst of changes gives one immediate write and one more after the interval; stop writes the rest", async () => {
  let state = 0;
  const written: number[] = [];
  const w = new CoalescedWriter(async () => {
    const v = state;
    await sleep(5);
    written.push(v);
  }, 300);
  try {
    state = 1;
    w.changed();
    await sleep(50);
    assert.deepEqual(written, [1], "the first change is written at once");
    for (let i = 2; i <= 500; i++) {
      state = i;
      w.changed();
    }
    await sleep(100);
    assert.deepEqual(written, [1], "changes within the interval wait");
    await sleep(400);
    assert.deepEqual(written, [1, 500], "one write for 499 changes, with the latest state");
    state = 501;
    w.changed();
    state = 502;
    w.changed();
  } finally {
    await w.stop();
  }
  assert.deepEqual(written, [1, 500, 502], "stop writes the final state without waiting for the interval");
  assert.equal(w.writes, 3);
  w.changed();
  await sleep(20);
  assert.equal(w.writes, 3, "nothing is written after stop");
});

Deno.test("coalesced writer: nothing changed, nothing written at stop; a failed write is retried at the next chance", async () => {
  const idle = new CoalescedWriter(() => Promise.reject(new Error("must not run")), 10);
  await idle.stop();
  assert.equal(idle.writes, 0);
  let fail = true;
  const errors: unknown[] = [];
  const w = new CoalescedWriter(
    () => fail ? Promise.reject(new Error("disk full")) : Promise.resolve(),
    10,
    (e) => errors.push(e),
  );
  w.changed();
  await sleep(30);
  await w.flushed();
  assert.equal(errors.length, 1);
  assert.equal(w.writes, 0);
  fail = false;
  await w.stop();
  assert.equal(w.writes, 1, "the unwritten state is written at stop");
  assert.throws(() => new CoalescedWriter(() => Promise.resolve(), -1), RangeError);
});
