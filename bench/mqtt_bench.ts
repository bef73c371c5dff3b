/**
 * @module MQTT uplink benchmarks against a local mosquitto: end-to-end sink throughput at QoS 0 and QoS 1
 * (anchor: a bare mqtt.js publish loop in the same run), outbox append rate with fsync per batch (anchor:
 * raw write + fdatasync of the same bytes), the replay time of a one-hour backlog at the demo's rate, and
 * delivery priority: how soon alerts and features of a raw-heavy backlog (and a live alert written during
 * its replay) reach an upstream subscriber, against the time the whole backlog takes.
 */
import mqtt from "mqtt";
import { type ComponentContext, createLogger, type Message, Metrics, TagStore } from "../core/mod.ts";
import { type MqttConfig, mqttSchema, MqttSink } from "../adapters/mqtt/mod.ts";
import { type NewRecord, Outbox } from "../adapters/mqtt/outbox/mod.ts";
import { startBroker } from "../tests/adapters/mqtt/_broker.ts";
import { type BenchSuite, formatRate, type Measurement, printTable } from "./harness.ts";

const N = 20_000;
/** Demo plant uplink rate: 2 assets x 1 feature vector/s + 6 tags x 1 rollup/s (1s interval) = 8 msg/s. */
const DEMO_RATE = 8;
const HOUR = 3600 * DEMO_RATE;

function rate(name: string, ops: number, ms: number): Measurement {
  const nsPerOp = (ms * 1e6) / ops;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

function feature(i: number): Message {
  return {
    kind: "features",
    features: {
      asset: `asset-${i % 4}`,
      windowStart: 1_700_000_000_000 + i,
      windowEnd: 1_700_000_001_000 + i,
      computedAt: 1_700_000_001_000 + i,
      schemaVersion: 1,
      features: {
        "vib_x.rms": 0.5,
        "vib_x.peak": 1.2,
        "vib_x.crest": 2.4,
        "vib_x.kurtosis": 3.1,
        "temp.mean": 48.2,
      },
      quality: { worst: "good", goodShare: 1 },
    },
  };
}
const PAYLOAD = JSON.stringify(feature(0));

async function bareLoop(url: string, qos: 0 | 1, n: number): Promise<number> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      let left = n;
      for (let i = 0; i < n; i++) {
        client.publish(`bench/bare/asset-${i % 4}`, PAYLOAD, { qos }, (err) => {
          if (err) reject(err);
          else if (--left === 0) resolve();
        });
      }
    });
    return performance.now() - t0;
  } finally {
    await client.endAsync();
  }
}

function ctxFor(dir: string, metrics: Metrics): ComponentContext {
  return {
    name: "bench",
    gateway: { id: "bench-gw", site: "bench", version: "bench" },
    logger: createLogger({ level: "error" }),
    metrics,
    tags: new TagStore(16),
    signal: new AbortController().signal,
    stateDir: dir,
    event: () => {},
    now: () => Date.now(),
    provide: () => {},
    lookup: () => undefined,
  };
}

