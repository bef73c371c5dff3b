/**
 * @module Sparkplug B scheme: spBv1.0/{group}/NBIRTH|NDATA|NDEATH|DBIRTH|DDATA/{edge node}/{device}.
 * bdSeq persisted and carried by NBIRTH and the NDEATH will; seq 0..255 wrapping over births and data;
 * metric aliases declared in births and used alone in data; a device is (re)born before its first data
 * on a connection and whenever it gains a metric; replayed records are marked is_historical.
 */
import type { GatewayIdentity, Logger, TagReader } from "../../../core/mod.ts";
import type { Codec, Publication } from "../codec.ts";
import type { OutboxRecord, RecordClass } from "../outbox/mod.ts";
import { topicLevel, type Topics } from "../topics.ts";
import { metricsOf, type MetricValue } from "./metrics_of.ts";
import { DataType, type DataTypeCode, decodeCommandMetrics, encodePayload, type Metric } from "./payload.ts";

/** Sparkplug namespace. */
export const NAMESPACE = "spBv1.0";
const REBIRTH = "Node Control/Rebirth";

interface Known {
  readonly alias: number;
  readonly datatype: DataTypeCode;
  last: MetricValue["value"];
  ts: number;
}

/** Options of {@link SparkplugCodec.open}. */
export interface SparkplugOptions {
  readonly group: string;
  readonly node: string;
  readonly gateway: GatewayIdentity;
  readonly qos: Readonly<Record<RecordClass, number>>;
  readonly stateDir: string;
  readonly tags: TagReader;
  readonly topics: Topics;
  readonly clock: () => number;
}

/** The Sparkplug B codec of one edge node. */
export class SparkplugCodec implements Codec {
  readonly #devices = new Map<string, Map<string, Known>>();
  readonly #node = new Map<string, Known>();
  readonly #born = new Set<string>();
  #alias = 0;
  #seq = 0;
  #bdSeq: number;

  private constructor(private readonly o: SparkplugOptions, bdSeq: number) {
    this.#bdSeq = bdSeq;
    const now = o.clock();
    const node = (name: string, datatype: DataTypeCode, last: MetricValue["value"]) =>
      this.#node.set(name, { alias: this.#alias++, datatype, last, ts: now });
    node("bdSeq", DataType.Int64, bdSeq);
    node(REBIRTH, DataType.Boolean, false);
    node("Node Info/Gateway Version", DataType.String, o.gateway.version);
    node("Node Info/Site", DataType.String, o.gateway.site);
    node("Events/Last", DataType.String, "");
  }

  /** Loads the persisted bdSeq. */
  static async open(o: SparkplugOptions): Promise<SparkplugCodec> {
    let bdSeq = -1;
    try {
      const v = JSON.parse(await Deno.readTextFile(`${o.stateDir}/sparkplug.json`)) as { bdSeq?: unknown };
      if (typeof v.bdSeq === "number" && v.bdSeq >= 0 && v.bdSeq < 256) bdSeq = v.bdSeq;
    } catch {
      // first start (or unreadable): start at 0
    }
    return new SparkplugCodec(o, bdSeq);
  }

