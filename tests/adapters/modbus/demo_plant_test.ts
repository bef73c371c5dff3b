import assert from "node:assert/strict";
import { Quality, type Sample } from "../../../core/mod.ts";
import { ModbusSource } from "../../../adapters/modbus/mod.ts";
import { modbusPlantConfig, startModbusPlant } from "../../../demo/modbus_plant.ts";
import { modbusConfig, recordingContext } from "./_helpers.ts";

async function mbpoll(port: number, args: string[]): Promise<string> {
  const out = await new Deno.Command("mbpoll", {
    args: ["-m", "tcp", "-p", String(port), "-a", "1", "-0", "-1", "-c", "1", ...args, "127.0.0.1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /^\[\d+\]:\s+(\S+)/m.exec(text);
  if (!out.success || !m) throw new Error(`mbpoll failed: ${new TextDecoder().decode(out.stderr)}${text}`);
  return m[1]!;
}

const config = (port: number, pollMs = 50) => {
  const { name: _n, type: _t, ...rest } = modbusPlantConfig(port, { pollMs });
  return modbusConfig(rest);
};

Deno.test("the demo plant serves what its config says, checked with mbpoll as an independent client", async () => {
  const plant = await startModbusPlant();
  plant.setTag("flow", 123.5);
  plant.setTag("pressure", -2.25);
  plant.setTag("temperature", 456);
  plant.setTag("mode", 2);
  plant.setTag("state", 1);
  plant.setTag("alarms", 0b1000_0000_0000_0001);
  plant.setTag("strokes", 70_000);
  plant.setTag("energy", 1234.5678);
  const ctx = recordingContext();
  const source = new ModbusSource(config(plant.port));
  try {
    // mbpoll: -B big-endian word order (ABCD); its default is word-swapped (CDAB).
    assert.equal(await mbpoll(plant.port, ["-t", "3:float", "-B", "-r", "0"]), "123.5");
    assert.equal(await mbpoll(plant.port, ["-t", "3:float", "-r", "2"]), "-2.25");
    assert.equal(await mbpoll(plant.port, ["-t", "4", "-r", "11"]), "456");
    assert.equal(await mbpoll(plant.port, ["-t", "4:int", "-B", "-r", "20"]), "70000");
    await source.start(ctx);
    await ctx.waitFor((s) => s.length >= 11);
    const v = new Map<string, Sample>(ctx.samples.map((s) => [s.tag.replace("mb.line1.", ""), s]));
    assert.equal(v.get("flow")!.value, 123.5);
    assert.equal(v.get("pressure")!.value, -2.25);
    assert.ok(Math.abs((v.get("temperature")!.value as number) - 4.56) < 1e-9);
    assert.equal(v.get("state")!.value, "running");
    assert.equal(v.get("alarms.overtemp")!.value, true);
    assert.equal(v.get("alarms.estop")!.value, true);
    assert.equal(v.get("alarms.low_flow")!.value, false);
    assert.equal(v.get("strokes")!.value, 70_000);
    assert.equal(v.get("energy")!.value, 1234.5678);
    assert.ok(ctx.samples.every((s) => s.quality === Quality.Good));
  } finally {
    await source.stop();
    await plant.close();
  }
});

Deno.test("a device clock beyond tolerance raises one data-quality event and shows offset in health", async () => {
  const plant = await startModbusPlant({ clockOffsetMs: -60_000 });
  const ctx = recordingContext();
  const source = new ModbusSource(config(plant.port, 20));
  try {
    await source.start(ctx);
    await ctx.waitFor(() => ctx.events.some((e) => e.type === "data_quality.clock_offset"), 5000);
    const clockEvents = ctx.events.filter((x) => x.type === "data_quality.clock_offset");
    assert.equal(clockEvents.length, 1);
    const e = clockEvents[0]!;
    assert.equal(e.level, "warn");
    const offset = e.data!.offset_ms as number;
    assert.ok(offset > 59_000 && offset < 62_000, `offset ${offset}`);
    const details = source.health().details!.devices as Record<
      string,
      { details: { clock: { offset_ms: number } } }
    >;
    assert.ok(details.line1!.details.clock.offset_ms > 59_000);
  } finally {
    await source.stop();
    await plant.close();
  }
});
