import assert from "node:assert/strict";
import { FailbackWatch, type ProbeReport } from "../../../adapters/mqtt/failback.ts";

const BROKERS = ["mqtt://a:1883", "mqtt://b:1883", "mqtt://c:1883"];

/** A watch whose probes answer from `up` (or, while `script` has entries, from its next entry), on a clock
 * that advances 1000 ms per probe round. */
function watchWith(up: Set<string>, stableMs: number, script: boolean[] = []) {
  const reports: ProbeReport[] = [];
  const probed: string[] = [];
  let now = 0;
  const watch = new FailbackWatch(
    BROKERS,
    { probeIntervalMs: 5, stableMs },
    (url) => {
      probed.push(url);
      const ok = script.length > 0 ? script.shift()! : up.has(url);
      return ok ? Promise.resolve() : Promise.reject(new Error(`${url} refused`));
    },
    (r) => reports.push(r),
    () => (now += 1000),
  );
  return { watch, reports, probed };
}

Deno.test("failback watch waits until a better broker's successful probes span the stable time, restarting after a failure", async () => {
  // Round 2 fails, so the streak starts again at round 3 and spans 2000 ms at round 5.
  const { watch, reports } = watchWith(new Set(["mqtt://a:1883"]), 2000, [true, false, true, true]);
  const target = await watch.watch(1, new AbortController().signal);
  assert.equal(target, 0);
  assert.deepEqual(reports.map((r) => r.error === undefined), [true, false, true, true, true]);
  assert.equal(reports[1]!.stableSince, undefined, "a failure ends the streak");
  assert.match(reports[1]!.error!, /refused/);
  assert.equal(
    reports[4]!.stableSince,
    reports[2]!.stableSince,
    "the streak is counted from its first success",
  );
});

Deno.test("failback watch probes only brokers before the current one and picks the best stable one", async () => {
  const up = new Set(["mqtt://b:1883"]);
  const { watch, probed } = watchWith(up, 0);
  assert.equal(await watch.watch(2, new AbortController().signal), 1, "b is stable, a is down: move to b");
  assert.ok(!probed.includes("mqtt://c:1883"), "the current broker is not probed");
  up.add("mqtt://a:1883");
  assert.equal(await watch.watch(2, new AbortController().signal), 0, "both stable: the first one wins");
});

Deno.test("failback watch resolves undefined when aborted and refuses bad arguments", async () => {
  const { watch } = watchWith(new Set(), 0);
  const abort = new AbortController();
  const pending = watch.watch(1, abort.signal);
  setTimeout(() => abort.abort(), 30);
  assert.equal(await pending, undefined);
  await assert.rejects(() => watch.watch(3, abort.signal), RangeError);
  assert.throws(
    () => new FailbackWatch(BROKERS, { probeIntervalMs: 0, stableMs: 0 }, () => Promise.resolve(), () => {}),
    RangeError,
  );
});
