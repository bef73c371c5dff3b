/**
 * @module Configuration of the MQTT uplink sink: brokers, session, TLS, topics, QoS, outbox, replay limits,
 * Sparkplug B and the signed command channel.
 */
import { type InferShape, type ObjectSchema, s, type Shape } from "../../core/mod.ts";

/** An object schema whose every key has a default, defaulted as a whole. */
function defaulted<S extends Shape>(schema: ObjectSchema<S>): ObjectSchema<S> {
  const r = schema.parse({});
  if (!r.ok) throw new TypeError(`schema has keys without default: ${r.issues[0]?.path}`);
  return schema.default(r.value);
}

const qos = (v: 0 | 1, what: string) =>
  s.int({ min: 0, max: 1 }).default(v).describe(`QoS of ${what} (0 or 1).`);
const on = (v: boolean, what: string) => s.boolean().default(v).describe(`Publish ${what}.`);

export const mqttSchema = s.object({
  brokers: s.array(
    s.string({
      pattern: /^(mqtts?|wss?|tcp|ssl):\/\/[^/\s]+(\/\S*)?$/,
      patternName: "a broker URL like mqtt://host:1883, mqtts://host:8883 or wss://host/mqtt",
    }),
    { minItems: 1 },
  ).default(["mqtt://127.0.0.1:1883"]).describe(
    "Broker URLs, tried in order: the first is preferred, the others are failovers.",
  ),
  failback: defaulted(s.object({
    enabled: s.boolean().default(true).describe(
      "While on a failover broker, probe the brokers before it in the list and move back to the best one " +
        "that stays reachable (false: stay on the failover broker until that connection is lost).",
    ),
    probe_interval_s: s.number({ min: 0.05 }).default(30).describe(
      "Time between probes of each better broker, s. A probe is a full MQTT CONNECT with the same " +
        "credentials and TLS (client id <client_id>-probe, clean session) followed by a clean DISCONNECT.",
    ),
    stable_s: s.number({ min: 0 }).default(60).describe(
      "Fail back once consecutive successful probes of a better broker span at least this long, s " +
        "(0: on the first successful probe). A failed probe starts the wait over.",
    ),
    drain_timeout_s: s.number({ min: 0.1 }).default(10).describe(
      "Leaving the failover broker waits at most this long for the PUBACKs of in-flight messages (the rest " +
        "are re-sent on the preferred broker), then as long again for the goodbye and for the DISCONNECT, s.",
    ),
  })).describe(
    "Failback to a preferred broker: in-flight messages are drained, the failover session is closed cleanly " +
      "and the preferred broker takes over; the outbox keeps delivery at-least-once throughout.",
  ),
  protocol_version: s.enum(["3.1.1", "5"]).default("5").describe("MQTT protocol version."),
  client_id: s.string({ minLength: 1, maxLength: 128 }).opt().describe(
    "Client id; defaults to <gateway id>-<sink name>. Must be stable for a persistent session.",
  ),
  username: s.string().opt().describe("User name; use ${VAR} to keep it out of the file."),
  password: s.string().opt().describe("Password; use ${VAR} to keep it out of the file."),
  clean_session: s.boolean().default(false).describe(
    "Start a clean session on every connect (false keeps the broker-side session and subscriptions).",
  ),
  session_expiry_s: s.int({ min: 0 }).default(86_400).describe("MQTT 5 session expiry interval, s."),
  keepalive_s: s.int({ min: 0, max: 65_535 }).default(30).describe("Keepalive interval, s (0 disables)."),
  connect_timeout_ms: s.int({ min: 100 }).default(10_000).describe(
    "Give up a connection attempt after this.",
  ),
  reconnect: defaulted(s.object({
    initial_ms: s.int({ min: 10 }).default(500).describe("First reconnect delay, ms."),
    max_ms: s.int({ min: 10 }).default(30_000).describe(
      "Longest reconnect delay, ms (jittered exponential).",
    ),
  })).describe("Reconnect backoff."),
  tls: defaulted(s.object({
    ca: s.string().opt().describe("PEM file of the CA that signed the broker certificate."),
    cert: s.string().opt().describe("PEM file of the client certificate (mutual TLS)."),
    key: s.string().opt().describe("PEM file of the client private key."),
    reject_unauthorized: s.boolean().default(true).describe("Verify the broker certificate (keep true)."),
    servername: s.string().opt().describe("Server name for SNI and verification, when not the URL host."),
  })).describe("TLS settings for mqtts:// and wss:// brokers."),
  mode: s.enum(["json", "sparkplug"]).default("json").describe(
    "Payload and topic scheme: gateway JSON topics, or Sparkplug B (spBv1.0) protobuf.",
  ),
  topic_prefix: s.string({ minLength: 1, pattern: /^[^#+]+$/, patternName: "a topic without + or #" })
    .default("gateway").describe("First topic level(s) of JSON mode: {prefix}/{site}/{gateway}/..."),
  publish: defaulted(s.object({
    features: on(true, "feature vectors on .../features/{asset}"),
    alerts: on(true, "alerts on .../alerts/{asset}"),
    rollups: on(true, "rollups on .../rollups/{asset}"),
    scores: on(false, "anomaly scores on .../scores/{asset}"),
    raw: on(false, "raw samples and blocks on .../raw/{tag} (high volume)"),
    events: on(true, "gateway events on .../events"),
  })).describe("Which message classes are uplinked."),
  qos: defaulted(s.object({
    features: qos(1, "features"),
    alerts: qos(1, "alerts"),
    rollups: qos(1, "rollups"),
    scores: qos(1, "scores"),
    raw: qos(0, "raw data"),
    events: qos(1, "events"),
  })).describe("QoS per message class. QoS 0 records leave the outbox once written to the socket."),
  sparkplug: defaulted(s.object({
    group_id: s.string({ pattern: /^[^/#+]+$/, patternName: "a Sparkplug id without / + #" }).opt()
      .describe("Sparkplug group id; defaults to the gateway site."),
    edge_node_id: s.string({ pattern: /^[^/#+]+$/, patternName: "a Sparkplug id without / + #" }).opt()
      .describe("Sparkplug edge node id; defaults to the gateway id."),
  })).describe("Sparkplug B identity (mode: sparkplug)."),
  outbox: defaulted(s.object({
    max_bytes: s.int({ min: 64 * 1024 }).default(512 * 1024 * 1024).describe(
      "Disk budget of the outbox; beyond it raw, then rollups, then features are dropped oldest first.",
    ),
    segment_bytes: s.int({ min: 4096 }).default(4 * 1024 * 1024).describe("Size of one segment file."),
    fsync: s.enum(["batch", "interval"]).default("batch").describe(
      "batch: every write is fsynced before it is acknowledged to the pipeline; interval: every fsync_interval_ms.",
    ),
    fsync_interval_ms: s.int({ min: 1 }).default(200).describe("fsync period when fsync is interval."),
    cursor_interval_ms: s.int({ min: 10 }).default(500).describe(
      "How often the ack cursor is persisted (a crash re-sends at most this much, as duplicates).",
    ),
  })).describe("Durable store-and-forward queue in the sink's state directory."),
  replay: defaulted(s.object({
    max_messages_per_s: s.number({ min: 0 }).default(2000).describe(
      "Publish rate limit, messages/s (0: none).",
    ),
    max_bytes_per_s: s.number({ min: 0 }).default(4 * 1024 * 1024).describe(
      "Publish rate limit, bytes/s (0: none).",
    ),
    max_inflight: s.int({ min: 1, max: 65_000 }).default(500).describe(
      "QoS 1 messages awaiting PUBACK; the last tenth is reserved for alerts, events, features and scores.",
    ),
    lower_class_share: s.number({ min: 0, max: 0.5 }).default(0.05).describe(
      "Delivery is by priority (alerts and events, then features and scores, then rollups, then raw); while a " +
        "higher class has a backlog, this share of the messages still goes to the lower classes waiting, in " +
        "turn, so they are never starved (0: strict priority).",
    ),
  })).describe(
    "Publishing limits shared by all classes (higher classes first), so a backlog after an outage does not " +
      "storm the broker.",
  ),
  commands: defaulted(s.object({
    enabled: s.boolean().default(true).describe("Subscribe to the command topic (cmd/# or Sparkplug NCMD)."),
    trusted_keys: s.array(s.object({
      id: s.string({ minLength: 1 }).describe("Key id named in signed commands."),
      public_key: s.string({ minLength: 1 }).describe(
        "Ed25519 public key: base64 of the 32 raw bytes, or PEM.",
      ),
    })).default([]).describe("Keys whose signatures are accepted on state-changing commands."),
    max_skew_s: s.int({ min: 1 }).default(300).describe(
      "Reject signed commands issued more than this far away.",
    ),
  })).describe("Downlink commands: rebirth (unsigned), reload and update (Ed25519 signed)."),
}).withCheck((c, path, ctx) => {
  const p = path ? `${path}.` : "";
  if ((c.tls.cert === undefined) !== (c.tls.key === undefined)) {
    ctx.fail(
      `${p}tls.${c.tls.cert === undefined ? "cert" : "key"}`,
      "tls.cert and tls.key must be given together",
    );
  }
  if (c.password !== undefined && c.username === undefined) {
    ctx.fail(`${p}username`, "a password needs a username");
  }
  if (c.reconnect.max_ms < c.reconnect.initial_ms) {
    ctx.fail(`${p}reconnect.max_ms`, `must be >= reconnect.initial_ms (${c.reconnect.initial_ms})`);
  }
  if (c.outbox.max_bytes < c.outbox.segment_bytes * 2) {
    ctx.fail(
      `${p}outbox.max_bytes`,
      `must be at least twice outbox.segment_bytes (${c.outbox.segment_bytes})`,
    );
  }
});

export type MqttConfig = InferShape<typeof mqttSchema.shape> & { readonly name: string };
