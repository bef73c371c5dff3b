import assert from "node:assert/strict";
import { createLogger, type GatewayEvent, parseConfig, Pipeline } from "../../../core/mod.ts";
import "../../../adapters/opcua/mod.ts";
import {
  feedOpcuaPlant,
  opcuaPlantSourceYaml,
  PLANT_NODES,
  startOpcuaPlant,
} from "../../../demo/opcua_plant.ts";
import { waitFor } from "./_harness.ts";

Deno.test("the demo plant and its YAML block run through the real pipeline into the tag store", async () => {
  const plant = await startOpcuaPlant();
  const dir = await Deno.makeTempDir();
  const yaml = `gateway: { id: gw, site: demo, data_dir: ${dir} }
sources:
${opcuaPlantSourceYaml(plant.endpoint, { name: "plant_ua", publishingIntervalMs: 100 }).replace(/^/gm, "  ")}
`;
  const config = parseConfig(yaml, { env: () => undefined });
  const pipeline = new Pipeline(config, {
    logger: createLogger({ level: "error", writer: () => {} }),
    version: "t",
  });
  const events: GatewayEvent[] = [];
  const off = pipeline.subscribe(["event"], (_producer, m) => {
    if (m.kind === "event") events.push(m.event);
  });
  await pipeline.start();
  try {
    const ts = Date.now();
    plant.set("pump1_flow", 118.5, ts);
    plant.set("pump1_running", true, ts);
    await waitFor(
      () => pipeline.tags.get("plant_ua.pump1_flow")?.latest?.value === 118.5,
      "flow in the ring",
    );
    await waitFor(() => pipeline.tags.get("plant_ua.pump1_running")?.latest?.value === true, "running");
    const flow = pipeline.tags.get("plant_ua.pump1_flow")!;
    assert.equal(flow.meta.unit, "m3/h");
    assert.deepEqual(flow.meta.range, { low: 0, high: 200 });
    assert.equal(flow.meta.description, "Pump 1 discharge flow");
    assert.equal(flow.meta.address, "ns=1;s=Plant.pump1_flow");
    assert.equal(pipeline.tags.get("plant_ua.press2_strokes")!.meta.dataType, "int");
    assert.equal(pipeline.health().sources.plant_ua!.state, "connected");
    await waitFor(() => events.some((e) => e.type === "source.connected"), "connected event");
    assert.equal(events.find((e) => e.type === "source.connected")!.component, "plant_ua");
    assert.equal(PLANT_NODES.length, 5);
    // the demo feed makes every variable move
    const stopFeed = feedOpcuaPlant(plant, 50);
    try {
      await waitFor(() => (pipeline.tags.get("plant_ua.pump1_pressure")?.received ?? 0) >= 4, "fed pressure");
      await waitFor(() => pipeline.tags.get("plant_ua.pump1_running")?.latest?.value === true, "running");
      const pressure = pipeline.tags.get("plant_ua.pump1_pressure")!.latest!.value as number;
      assert.ok(pressure > 7 && pressure < 9, `pressure ${pressure} follows the flow`);
    } finally {
      stopFeed();
    }
  } finally {
    off();
    await pipeline.stop();
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
