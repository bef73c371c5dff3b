/**
 * @module The gateway configuration of a proof run, generated from a {@link LoadPlan}: OPC UA items, Modbus
 * devices, a 16-channel vibration asset from the simulator, features + anomaly scoring, DuckDB history, MQTT
 * uplink through the durable outbox, HTTP API with public metrics.
 */
import { opcuaItemName } from "./opcua_server.ts";

/** What a run puts on the gateway. */
export interface LoadPlan {
  readonly opcuaItems: number;
  readonly opcuaIntervalMs: number;
  readonly modbusDevices: number;
  readonly modbusRegisters: number;
  readonly modbusPollMs: number;
  readonly vibrationChannels: number;
  readonly vibrationRateHz: number;
  /** Outbox disk budget, bytes (small in chaos runs so it is exceeded once). */
  readonly outboxMaxBytes: number;
  /** Publish raw samples upstream too (QoS 0): exercises the outbox budget. */
  readonly uplinkRaw: boolean;
  /** Store everything in DuckDB history (off only to isolate the store's memory in a diagnostic run). */
  readonly history: boolean;
  /** Learn the detectors' baselines from this many feature vectors. */
  readonly learnVectors: number;
  /** Vibration fault (a step on channel 0) every this many seconds, lasting 20 s, to raise alerts. */
  readonly faultEveryS: number;
}

/** The plan the issue asks for. */
export const FULL_PLAN: LoadPlan = {
  opcuaItems: 10_000,
  opcuaIntervalMs: 100,
  modbusDevices: 2,
  modbusRegisters: 500,
  modbusPollMs: 100,
  vibrationChannels: 16,
  vibrationRateHz: 25_600,
  outboxMaxBytes: 512 * 1024 * 1024,
  uplinkRaw: false,
  history: true,
  learnVectors: 60,
  faultEveryS: 90,
};

/** Names of the sources whose values history stores raw (OPC UA and the Modbus devices). */
export function rawSourcesOf(plan: LoadPlan): string[] {
  return [
    ...(plan.opcuaItems > 0 ? ["ua"] : []),
    ...Array.from({ length: plan.modbusDevices }, (_, d) => `mb${d + 1}`),
  ];
}

/** Where the peers listen. */
export interface Endpoints {
  readonly opcuaPort: number;
  readonly modbusPorts: readonly number[];
  readonly mqttUrl: string;
  readonly httpPort: number;
  readonly dataDir: string;
}

/** Samples per feature window of a vibration channel (0.32 s at 25.6 kHz). */
export const WINDOW = 8192;
export const VIB_ASSET = "compressor-1";
export const SIM = "vib";

/** Tag id of vibration channel `c`. */
export function vibTag(c: number): string {
  return `${SIM}.ch${String(c).padStart(2, "0")}`;
}

