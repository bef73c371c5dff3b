/**
 * @module The MQTT uplink sink: `write()` appends to the durable outbox and returns (that is the pipeline's
 * backpressure); the publisher drains the outbox over a connection kept up by the link; commands come back
 * on the command topic.
 */
import type { IClientOptions, MqttClient } from "mqtt";
import {
  type ComponentContext,
  errorMessage,
  HealthTracker,
  type Message,
  type MessageKind,
  RetryableError,
  type Sink,
  sleep,
} from "../../core/mod.ts";
import type { Codec, Publication } from "./codec.ts";
import { CommandHandler, type CommandResult, KeyRing } from "./commands/mod.ts";
import { JsonCodec } from "./json_codec.ts";
import { Link } from "./link.ts";
import { SinkMetrics } from "./metrics.ts";
import { type NewRecord, Outbox, RECORD_CLASSES, type RecordClass } from "./outbox/mod.ts";
import { Publisher } from "./publisher.ts";
import { KINDS_OF_CLASS, toRecords } from "./records.ts";
import type { MqttConfig } from "./schema.ts";
import { SparkplugCodec } from "./sparkplug/mod.ts";
import { Topics } from "./topics.ts";

/** Reads the TLS files of the config into client options. */
async function tlsOptions(tls: MqttConfig["tls"]): Promise<Partial<IClientOptions>> {
  const read = async (path: string | undefined, key: string) => {
    if (path === undefined) return undefined;
    try {
      return await Deno.readTextFile(path);
    } catch (error) {
      throw new TypeError(`tls.${key}: cannot read ${path}: ${errorMessage(error)}`, { cause: error });
    }
  };
  const out: Record<string, unknown> = { rejectUnauthorized: tls.reject_unauthorized };
  const ca = await read(tls.ca, "ca");
  const cert = await read(tls.cert, "cert");
  const key = await read(tls.key, "key");
  if (ca !== undefined) out.ca = ca;
  if (cert !== undefined) out.cert = cert;
  if (key !== undefined) out.key = key;
  if (tls.servername !== undefined) out.servername = tls.servername;
  return out;
}

/** The uplink. */
export class MqttSink implements Sink {
  readonly accepts: ReadonlySet<MessageKind>;
  readonly #classes: ReadonlySet<RecordClass>;
  readonly #health = new HealthTracker();
  #ctx: ComponentContext | undefined;
  #outbox: Outbox | undefined;
  #link: Link | undefined;
  #publisher: Publisher | undefined;
  #codec: Codec | undefined;
  #sparkplug: SparkplugCodec | undefined;
  #topics: Topics | undefined;
  #commands: CommandHandler | undefined;
  #metrics: SinkMetrics | undefined;

  constructor(private readonly config: MqttConfig) {
    const classes = RECORD_CLASSES.filter((c) => config.publish[c]);
    this.#classes = new Set(classes);
    this.accepts = new Set(classes.flatMap((c) => KINDS_OF_CLASS[c]));
  }

  /** The outbox (tests and benchmarks inspect it). */
  get outbox(): Outbox | undefined {
    return this.#outbox;
  }

