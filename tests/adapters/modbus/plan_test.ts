import assert from "node:assert/strict";
import { buildReadPlan, type PlanItem, splitRequest } from "../../../adapters/modbus/mod.ts";
import { ModbusSource } from "../../../adapters/modbus/mod.ts";
import { modbusConfig, PyPeer, recordingContext } from "./_helpers.ts";

const LIMITS = { maxRegisters: 125, maxBits: 2000, maxGapRegisters: 4, maxGapBits: 16 };
const reg = (address: number, width = 1): PlanItem => ({ table: "holding", address, width });

Deno.test("read plan coalesces neighbours and bridges gaps up to the configured maximum", () => {
  const plan = buildReadPlan([reg(10, 2), reg(0), reg(1), reg(5, 4), reg(20)], LIMITS);
  assert.deepEqual(plan.map((r) => [r.address, r.count]), [[0, 12], [20, 1]]);
  assert.deepEqual(plan[0]!.items.map((m) => m.offset), [0, 1, 5, 10]);
});

Deno.test("read plan never splits a multi-register value across two requests", () => {
  // 30 float64 values (4 registers each): 120 registers fit, the 31st value would straddle 125.
  const items = Array.from({ length: 40 }, (_, i) => reg(i * 4, 4));
  const plan = buildReadPlan(items, LIMITS);
  assert.deepEqual(plan.map((r) => [r.address, r.count]), [[0, 124], [124, 36]]);
  for (const r of plan) {
    assert.ok(r.count <= 125);
    for (const m of r.items) assert.ok(m.offset + m.item.width <= r.count);
  }
});

Deno.test("read plan respects a smaller configured request size and the 2000-bit limit for coils", () => {
  const plan = buildReadPlan([reg(0), reg(1), reg(2)], { ...LIMITS, maxRegisters: 2 });
  assert.deepEqual(plan.map((r) => [r.address, r.count]), [[0, 2], [2, 1]]);
  const coils = Array.from({ length: 2500 }, (_, i): PlanItem => ({ table: "coil", address: i, width: 1 }));
  const bitPlan = buildReadPlan(coils, LIMITS);
  assert.deepEqual(bitPlan.map((r) => [r.fc, r.address, r.count]), [[1, 0, 2000], [1, 2000, 500]]);
});

Deno.test("read plan keeps tables apart and orders requests by function code", () => {
  const plan = buildReadPlan([
    { table: "input", address: 0, width: 1 },
    { table: "holding", address: 0, width: 1 },
    { table: "discrete", address: 0, width: 1 },
    { table: "coil", address: 0, width: 1 },
  ], LIMITS);
  assert.deepEqual(plan.map((r) => r.fc), [1, 2, 3, 4]);
});

Deno.test("read plan keeps overlapping items (bits of one register) in one request, also when split", () => {
  const plan = buildReadPlan([reg(7), reg(7), reg(8), reg(12)], LIMITS);
  assert.equal(plan.length, 1);
  const parts = splitRequest(plan[0]!);
  assert.deepEqual(parts.map((r) => [r.address, r.count, r.items.length]), [[7, 1, 2], [8, 1, 1], [
    12,
    1,
    1,
  ]]);
});

Deno.test("read plan rejects an item wider than a request", () => {
  assert.throws(() => buildReadPlan([reg(0, 10)], { ...LIMITS, maxRegisters: 8 }), RangeError);
});

Deno.test("coalesced reads reach the pymodbus peer as few requests; a refused gap is split and remembered", async () => {
  const peer = await PyPeer.start({ size: 300 });
  const registers = Array.from(
    { length: 100 },
    (_, i) => ({ name: `r${i}`, address: i * 2, type: "uint16" }),
  );
  // 298 and 302: the gap bridges into addresses the peer does not have (size 300) -> exception 2 -> split.
  registers.push({ name: "edge", address: 298, type: "uint16" }, {
    name: "beyond",
    address: 302,
    type: "uint16",
  });
  const ctx = recordingContext();
  const coalesced = new ModbusSource(modbusConfig({
    devices: [{ name: "d", host: "127.0.0.1", port: peer.port, poll_interval_ms: 60_000, registers }],
  }));
  try {
    await coalesced.start(ctx);
    await ctx.waitFor((s) => s.length >= registers.length);
    const counts = await peer.counts();
    // r0..r99 span 199 registers -> 2 requests; edge+beyond coalesce, get exception 2, then 2 single reads.
    assert.equal(counts.holding, 2 + 1 + 2);
    assert.equal(ctx.samples.find((s) => s.tag === "mb.d.edge")?.quality, 0);
    const beyond = ctx.samples.find((s) => s.tag === "mb.d.beyond")!;
    assert.equal(beyond.quality, 2);
    assert.equal(beyond.reason, "exception 2 illegal data address");
    assert.equal(coalesced.devices[0]!.plan.length, 4);
    assert.equal(coalesced.devices[0]!.health.splits, 1);
  } finally {
    await coalesced.stop();
  }
  await peer.reset();
  const ctx2 = recordingContext();
  const uncoalesced = new ModbusSource(modbusConfig({
    devices: [{
      name: "d",
      host: "127.0.0.1",
      port: peer.port,
      poll_interval_ms: 60_000,
      max_registers_per_request: 1,
      registers,
    }],
  }));
  try {
    await uncoalesced.start(ctx2);
    await ctx2.waitFor((s) => s.length >= registers.length);
    assert.equal((await peer.counts()).holding, registers.length);
  } finally {
    await uncoalesced.stop();
    await peer.close();
  }
});