/** YAML of the gateway for `plan` against `ep`. */
export function gatewayYaml(plan: LoadPlan, ep: Endpoints): string {
  const L: string[] = [];
  L.push(
    "gateway:",
    "  id: proof-gw",
    "  site: proof-site",
    "  line: line-1",
    `  data_dir: ${ep.dataDir}`,
    "log:",
    "  level: info",
    "buffer:",
    "  default_capacity: 1024",
    "http:",
    "  host: 127.0.0.1",
    `  port: ${ep.httpPort}`,
    "  auth: { public_health: true, public_metrics: true }",
    "sources:",
  );
  if (plan.opcuaItems > 0) {
    L.push(
      "  - name: ua",
      "    type: opcua",
      `    endpoint: opc.tcp://127.0.0.1:${ep.opcuaPort}/plant`,
      `    publishing_interval_ms: ${plan.opcuaIntervalMs}`,
      `    sampling_interval_ms: ${plan.opcuaIntervalMs}`,
      "    queue_size: 10",
      "    max_items_per_subscription: 1000",
      "    read_metadata: false",
      "    request_timeout_ms: 30000",
      "    reconnect: { initial_ms: 500, max_ms: 5000 }",
      // The co-located node-opcua server runs at 100 % of a core serving 10,000 items at 100 ms and stops
      // publishing for 10-15 s at a time (every subscription silent): at 10 s the gateway reconnected every
      // 1.5-3 minutes, re-creating 10,000 items each time. 30 s rides out those pauses; a lost session is
      // noticed within 30 s.
      "    watchdog_min_ms: 30000",
      "    backfill: { enabled: false }",
      "    nodes:",
    );
    for (let i = 0; i < plan.opcuaItems; i++) {
      const n = opcuaItemName(i);
      L.push(`      - { name: ${n}, node_id: "ns=1;s=Plant.${n}" }`);
    }
  }
  ep.modbusPorts.slice(0, plan.modbusDevices).forEach((port, d) => {
    L.push(
      `  - name: mb${d + 1}`,
      "    type: modbus",
      "    devices:",
      "      - name: plc",
      "        host: 127.0.0.1",
      `        port: ${port}`,
      `        poll_interval_ms: ${plan.modbusPollMs}`,
      "        timeout_ms: 1000",
      "        reconnect: { initial_ms: 200, max_ms: 5000 }",
      "        registers:",
    );
    for (let r = 0; r < plan.modbusRegisters; r++) L.push(`          - { name: r${r}, address: ${r} }`);
  });
  if (plan.vibrationChannels > 0) {
    L.push(
      `  - name: ${SIM}`,
      "    type: simulator",
      "    seed: 7",
      "    tick_ms: 100",
      "    signals:",
    );
    for (let c = 0; c < plan.vibrationChannels; c++) {
      L.push(
        `      - name: ch${String(c).padStart(2, "0")}`,
        "        kind: vibration",
        `        asset: ${VIB_ASSET}`,
        `        sample_rate_hz: ${plan.vibrationRateHz}`,
        `        shaft_hz: ${24 + (c % 4) * 0.25}`,
        "        unit: g",
        `        buffer_capacity: ${4 * WINDOW}`,
      );
    }
    L.push(
      "    faults:",
      `      - { signal: ch00, type: step, start_s: ${plan.faultEveryS}, duration_s: ${
        Math.min(20, Math.round(plan.faultEveryS / 2))
      }, magnitude: 3, repeat_every_s: ${plan.faultEveryS} }`,
    );
  }
  L.push("transforms:");
  if (plan.vibrationChannels > 0) {
    L.push(
      "  - name: features",
      "    type: features",
      `    inputs: [${SIM}]`,
      "    assets:",
      `      - asset: ${VIB_ASSET}`,
      "        speed: { hz: 24 }",
      "        windows:",
    );
    for (let c = 0; c < plan.vibrationChannels; c++) {
      L.push(
        `          - { tag: ${vibTag(c)}, length: ${WINDOW}, stats: [rms, peak, crest_factor, kurtosis]` +
          (c < 4
            ? `, spectrum: true, bands: [{ name: "1x", orders: [0.8, 1.2] }, { name: "2x", orders: [1.8, 2.2] }] }`
            : " }"),
      );
    }
    L.push(
      "  - name: anomaly",
      "    type: anomaly",
      "    inputs: [features]",
      "    detectors:",
      `      - { name: z, type: robust_z, learn_vectors: ${plan.learnVectors} }`,
      `      - { name: pca, type: pca_t2q, learn_vectors: ${Math.max(plan.learnVectors, 40)} }`,
      "    alerts: { raise_after_s: 1, clear_after_s: 5, cooldown_s: 10 }",
    );
  }
  const derived = plan.vibrationChannels > 0 ? ", features, anomaly" : "";
  L.push(
    "sinks:",
    ...(plan.history
      ? [
        "  - name: history",
        "    type: history",
        `    inputs: ["*"${derived}]`,
        "    queue: { max_values: 2000000, max_batch: 2000, journal: true }",
        "    retention: { max_db_mb: 4096, interval_s: 60 }",
        // An edge budget for DuckDB: its block cache fills to this limit in the first minutes, then holds.
        "    memory_limit_mb: 128",
        // At most an eighth of the limit (the store refuses more): appended data waits in memory for a checkpoint.
        "    checkpoint: { wal_mb: 16 }",
        "    threads: 1",
      ]
      : []),
    "  - name: uplink",
    "    type: mqtt",
    `    inputs: ["*"${derived}]`,
    `    brokers: ["${ep.mqttUrl}"]`,
    '    protocol_version: "5"',
    "    clean_session: false",
    "    reconnect: { initial_ms: 500, max_ms: 5000 }",
    `    publish: { features: true, alerts: true, rollups: true, scores: true, raw: ${plan.uplinkRaw}, events: true }`,
    `    outbox: { max_bytes: ${plan.outboxMaxBytes}, segment_bytes: ${
      Math.min(4 << 20, Math.max(65536, Math.floor(plan.outboxMaxBytes / 8)))
    }, fsync: interval }`,
    "    replay: { max_messages_per_s: 5000, max_bytes_per_s: 8388608, max_inflight: 500 }",
    "    commands: { enabled: false }",
    "    queue: { journal: true }",
  );
  return L.join("\n") + "\n";
}
