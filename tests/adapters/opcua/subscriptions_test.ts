import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { ClientSession } from "node-opcua-client";
import type { Limits } from "../../../adapters/opcua/limits.ts";
import { SubscriptionSet } from "../../../adapters/opcua/subscriptions.ts";
import type { AcquisitionHooks, Target } from "../../../adapters/opcua/targets.ts";
import { config } from "./_harness.ts";

/**
 * A session whose server takes `createMs` (on the test's clock) to create each subscription's monitored items
 * and sends nothing meanwhile, as a busy server does with thousands of items.
 */
function slowSession(clock: { now: number }, createMs: number) {
  let ids = 0;
  return {
    createSubscription2: () => {
      const sub = Object.assign(new EventEmitter(), {
        subscriptionId: ++ids,
        publishingInterval: 100,
        maxKeepAliveCount: 2,
        monitoredItems: {},
        monitorItems: (items: unknown[]) => {
          clock.now += createMs;
          return Promise.resolve({
            monitoredItems: items.map((_, i) => ({
              statusCode: { value: 0, name: "Good" },
              monitoringParameters: { clientHandle: ids * 1000 + i },
              monitoredItemId: ids * 1000 + i,
            })),
          });
        },
      });
      return Promise.resolve(sub);
    },
  } as unknown as ClientSession;
}

const targets: Target[] = Array.from({ length: 3 }, (_, i) => ({
  index: i,
  tag: `plc.t${i}`,
  nodeId: `ns=1;s=t${i}`,
  samplingMs: 100,
  queueSize: 1,
  backfill: false,
}));
const limits: Limits = {
  perRead: 100,
  perBrowse: 100,
  perHistoryRead: 100,
  perMonitoredItemsCall: 100,
  perSubscription: 1,
};

/** Hooks that record failures, and a 100 ms publishing interval with a 1 s watchdog. */
function watched() {
  const failures: string[] = [];
  const hooks = {
    deliver: () => {},
    fail: (reason: string) => failures.push(reason),
    unavailable: () => {},
    recovered: () => {},
    retryFailed: () => {},
  } as AcquisitionHooks;
  const cfg = config({
    endpoint: "opc.tcp://127.0.0.1:1/x",
    publishing_interval_ms: 100,
    watchdog_min_ms: 1000,
    nodes: targets.map((t) => ({ name: t.tag.slice(4), node_id: t.nodeId })),
  });
  return { failures, hooks, cfg };
}

Deno.test("silence during a slow setup is not a stall; silence after it still is", async () => {
  const clock = { now: 1_000_000 };
  const { failures, hooks, cfg } = watched();
  // 3 subscriptions of one item each, 6 s to create each: the first is 18 s old when the set is ready.
  const set = new SubscriptionSet(slowSession(clock, 6000), cfg, limits, targets, hooks, () => clock.now);
  await set.start();
  try {
    assert.equal(set.stats().subscriptions, 3);
    await new Promise((r) => setTimeout(r, 300)); // the watchdog runs every 100 ms
    assert.deepEqual(failures, [], "no subscription judged stalled for the server's setup time");
    clock.now += 1100; // then 1.1 s of silence against a 1 s limit
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(failures.length >= 1, true, "a silent subscription after the setup is still a stall");
    assert.match(failures[0]!, /^subscription \d stalled: nothing for 1100 ms$/);
  } finally {
    await set.stop();
  }
});

Deno.test("one silent subscription while the others deliver is stalled only after 6 times its limit", async () => {
  const clock = { now: 1_000_000 };
  const { failures, hooks, cfg } = watched();
  const session = slowSession(clock, 0);
  const subs: EventEmitter[] = [];
  const create =
    (session as unknown as { createSubscription2: () => Promise<EventEmitter> }).createSubscription2;
  (session as unknown as { createSubscription2: () => Promise<EventEmitter> }).createSubscription2 =
    async () => {
      const sub = await create();
      subs.push(sub);
      return sub;
    };
  const set = new SubscriptionSet(session, cfg, limits, targets, hooks, () => clock.now);
  await set.start();
  try {
    // Subscriptions 2 and 3 deliver (keep-alives) every 500 ms; subscription 1 stays silent.
    const tick = async (ms: number) => {
      for (let t = 0; t < ms; t += 500) {
        clock.now += 500;
        for (const sub of subs.slice(1)) sub.emit("raw_notification", { notificationData: [] });
        await new Promise((r) => setTimeout(r, 120));
      }
    };
    await tick(5500);
    assert.deepEqual(failures, [], "starved, not stalled, at 5.5 s (limit 1 s, 6 s while others deliver)");
    await tick(1000);
    assert.equal(failures.length >= 1, true, "stalled past 6 times the limit");
    assert.match(failures[0]!, /^subscription 1 stalled: nothing for \d+ ms while the session's other/);
  } finally {
    await set.stop();
  }
});
