import assert from "node:assert/strict";
import type { Sample } from "../../../core/mod.ts";
import { Dedup } from "../../../adapters/opcua/dedup.ts";

const s = (tag: string, ts: number, value: number, historical = false): Sample => ({
  tag,
  ts,
  value,
  recv: ts,
  quality: 0,
  status: 0,
  ...(historical ? { historical } : {}),
});

Deno.test("dedup drops the repeat a re-created subscription sends first, keeps real changes", () => {
  const d = new Dedup();
  const first = [s("a", 1, 10), s("b", 1, 20)];
  assert.equal(d.live(first), first, "no copy when nothing repeats");
  d.reset();
  assert.deepEqual(d.live([s("a", 1, 10), s("a", 2, 11), s("b", 1, 21)]), [s("a", 2, 11), s("b", 1, 21)]);
});

Deno.test("dedup gives the reconnect overlap to live data", () => {
  const d = new Dedup();
  d.live([s("a", 1, 10)]);
  d.reset();
  d.live([s("a", 5, 14)]); // first live value after reconnect
  const hist = d.historical([
    s("a", 2, 11, true),
    s("a", 3, 12, true),
    s("a", 5, 14, true),
    s("b", 4, 1, true),
  ]);
  assert.deepEqual(hist.map((x) => [x.tag, x.ts]), [["a", 2], ["a", 3], ["b", 4]]);
  assert.equal(d.liveTags, 1);
});