  #topic(type: string, device?: string): string {
    const base = `${NAMESPACE}/${this.o.group}/${type}/${this.o.node}`;
    return device === undefined ? base : `${base}/${topicLevel(device)}`;
  }

  #nextSeq(): number {
    const s = this.#seq;
    this.#seq = (this.#seq + 1) % 256;
    return s;
  }

  #birthMetrics(known: Map<string, Known>): Metric[] {
    return [...known].map(([name, k]) => ({
      name,
      alias: k.alias,
      timestamp: k.ts,
      datatype: k.datatype,
      value: k.last,
    }));
  }

  #death(): Publication {
    const payload = encodePayload({
      timestamp: this.o.clock(),
      metrics: [{ name: "bdSeq", datatype: DataType.Int64, value: this.#bdSeq }],
    });
    return { topic: this.#topic("NDEATH"), payload, qos: 1, retain: false };
  }

  /** Called for every CONNECT: a new bdSeq, persisted, carried by the NDEATH will and the next NBIRTH. */
  will(): Publication {
    this.#bdSeq = (this.#bdSeq + 1) % 256;
    this.#node.get("bdSeq")!.last = this.#bdSeq;
    try {
      Deno.writeTextFileSync(`${this.o.stateDir}/sparkplug.json`, JSON.stringify({ bdSeq: this.#bdSeq }));
    } catch {
      // The directory is created before connecting; a failure only risks a repeated bdSeq after a crash.
    }
    return this.#death();
  }

  #dbirth(device: string): Publication {
    const known = this.#devices.get(device)!;
    const payload = encodePayload({
      timestamp: this.o.clock(),
      metrics: this.#birthMetrics(known),
      seq: this.#nextSeq(),
    });
    this.#born.add(device);
    return { topic: this.#topic("DBIRTH", device), payload, qos: 0, retain: false };
  }

  /** NBIRTH (seq 0) and a DBIRTH for every device known so far. */
  births(): Publication[] {
    this.#seq = 0;
    this.#born.clear();
    const nbirth = encodePayload({
      timestamp: this.o.clock(),
      metrics: this.#birthMetrics(this.#node),
      seq: this.#nextSeq(),
    });
    const out: Publication[] = [{ topic: this.#topic("NBIRTH"), payload: nbirth, qos: 0, retain: false }];
    for (const device of this.#devices.keys()) out.push(this.#dbirth(device));
    return out;
  }

  /** A rebirth was requested: the next births() starts over (the caller publishes them). */
  rebirth(): void {
    this.#born.clear();
  }

  goodbye(): Publication {
    return this.#death();
  }

  encode(record: OutboxRecord, replayed: boolean): Publication[] {
    const { device, metrics } = metricsOf(record);
    const known = device === undefined ? this.#node : this.#devices.get(device) ?? new Map<string, Known>();
    if (device !== undefined && !this.#devices.has(device)) this.#devices.set(device, known);
    let grew = false;
    const data: Metric[] = [];
    for (const m of metrics) {
      let k = known.get(m.name);
      if (!k) {
        if (device === undefined) continue; // node metrics are fixed at NBIRTH
        k = { alias: this.#alias++, datatype: m.datatype, last: null, ts: m.timestamp };
        known.set(m.name, k);
        grew = true;
      }
      const value = coerce(m.value, k.datatype);
      if (k.datatype !== DataType.DataSet) k.last = value;
      k.ts = m.timestamp;
      const metric: { -readonly [P in keyof Metric]: Metric[P] } = {
        alias: k.alias,
        timestamp: m.timestamp,
        datatype: k.datatype,
        value,
      };
      if (replayed) metric.isHistorical = true;
      if (m.properties) metric.properties = m.properties;
      data.push(metric);
    }
    const out: Publication[] = [];
    if (device !== undefined && (grew || !this.#born.has(device))) out.push(this.#dbirth(device));
    const type = device === undefined ? "NDATA" : "DDATA";
    const payload = encodePayload({ timestamp: this.o.clock(), metrics: data, seq: this.#nextSeq() });
    out.push({
      topic: this.#topic(type, device),
      payload,
      qos: this.o.qos[record.cls] === 1 ? 1 : 0,
      retain: false,
    });
    return out;
  }

  commandTopics(): string[] {
    return [this.#topic("NCMD"), this.o.topics.commands];
  }

  resultTopic(): string {
    return this.o.topics.results;
  }

  /** Whether `topic` is this node's NCMD topic. */
  isNodeCommand(topic: string): boolean {
    return topic === this.#topic("NCMD");
  }

  /** Commands requested by an NCMD payload (`rebirth` for Node Control/Rebirth = true). */
  nodeCommands(payload: Uint8Array, logger: Logger): string[] {
    const rebirthAlias = this.#node.get(REBIRTH)!.alias;
    const out: string[] = [];
    for (const m of decodeCommandMetrics(payload)) {
      if ((m.name === REBIRTH || (m.name === undefined && m.alias === rebirthAlias)) && m.value === true) {
        out.push("rebirth");
      } else {
        logger.warn("unsupported Sparkplug node command ignored", { metric: m.name ?? `alias ${m.alias}` });
      }
    }
    return out;
  }
}

function coerce(v: MetricValue["value"], datatype: DataTypeCode): MetricValue["value"] {
  if (v === null || typeof v === "object") return v;
  if (datatype === DataType.Double || datatype === DataType.Int64) {
    const n = typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
    return Number.isFinite(n) || datatype === DataType.Double ? n : null;
  }
  if (datatype === DataType.Boolean) return typeof v === "boolean" ? v : Boolean(v);
  return String(v);
}
