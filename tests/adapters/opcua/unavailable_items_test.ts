import assert from "node:assert/strict";
import { StatusCodes } from "node-opcua-client";
import { isNodeGone, UnavailableItems } from "../../../adapters/opcua/unavailable_items.ts";
import type { Target } from "../../../adapters/opcua/targets.ts";

const target = (index: number): Target => ({
  index,
  tag: `plc.t${index}`,
  nodeId: `ns=1;s=T${index}`,
  samplingMs: 100,
  queueSize: 1,
  backfill: false,
});

Deno.test("node-gone statuses are recognised with or without info bits; transient Bad statuses are not", () => {
  for (
    const code of [
      "BadNodeIdUnknown",
      "BadNodeIdInvalid",
      "BadNotReadable",
      "BadMonitoredItemIdInvalid",
    ] as const
  ) {
    assert.ok(isNodeGone(StatusCodes[code].value), code);
    assert.ok(isNodeGone(StatusCodes[code].value | 0x0400), `${code} with info bits`);
  }
  for (
    const code of ["Good", "BadWaitingForInitialData", "BadCommunicationError", "BadOutOfService"] as const
  ) {
    assert.equal(isNodeGone(StatusCodes[code].value), false, code);
  }
});

Deno.test("an unavailable item reports new, then changed or same; a value after re-creation is one recovery", () => {
  const items = new UnavailableItems<string>();
  const a = target(0);
  const unknown = StatusCodes.BadNodeIdUnknown.value;
  const invalid = StatusCodes.BadNodeIdInvalid.value;
  assert.equal(items.down(a, invalid, "BadNodeIdInvalid", "h1"), "new");
  assert.equal(items.down(a, invalid, "BadNodeIdInvalid", "h1"), "same");
  assert.deepEqual(items.list().map((u) => [u.handle, u.pending]), [["h1", false]]);
  items.detached(a);
  assert.equal(items.down(a, unknown, "BadNodeIdUnknown", undefined), "changed");
  assert.equal(items.down(a, unknown, "BadNodeIdUnknown", undefined), "same");
  assert.equal(items.size, 1);
  items.recreated(a, "h2");
  assert.deepEqual(items.list().map((u) => [u.handle, u.pending]), [["h2", true]]);
  assert.ok(items.has(a), "stays unavailable until a value arrives");
  assert.equal(items.up(a), true);
  assert.equal(items.up(a), false);
  assert.equal(items.size, 0);
  items.recreated(target(1), "h3");
  assert.equal(items.size, 0, "re-creating an item that is not unavailable tracks nothing");
});
