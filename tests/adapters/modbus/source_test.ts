import assert from "node:assert/strict";
import { Quality, type Sample } from "../../../core/mod.ts";
import { ModbusSource } from "../../../adapters/modbus/mod.ts";
import { modbusConfig, type PeerValue, PyPeer, recordingContext } from "./_helpers.ts";

const ORDERS = ["ABCD", "CDAB", "BADC", "DCBA"] as const;
const VALUES: { type: string; value: number; width: number }[] = [
  { type: "int16", value: -12345, width: 1 },
  { type: "uint16", value: 54321, width: 1 },
  { type: "int32", value: -2_000_000_123, width: 2 },
  { type: "uint32", value: 4_000_000_123, width: 2 },
  { type: "float32", value: -1234.5, width: 2 },
  { type: "int64", value: -9_007_199_254_740_000, width: 4 },
  { type: "uint64", value: 9_007_199_254_740_000, width: 4 },
  { type: "float64", value: 6.02214076e23, width: 4 },
];

function latest(samples: readonly Sample[], tag: string): Sample | undefined {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i]!.tag === tag) return samples[i];
  return undefined;
}

Deno.test("modbus source decodes every type in every byte/word order as the pymodbus peer encoded it", async () => {
  const peerValues: PeerValue[] = [];
  const registers: Record<string, unknown>[] = [];
  let address = 0;
  for (const order of ORDERS) {
    for (const v of VALUES) {
      peerValues.push({ table: "holding", address, type: v.type, order, value: v.value });
      registers.push({ name: `${v.type}_${order}`, address, type: v.type, order });
      address += v.width;
    }
    peerValues.push({ table: "input", address, type: "string", order, value: `PUMP-${order}`, length: 5 });
    registers.push({ name: `string_${order}`, table: "input", address, type: "string", length: 5, order });
    address += 5;
  }
  peerValues.push({ table: "coil", address: 3, value: [true, false, true] });
  peerValues.push({ table: "discrete", address: 7, value: [true] });
  peerValues.push({ table: "holding", address: 500, type: "uint16", value: 0b1010_0000_0000_0101 });
  registers.push(
    { name: "coil3", table: "coil", address: 3 },
    { name: "coil4", table: "coil", address: 4 },
    { name: "coil5", table: "coil", address: 5 },
    { name: "di7", table: "discrete", address: 7 },
    { name: "bit2", address: 500, type: "bool", bit: 2 },
    { name: "bit15", address: 500, type: "bool", bit: 15 },
  );
  const peer = await PyPeer.start({ values: peerValues });
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [{ name: "plc", host: "127.0.0.1", port: peer.port, poll_interval_ms: 200, registers }],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.length >= registers.length);
    for (const order of ORDERS) {
      for (const v of VALUES) {
        const s = latest(ctx.samples, `mb.plc.${v.type}_${order}`);
        assert.ok(s, `${v.type} ${order} missing`);
        assert.equal(s.quality, Quality.Good, `${v.type} ${order}: ${s.reason}`);
        assert.equal(s.value, v.type === "float32" ? Math.fround(v.value) : v.value, `${v.type} ${order}`);
      }
      assert.equal(latest(ctx.samples, `mb.plc.string_${order}`)?.value, `PUMP-${order}`);
    }
    assert.deepEqual(
      ["coil3", "coil4", "coil5", "di7", "bit2", "bit15"].map((n) =>
        latest(ctx.samples, `mb.plc.${n}`)?.value
      ),
      [true, false, true, true, true, true],
    );
    assert.equal(ctx.events.filter((e) => e.type === "source.connected").length, 1);
    assert.equal(source.health().state, "connected");
  } finally {
    await source.stop();
    await peer.close();
  }
});
