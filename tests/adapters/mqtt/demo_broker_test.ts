import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { startDemoBroker } from "../../../demo/mqtt_broker.ts";
import { makeCtx, sinkConfig, until } from "./_harness.ts";
import { featuresMsg } from "./_messages.ts";

Deno.test("the demo's embedded aedes broker carries the uplink over MQTT 3.1.1", async () => {
  const seen: string[] = [];
  const broker = await startDemoBroker({ onPublish: (topic) => seen.push(topic) });
  const dir = await Deno.makeTempDir({ prefix: "mqtt_demo_" });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({ brokers: [broker.url], protocol_version: "3.1.1" }));
  try {
    assert.match(broker.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    await sink.start(ctx);
    await until(() => sink.health().state === "connected", "connection");
    await sink.write([featuresMsg("pump-1", 1), featuresMsg("pump-1", 2)]);
    await until(
      () => seen.filter((t) => t === "gateway/plant-a/gw1/features/pump-1").length === 2,
      "features at the broker",
    );
    assert.ok(seen.includes("gateway/plant-a/gw1/status"));
    await until(() => sink.health().details!.backlog_messages === 0, "acknowledged");
    assert.equal(broker.connectedClients(), 1);
  } finally {
    await sink.stop();
    await broker.close();
    await Deno.remove(dir, { recursive: true });
  }
});