  async start(ctx: ComponentContext): Promise<void> {
    this.#ctx = ctx;
    const c = this.config;
    const keys = await KeyRing.load(c.commands.trusted_keys, `sinks.${ctx.name}.commands.trusted_keys`);
    const tls = await tlsOptions(c.tls);
    await Deno.mkdir(ctx.stateDir, { recursive: true });
    const clientId = c.client_id ?? `${ctx.gateway.id}-${ctx.name}`;
    this.#topics = new Topics(c.topic_prefix, ctx.gateway.site, ctx.gateway.id);
    const qos = c.qos as Readonly<Record<RecordClass, number>>;
    if (c.mode === "sparkplug") {
      this.#sparkplug = await SparkplugCodec.open({
        group: c.sparkplug.group_id ?? ctx.gateway.site,
        node: c.sparkplug.edge_node_id ?? ctx.gateway.id,
        gateway: ctx.gateway,
        qos,
        stateDir: ctx.stateDir,
        tags: ctx.tags,
        topics: this.#topics,
        clock: () => ctx.now(),
      });
      this.#codec = this.#sparkplug;
    } else {
      this.#codec = new JsonCodec(this.#topics, ctx.gateway, qos, clientId, () => ctx.now());
    }
    this.#outbox = await Outbox.open({
      dir: `${ctx.stateDir}/outbox`,
      maxBytes: c.outbox.max_bytes,
      segmentBytes: c.outbox.segment_bytes,
      fsync: c.outbox.fsync,
      fsyncIntervalMs: c.outbox.fsync_interval_ms,
      cursorIntervalMs: c.outbox.cursor_interval_ms,
      lowerShare: c.replay.lower_class_share,
      clock: () => ctx.now(),
      onEvent: (e) => ctx.event(e),
    });
    this.#metrics = new SinkMetrics(ctx.metrics, ctx.name, this.#outbox, () => this.#link);
    this.#commands = new CommandHandler({
      ctx,
      keys,
      maxSkewMs: c.commands.max_skew_s * 1000,
      rebirth: () => this.#rebirth(),
      reply: (r) => this.#reply(r),
    });
    const client: IClientOptions = {
      protocolVersion: c.protocol_version === "5" ? 5 : 4,
      clientId,
      clean: c.clean_session,
      keepalive: c.keepalive_s,
      resubscribe: false,
      ...tls,
    };
    if (c.username !== undefined) client.username = c.username;
    if (c.password !== undefined) client.password = c.password;
    if (c.protocol_version === "5") client.properties = { sessionExpiryInterval: c.session_expiry_s };
    this.#link = new Link({
      brokers: c.brokers,
      client,
      backoff: { initialMs: c.reconnect.initial_ms, maxMs: c.reconnect.max_ms },
      connectTimeoutMs: c.connect_timeout_ms,
      will: () => this.#codec!.will(),
      logger: ctx.logger,
      onConnect: (cl, url) => this.#onConnect(cl, url),
      onDisconnect: (url, reason) => {
        this.#health.set("reconnecting");
        this.#health.error(`${url}: ${reason}`);
        ctx.event({
          type: "mqtt.disconnected",
          level: "warn",
          message: `uplink lost broker ${url} (${reason}); buffering in the outbox`,
          data: { broker: url },
        });
        this.#publisher?.poke();
      },
      onMessage: (topic, payload) => this.#onMessage(topic, payload),
      ...(c.failback.enabled
        ? {
          failback: {
            probeIntervalMs: c.failback.probe_interval_s * 1000,
            stableMs: c.failback.stable_s * 1000,
            drainTimeoutMs: c.failback.drain_timeout_s * 1000,
          },
          onLeave: (cl: MqttClient, url: string) => this.#onLeave(cl, url),
          onFailback: (from: string, to: string) => {
            this.#metrics!.failback();
            this.#health.set("reconnecting");
            ctx.event({
              type: "mqtt.failback",
              level: "info",
              message: `uplink left failover broker ${from} for preferred broker ${to}`,
              data: { from, to },
            });
          },
        }
        : {}),
    });
    this.#publisher = new Publisher(this.#outbox, this.#link, () => this.#codec!, {
      maxInflight: c.replay.max_inflight,
      messagesPerS: c.replay.max_messages_per_s,
      bytesPerS: c.replay.max_bytes_per_s,
      logger: ctx.logger,
      onPublished: (cls, bytes) => this.#metrics!.published(cls, bytes),
      onRejected: (record, topic, error) => {
        this.#metrics!.rejected(record.cls);
        ctx.event({
          type: "mqtt.rejected",
          level: "error",
          message: `broker refused message ${record.seq} on ${topic}: ${error}`,
          data: { seq: record.seq, topic },
        });
      },
    });
    this.#health.set("reconnecting");
    this.#link.start();
    this.#publisher.start();
  }

  async #onConnect(client: MqttClient, url: string): Promise<void> {
    const codec = this.#codec!;
    if (this.config.commands.enabled) {
      await client.subscribeAsync(codec.commandTopics(), { qos: 1 });
    }
    for (const p of codec.births()) {
      await client.publishAsync(p.topic, p.payload as string, { qos: p.qos, retain: p.retain });
    }
    this.#health.set("connected");
    this.#ctx!.event({
      type: "mqtt.connected",
      level: "info",
      message: `uplink connected to ${url}`,
      data: { broker: url, backlog: this.#outbox!.stats().count },
    });
    this.#publisher?.poke();
  }

  /**
   * Before a failback leaves `url` (the publisher takes nothing new meanwhile): waits for the in-flight
   * messages' PUBACKs, at most failback.drain_timeout_s (whatever is still unacknowledged then is re-sent on the
   * preferred broker, as at-least-once allows), then publishes the goodbye so the failover broker's retained
   * status (or Sparkplug NDEATH) does not claim a session that has moved.
   */
  async #onLeave(client: MqttClient, url: string): Promise<void> {
    const outbox = this.#outbox!;
    const timeoutMs = this.config.failback.drain_timeout_s * 1000;
    const deadline = Date.now() + timeoutMs;
    while (outbox.inflight > 0 && client.connected && Date.now() < deadline) await sleep(10);
    if (outbox.inflight > 0) {
      this.#ctx!.logger.warn(
        "failback: messages still unacknowledged; they are re-sent on the preferred broker",
        {
          broker: url,
          inflight: outbox.inflight,
        },
      );
    }
    const bye = this.#codec!.goodbye("failback");
    const timeout = new AbortController();
    await Promise.race([
      client.publishAsync(bye.topic, bye.payload as string, { qos: bye.qos, retain: bye.retain }),
      sleep(timeoutMs, timeout.signal),
    ]).finally(() => timeout.abort());
  }

  #onMessage(topic: string, payload: Uint8Array): void {
    try {
      const prefix = this.#topics!.commandPrefix;
      if (topic.startsWith(prefix)) {
        void this.#commands!.receive(topic.slice(prefix.length), payload);
      } else if (this.#sparkplug?.isNodeCommand(topic)) {
        for (const name of this.#sparkplug.nodeCommands(payload, this.#ctx!.logger)) {
          void this.#commands!.receive(
            name,
            new TextEncoder().encode(JSON.stringify({ id: `ncmd-${Date.now()}` })),
          );
        }
      }
    } catch (error) {
      this.#ctx!.logger.warn("ignored malformed downlink message", { topic, error: errorMessage(error) });
    }
  }

  async #rebirth(): Promise<void> {
    const link = this.#link!;
    this.#sparkplug?.rebirth();
    for (const p of this.#codec!.births()) await link.publish(p);
  }

  #reply(r: CommandResult): void {
    const link = this.#link;
    if (!link?.client) return;
    const p: Publication = {
      topic: this.#codec!.resultTopic(),
      payload: JSON.stringify(r),
      qos: 1,
      retain: false,
    };
    link.publish(p).catch((error) =>
      this.#ctx!.logger.warn("could not publish a command result", { error: errorMessage(error) })
    );
  }

  async write(messages: readonly Message[]): Promise<void> {
    const outbox = this.#outbox;
    if (!outbox) throw new RetryableError("mqtt sink is not started", { cause: undefined });
    const records: NewRecord[] = [];
    for (const m of messages) {
      for (const r of toRecords(m, this.#ctx!.tags)) if (this.#classes.has(r.cls)) records.push(r);
    }
    if (records.length === 0) return;
    try {
      const appended = await outbox.append(records);
      this.#metrics!.appended(appended);
    } catch (error) {
      throw new RetryableError(`outbox append failed: ${errorMessage(error)}`, { cause: error });
    }
    this.#publisher!.poke();
  }

  async stop(): Promise<void> {
    const deadline = Date.now() + 2000;
    while (this.#outbox && this.#outbox.inflight > 0 && this.#link?.client && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await this.#publisher?.stop();
    await this.#link?.stop(this.#codec ? [this.#codec.goodbye()] : []);
    await this.#commands?.idle();
    await this.#outbox?.close();
    this.#metrics?.close();
    this.#health.set("stopped");
  }

  health() {
    const h = this.#health;
    const link = this.#link;
    const outbox = this.#outbox;
    if (outbox) {
      const s = outbox.stats();
      h.detail("backlog_messages", s.count);
      h.detail("backlog_bytes", s.bytes);
      h.detail("oldest_age_s", Math.round(s.oldestAgeMs / 100) / 10);
      h.detail(
        "backlog_by_lane",
        Object.fromEntries(
          Object.entries(s.lanes).map((
            [lane, l],
          ) => [lane, {
            messages: l.count,
            bytes: l.bytes,
            oldest_age_s: Math.round(l.oldestAgeMs / 100) / 10,
          }]),
        ),
      );
      h.detail("disk_bytes", s.diskBytes);
      h.detail("refusing_new_data", s.refusing);
      h.detail("dropped", Object.fromEntries(outbox.dropped));
      h.detail("refused", Object.fromEntries(outbox.refused));
      h.detail("last_seq", outbox.lastSeq);
    }
    if (link) {
      h.detail("broker", link.url ?? null);
      h.detail("reconnects", link.reconnects);
      h.detail("failbacks", link.failbacks);
      h.detail("brokers", Object.fromEntries([...link.brokers].map(([u, b]) => [u, { ...b }])));
    }
    if (this.#commands) {
      h.detail("commands_accepted", this.#commands.accepted);
      h.detail("commands_refused", this.#commands.refused);
    }
    h.detail("mode", this.config.mode);
    if (this.#publisher?.lastError) h.detail("last_publish_error", this.#publisher.lastError);
    return h.snapshot();
  }
}
