/**
 * @module The MQTT uplink sink (type `mqtt`): gateway JSON topics or Sparkplug B, with a durable
 * store-and-forward outbox, paced replay and signed downlink commands.
 */
import { defineSink } from "../../core/mod.ts";
import { mqttSchema } from "./schema.ts";
import { MqttSink } from "./sink.ts";

defineSink({
  type: "mqtt",
  description:
    "Uplink to an MQTT broker (JSON topics or Sparkplug B) through a durable on-disk outbox: nothing is lost " +
    "while the broker or the network is down, and the backlog is replayed paced.",
  schema: mqttSchema,
  create: (config) => new MqttSink(config),
});

export { MqttSink } from "./sink.ts";
export { type MqttConfig, mqttSchema } from "./schema.ts";
export { SCHEMA_VERSION } from "./json_codec.ts";
export { Topics } from "./topics.ts";