function config(url: string, qos: 0 | 1, paced: boolean): MqttConfig {
  const r = mqttSchema.parse({
    brokers: [url],
    qos: { features: qos },
    publish: { events: false },
    outbox: { fsync: "interval", fsync_interval_ms: 200 },
    replay: paced ? {} : { max_messages_per_s: 0, max_bytes_per_s: 0, max_inflight: 900 },
    commands: { enabled: false },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { ...r.value, name: "bench" } as MqttConfig;
}

async function waitDrained(sink: MqttSink): Promise<void> {
  while ((sink.health().details?.backlog_messages as number) > 0 || sink.health().state !== "connected") {
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Sink end to end: write() N messages (appends) and wait until the broker acknowledged all. */
async function sinkRun(url: string, qos: 0 | 1): Promise<{ ms: number; bytes: number }> {
  const dir = await Deno.makeTempDir({ prefix: "mqtt_bench_" });
  const metrics = new Metrics();
  const sink = new MqttSink(config(url, qos, false));
  try {
    await sink.start(ctxFor(dir, metrics));
    await waitDrained(sink);
    const batch = Array.from({ length: 500 }, (_, i) => feature(i));
    const t0 = performance.now();
    for (let i = 0; i < N; i += batch.length) await sink.write(batch);
    await waitDrained(sink);
    const ms = performance.now() - t0;
    const bytes = metrics.counter("gateway_mqtt_published_bytes_total", "").get({ sink: "bench" });
    return { ms, bytes };
  } finally {
    await sink.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

async function appendBench(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mqtt_bench_outbox_" });
  try {
    const BATCH = 100, BATCHES = 200;
    const records: NewRecord[] = Array.from({ length: BATCH }, (_, i) => ({
      cls: "features",
      kind: "features",
      key: `asset-${i % 4}`,
      eventTs: i,
      quality: 0,
      data: PAYLOAD,
    }));
    const box = await Outbox.open({
      dir: `${dir}/box`,
      maxBytes: 1 << 30,
      segmentBytes: 4 << 20,
      fsync: "batch",
      fsyncIntervalMs: 200,
      cursorIntervalMs: 1000,
    });
    let t0 = performance.now();
    for (let b = 0; b < BATCHES; b++) await box.append(records);
    const boxMs = performance.now() - t0;
    await box.close();
    // Anchor: the same bytes written with one write + fdatasync per batch, nothing else.
    const chunk = new Uint8Array(BATCH * (PAYLOAD.length + 60));
    const file = await Deno.open(`${dir}/raw.bin`, { write: true, create: true, append: true });
    t0 = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      await file.write(chunk);
      await file.syncData();
    }
    const rawMs = performance.now() - t0;
    file.close();
    printTable(
      `outbox append, fsync per batch of ${BATCH} (${PAYLOAD.length}-byte features)`,
      rate("raw write+fdatasync", BATCH * BATCHES, rawMs),
      [rate("outbox.append", BATCH * BATCHES, boxMs)],
      "rec/s",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Fills an outbox with a one-hour backlog offline, then times the replay. */
async function replayBench(url: string): Promise<void> {
  const results: Measurement[] = [];
  for (const paced of [false, true]) {
    const dir = await Deno.makeTempDir({ prefix: "mqtt_bench_replay_" });
    try {
      const box = await Outbox.open({
        dir: `${dir}/outbox`,
        maxBytes: 1 << 30,
        segmentBytes: 4 << 20,
        fsync: "interval",
        fsyncIntervalMs: 1000,
        cursorIntervalMs: 1000,
      });
      for (let i = 0; i < HOUR; i += 1000) {
        await box.append(Array.from({ length: 1000 }, (_, k) => ({
          cls: "features" as const,
          kind: "features",
          key: `asset-${k % 4}`,
          eventTs: i + k,
          quality: 0,
          data: PAYLOAD,
        })));
      }
      await box.close();
      const sink = new MqttSink(config(url, 1, paced));
      const t0 = performance.now();
      await sink.start(ctxFor(dir, new Metrics()));
      await waitDrained(sink);
      results.push(
        rate(
          paced ? "sink replay, default pacing (2000 msg/s)" : "sink replay, unpaced",
          HOUR,
          performance.now() - t0,
        ),
      );
      await sink.stop();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  const anchorMs = await bareLoop(url, 1, HOUR);
  printTable(
    `replay of a 1-hour backlog at the demo's rate (${DEMO_RATE} msg/s = ${HOUR} messages, QoS 1)`,
    rate("bare mqtt.js QoS 1 loop", HOUR, anchorMs),
    results,
    "msg/s",
  );
  for (const r of results) {
    console.log(`- ${r.name}: ${((HOUR * r.nsPerOp) / 1e9).toFixed(2)} s for one hour of backlog`);
  }
}

/** Raw-heavy backlog (the chaos run's shape): alerts and features spread evenly through the raw records. */
async function fillMixed(dir: string, raw: number, high: number): Promise<void> {
  const box = await Outbox.open({
    dir: `${dir}/outbox`,
    maxBytes: 1 << 30,
    segmentBytes: 4 << 20,
    fsync: "interval",
    fsyncIntervalMs: 1000,
    cursorIntervalMs: 1000,
  });
  const every = Math.floor(raw / high);
  const rawData = JSON.stringify({
    tag: "plant.t1",
    asset: "asset-1",
    unit: "C",
    samples: [{ ts: 1_700_000_000_000, v: 48.2, q: "good" }],
  });
  const records: NewRecord[] = [];
  for (let i = 0; i < raw; i++) {
    records.push({
      cls: "raw",
      kind: "samples",
      key: `plant.t${i % 50}`,
      eventTs: i,
      quality: 0,
      data: rawData,
    });
    if (i % every === 0) {
      const cls = (i / every) % 3 === 0 ? "alerts" : "features";
      records.push({ cls, kind: cls, key: `asset-${i % 4}`, eventTs: i, quality: 0, data: PAYLOAD });
    }
  }
  for (let i = 0; i < records.length; i += 1000) await box.append(records.slice(i, i + 1000));
  await box.close();
}

/** Replays a raw-heavy backlog at 5000 msg/s; times the high classes, a live alert and the whole backlog. */
async function priorityBench(url: string): Promise<void> {
  const RAW = 20_000, HIGH = 300, RATE = 5000;
  const dir = await Deno.makeTempDir({ prefix: "mqtt_bench_prio_" });
  const sub = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
  const r = mqttSchema.parse({
    brokers: [url],
    publish: { raw: true, events: false },
    qos: { raw: 1 },
    replay: { max_messages_per_s: RATE, max_bytes_per_s: 0 },
    commands: { enabled: false },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const sink = new MqttSink({ ...r.value, name: "bench" } as MqttConfig);
  try {
    let high = 0, total = 0, live = 0, highAt = 0, rawAtHigh = 0;
    sub.on("message", (topic) => {
      total++;
      if (/\/(alerts|features)\//.test(topic) && ++high === HIGH) {
        highAt = performance.now();
        rawAtHigh = total - high;
      }
      if (topic.endsWith("/alerts/live")) live = performance.now();
    });
    await sub.subscribeAsync("gateway/bench/bench-gw/+/#", { qos: 1 });
    await fillMixed(dir, RAW, HIGH);
    const t0 = performance.now();
    await sink.start(ctxFor(dir, new Metrics()));
    const wait = async (pred: () => boolean) => {
      while (!pred()) await new Promise((res) => setTimeout(res, 1));
    };
    await wait(() => high >= HIGH);
    const tHigh = highAt - t0;
    const tWrite = performance.now();
    await sink.write([{
      kind: "alert",
      alert: {
        id: "live-1",
        asset: "live",
        kind: "anomaly",
        severity: "critical",
        state: "active",
        acknowledged: false,
        raisedAt: Date.now(),
        message: "live alert during replay",
        contributions: [],
      },
    }]);
    await wait(() => live > 0);
    const tLive = live - tWrite;
    await wait(() => total >= RAW + HIGH + 1);
    const tAll = performance.now() - t0;
    const one = (name: string, ms: number): Measurement => rate(name, 1, ms);
    printTable(
      `delivery priority: ${RAW} raw + ${HIGH} alerts/features (spread evenly) replayed at ${RATE} msg/s, QoS 1`,
      one("whole backlog at the subscriber", tAll),
      [
        one("all alerts and features at the subscriber", tHigh),
        one("alert written mid-replay, latency", tLive),
      ],
      "/s",
    );
    console.log(
      `- ${rawAtHigh} raw messages arrived before the last alert/feature (in global sequence order it would be ` +
        `~${RAW}); whole backlog ${(tAll / 1000).toFixed(2)} s, alerts+features ${tHigh.toFixed(0)} ms, ` +
        `live alert ${tLive.toFixed(1)} ms`,
    );
  } finally {
    await sink.stop();
    await sub.endAsync();
    await Deno.remove(dir, { recursive: true });
  }
}

export const mqttSuite: BenchSuite = {
  name: "mqtt",
  async run() {
    const broker = await startBroker();
    try {
      for (const qos of [0, 1] as const) {
        await bareLoop(broker.url, qos, 2000); // warm-up
        const bares: number[] = [], sinks: { ms: number; bytes: number }[] = [];
        for (let round = 0; round < 3; round++) {
          bares.push(await bareLoop(broker.url, qos, N));
          sinks.push(await sinkRun(broker.url, qos));
        }
        const bare = bares.sort((a, b) => a - b)[1]!;
        const sink = sinks.sort((a, b) => a.ms - b.ms)[1]!;
        printTable(
          `uplink throughput, QoS ${qos}, ${N} feature messages, median of 3 (~${
            PAYLOAD.length + 190
          } bytes on the wire)`,
          rate(`bare mqtt.js QoS ${qos} loop`, N, bare),
          [rate("mqtt sink (outbox + publisher)", N, sink.ms)],
          "msg/s",
        );
        console.log(`- sink payload rate: ${formatRate((sink.bytes * 1000) / sink.ms, "B/s")}`);
      }
      await appendBench();
      await replayBench(broker.url);
      await priorityBench(broker.url);
      console.log(
        "\nPublished elsewhere (not measured here): mosquitto saturates around 100k msg/s on one core; " +
          "mqtt.js 10-31k msg/s QoS 1 pipelined.",
      );
    } finally {
      await broker.stop();
      await Deno.remove(broker.dir, { recursive: true });
    }
  },
};
