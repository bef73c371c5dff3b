import assert from "node:assert/strict";
import { Quality, type Sample } from "../../../core/mod.ts";
import { ModbusSource } from "../../../adapters/modbus/mod.ts";
import { modbusConfig, PyPeer, recordingContext } from "./_helpers.ts";

const byTag = (samples: readonly Sample[]) => new Map(samples.map((s) => [s.tag.replace(/^mb\.d\./, ""), s]));

Deno.test("scale/offset, mode-dependent scale, value maps and alarm-word bits become tag values", async () => {
  const peer = await PyPeer.start({
    values: [
      { table: "holding", address: 0, type: "int16", value: 2345 }, // temperature raw
      { table: "holding", address: 1, type: "uint16", value: 2 }, // mode
      { table: "holding", address: 2, type: "uint16", value: 1 }, // state code
      { table: "holding", address: 3, type: "uint16", value: 0b1000_0000_0000_0101 }, // alarm word
      { table: "holding", address: 4, type: "int16", value: -40 }, // offset-only value
      { table: "holding", address: 5, type: "uint16", value: 9 }, // unknown state
    ],
  });
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [{
      name: "d",
      host: "127.0.0.1",
      port: peer.port,
      poll_interval_ms: 50,
      registers: [
        {
          name: "temp",
          address: 0,
          type: "int16",
          unit: "degC",
          scale_by: { register: "mode", cases: { "1": 0.1, "2": 0.01 } },
        },
        { name: "mode", address: 1 },
        { name: "state", address: 2, values: { "0": "stopped", "1": "running", "2": "fault" } },
        { name: "alarms", address: 3, bits: { overtemp: 0, low_oil: 2, estop: 15, spare: 7 } },
        { name: "level", address: 4, type: "int16", scale: 0.5, offset: 100 },
        { name: "state2", address: 5, values: { "0": "stopped" }, value_output: "code" },
      ],
    }],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.length >= 11);
    const m = byTag(ctx.samples);
    assert.ok(Math.abs((m.get("temp")!.value as number) - 23.45) < 1e-9);
    assert.equal(m.get("state")!.value, "running");
    assert.deepEqual(
      ["alarms.overtemp", "alarms.low_oil", "alarms.estop", "alarms.spare"].map((t) => m.get(t)!.value),
      [true, true, true, false],
    );
    assert.equal(m.get("alarms")!.value, 0b1000_0000_0000_0101);
    assert.equal(m.get("level")!.value, 80);
    assert.equal(m.get("state2")!.value, 9);
    assert.equal(m.get("state2")!.quality, Quality.Uncertain);
    assert.equal(m.get("state2")!.reason, "value 9 is not in the value map of state2");
    // The operating mode changes: the same raw temperature is scaled with the other factor.
    await peer.set([{ table: "holding", address: 1, type: "uint16", value: 1 }]);
    await ctx.waitFor((s) => {
      const t = s.findLast((x) => x.tag === "mb.d.temp");
      return t !== undefined && Math.abs((t.value as number) - 234.5) < 1e-9;
    });
    // A mode without a case and no default: Bad with the reason, not a wrong value.
    await peer.set([{ table: "holding", address: 1, type: "uint16", value: 3 }]);
    await ctx.waitFor((s) => s.findLast((x) => x.tag === "mb.d.temp")?.quality === Quality.Bad);
    assert.equal(
      ctx.samples.findLast((x) => x.tag === "mb.d.temp")!.reason,
      "no scale case for mode = 3 (cases: 1, 2)",
    );
    const meta = new Map(ctx.defined.map((t) => [t.id, t]));
    assert.equal(meta.get("mb.d.temp")!.dataType, "float");
    assert.equal(meta.get("mb.d.temp")!.unit, "degC");
    assert.equal(meta.get("mb.d.state")!.dataType, "string");
    assert.equal(meta.get("mb.d.alarms.estop")!.dataType, "bool");
    assert.equal(meta.get("mb.d.level")!.dataType, "float");
  } finally {
    await source.stop();
    await peer.close();
  }
});
