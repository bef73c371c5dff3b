/**
 * @module The OPC UA source: one endpoint, supervised so it never needs a manual restart.
 */
import type { OPCUACertificateManager } from "node-opcua-certificate-manager";
import {
  Backoff,
  errorMessage,
  Quality,
  type Sample,
  sleep,
  type Source,
  type SourceContext,
  Status,
  type TagMeta,
  tagMetaFrom,
} from "../../core/mod.ts";
import { ClockAudit } from "../_common/clock_audit.ts";
import { Connection } from "./connection.ts";
import { Dedup } from "./dedup.ts";
import { EndpointStatus } from "./endpoint_status.ts";
import { type Limits, readLimits } from "./limits.ts";
import { LastSeen } from "./last_seen.ts";
import { bridgeNodeOpcuaLog } from "./log_bridge.ts";
import { guardNodeOpcuaRejections } from "./rejection_guard.ts";
import { readMetadata, type ServerMeta } from "./metadata.ts";
import { defaultPkiDir, openPki } from "./pki.ts";
import { Poller } from "./poller.ts";
import type { OpcuaSourceConfig } from "./schema.ts";
import { SubscriptionSet } from "./subscriptions.ts";
import { type Acquisition, type AcquisitionHooks, type Target, targetsOf } from "./targets.ts";
import { runBackfill } from "./source_backfill.ts";

/** Reads one OPC UA server by subscription or polling; reconnects, resubscribes and backfills by itself. */
export class OpcuaSource implements Source {
  readonly #targets: Target[];
  readonly #byTag = new Map<string, Target>();
  readonly #abort = new AbortController();
  #ctx: SourceContext | undefined;
  #status: EndpointStatus | undefined;
  #audit: ClockAudit | undefined;
  #lastSeen: LastSeen | undefined;
  #pki: OPCUACertificateManager | undefined;
  #loop: Promise<void> | undefined;
  #saver: ReturnType<typeof setInterval> | undefined;
  #unbridge: (() => void) | undefined;
  #metaRead = false;
  #lostAt: number | undefined;
  #everConnected = false;
  #stopped = false;
  readonly #dedup = new Dedup();

  constructor(private readonly config: OpcuaSourceConfig) {
    this.#targets = targetsOf(config);
    for (const t of this.#targets) this.#byTag.set(t.tag, t);
  }

  /** The PKI folder this source uses (for the trust workflow). */
  get pkiDir(): string {
    return this.config.pki_dir ?? defaultPkiDir(this.#ctx?.stateDir ?? ".");
  }

  async start(ctx: SourceContext): Promise<void> {
    this.#ctx = ctx;
    ctx.signal.addEventListener("abort", () => this.#abort.abort(), { once: true });
    this.#unbridge = bridgeNodeOpcuaLog(ctx.logger);
    guardNodeOpcuaRejections(ctx.logger);
    const c = this.config;
    this.#status = new EndpointStatus(c.endpoint, `${c.security.mode}/${c.security.policy}`, () => ctx.now());
    this.#status.items.configured = this.#targets.length;
    this.#audit = new ClockAudit({
      toleranceMs: c.clock_tolerance_ms,
      onChange: (e) =>
        ctx.event({
          type: "data_quality.clock_offset",
          level: e.exceeded ? "warn" : "info",
          message: e.exceeded
            ? `clock of ${c.endpoint} is off by ${
              Math.round(e.offsetMs)
            } ms (tolerance ${c.clock_tolerance_ms} ms)`
            : `clock of ${c.endpoint} is back within tolerance (${Math.round(e.offsetMs)} ms)`,
          data: { endpoint: c.endpoint, offsetMs: e.offsetMs, driftPpm: e.driftPpm, exceeded: e.exceeded },
        }),
    });
    ctx.defineTags(this.#tagMetas([]));
    this.#lastSeen = new LastSeen(`${ctx.stateDir}/last_seen.json`);
    const problem = await this.#lastSeen.load();
    if (problem) ctx.logger.warn(problem);
    this.#pki = await openPki(this.pkiDir, c.auto_accept_unknown_certificates);
    this.#saver = setInterval(() => this.#save(), 5000);
    this.#loop = this.#supervise();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    clearInterval(this.#saver);
    await this.#loop;
    await this.#save();
    await this.#pki?.dispose();
    this.#unbridge?.();
  }

  health() {
    const audit = this.#audit?.estimate() ?? { offsetMs: 0, driftPpm: 0, samples: 0, exceeded: false };
    if (!this.#status) return { state: "starting" as const, since: Date.now() };
    return this.#status.snapshot(audit, this.#stopped);
  }

  async #save(): Promise<void> {
    try {
      await this.#lastSeen?.save();
    } catch (error) {
      this.#ctx?.logger.warn("cannot persist last-seen timestamps", { error: errorMessage(error) });
    }
  }

  #tagMetas(server: readonly ServerMeta[]): TagMeta[] {
    return this.config.nodes.map((n, i) => {
      const s = server[i] ?? {};
      const extra: Record<string, unknown> = { dataType: s.dataType ?? "float", address: n.node_id };
      if (s.unit !== undefined) extra.unit = s.unit;
      if (s.description !== undefined) extra.description = s.description;
      if (s.range !== undefined) extra.range = s.range;
      return tagMetaFrom(this.config.name, n.name, n, extra as { dataType: TagMeta["dataType"] });
    });
  }

  async #supervise(): Promise<void> {
    const ctx = this.#ctx!;
    const status = this.#status!;
    const signal = this.#abort.signal;
    const backoff = new Backoff({
      initialMs: this.config.reconnect.initial_ms,
      maxMs: this.config.reconnect.max_ms,
    });
    const aborted = new Promise<string>((r) =>
      signal.addEventListener("abort", () => r("stopped"), { once: true })
    );
    while (!signal.aborted) {
      let conn: Connection | undefined;
      let acq: Acquisition | undefined;
      let filling: Promise<void> | undefined;
      let reason: string;
      try {
        if (status.reconnectingSince !== undefined) await this.#reopenPki();
        conn = await Connection.open(this.config, this.#pki!, this.pkiDir);
        if (signal.aborted) break;
        const session = conn.session!;
        const limits = await readLimits(
          session,
          this.config.max_items_per_call,
          this.config.max_items_per_subscription,
        );
        if (this.config.read_metadata && !this.#metaRead) {
          ctx.defineTags(
            this.#tagMetas(await readMetadata(session, this.#targets.map((t) => t.nodeId), limits)),
          );
          this.#metaRead = true;
        }
        const connectedAt = ctx.now();
        const c = conn;
        const hooks: AcquisitionHooks = {
          deliver: (samples) => this.#deliver(samples),
          fail: (why) => c.fail(why),
          rejected: (items) => this.#rejected(items),
        };
        status.items.failed = 0;
        status.refused = [];
        this.#dedup.reset();
        acq = this.config.mode === "poll"
          ? new Poller(session, this.#targets, limits, this.config.poll_interval_ms, hooks, ctx.now)
          : new SubscriptionSet(session, this.config, limits, this.#targets, hooks, ctx.now);
        await acq.start();
        this.#onConnected(connectedAt, acq);
        backoff.reset();
        if (this.config.backfill.enabled) filling = this.#backfill(session, limits, connectedAt);
        const statsTimer = setInterval(() => this.#updateStats(acq!), 1000);
        reason = await Promise.race([conn.lost, aborted]);
        clearInterval(statsTimer);
      } catch (error) {
        reason = errorMessage(error);
      }
      await acq?.stop();
      await conn?.close();
      await filling;
      if (signal.aborted) break;
      this.#onDisconnected(reason);
      await sleep(backoff.next(), signal);
    }
    status.connected = false;
  }

  /** Rescans the PKI folder so certificates trusted meanwhile (`gateway trust accept`) take effect. */
  async #reopenPki(): Promise<void> {
    const fresh = await openPki(this.pkiDir, this.config.auto_accept_unknown_certificates);
    const old = this.#pki;
    this.#pki = fresh;
    await old?.dispose();
  }

  #updateStats(acq: Acquisition): void {
    const s = acq.stats();
    const status = this.#status!;
    status.subscriptions = s.subscriptions;
    status.items.monitored = s.monitored;
    status.items.failed = s.failed;
  }

  #onConnected(at: number, acq: Acquisition): void {
    const ctx = this.#ctx!;
    const status = this.#status!;
    this.#updateStats(acq);
    const wasLost = this.#lostAt;
    if (this.#everConnected) status.reconnects++;
    else this.#reportDowntime(at);
    this.#everConnected = true;
    status.up();
    this.#lostAt = undefined;
    ctx.event({
      type: "source.connected",
      level: "info",
      message: `connected to ${this.config.endpoint} (${status.security}, ${status.items.monitored} items` +
        `${status.subscriptions ? ` in ${status.subscriptions} subscriptions` : ", polling"})`,
      data: {
        endpoint: this.config.endpoint,
        items: { ...status.items },
        subscriptions: status.subscriptions,
      },
    });
    if (wasLost !== undefined) {
      const durationMs = at - wasLost;
      status.lastGapMs = durationMs;
      ctx.event({
        type: "source.data_gap",
        level: "warn",
        message: `no data from ${this.config.endpoint} for ${(durationMs / 1000).toFixed(1)} s`,
        data: { endpoint: this.config.endpoint, from: wasLost, to: at, durationMs, cause: "connection" },
      });
    }
  }

  /** After a gateway restart: the gap since the newest timestamp persisted before it went down. */
  #reportDowntime(at: number): void {
    const newest = this.#lastSeen!.newest();
    if (newest === undefined || at - newest < this.config.backfill.min_gap_ms) return;
    const durationMs = at - newest;
    this.#status!.lastGapMs = durationMs;
    this.#ctx!.event({
      type: "source.data_gap",
      level: "warn",
      message: `no data from ${this.config.endpoint} for ${
        (durationMs / 1000).toFixed(1)
      } s while the gateway was down`,
      data: { endpoint: this.config.endpoint, from: newest, to: at, durationMs, cause: "gateway_down" },
    });
  }

  #onDisconnected(reason: string): void {
    const ctx = this.#ctx!;
    const status = this.#status!;
    const wasConnected = status.connected;
    status.down(reason);
    if (!wasConnected) {
      ctx.logger.warn("cannot connect", { endpoint: this.config.endpoint, error: reason });
      return;
    }
    const now = ctx.now();
    this.#lostAt = now;
    ctx.logger.warn("connection lost", { endpoint: this.config.endpoint, error: reason });
    ctx.event({
      type: "source.disconnected",
      level: "warn",
      message: `lost ${this.config.endpoint}: ${reason}`,
      data: { endpoint: this.config.endpoint, reason },
    });
    // Mark every tag not connected so consumers see the outage instead of a frozen last value.
    ctx.emit(this.#targets.map((t): Sample => ({
      tag: t.tag,
      value: Number.NaN,
      ts: now,
      recv: now,
      quality: Quality.Bad,
      status: Status.BadNotConnected,
      reason: `connection lost: ${reason}`,
    })));
  }

  #deliver(all: Sample[]): void {
    const samples = this.#dedup.live(all);
    if (samples.length === 0) return;
    const ctx = this.#ctx!;
    const last = this.#lastSeen!;
    for (const s of samples) {
      const t = this.#byTag.get(s.tag);
      if (t) last.see(t.nodeId, s.ts);
    }
    const probe = samples[samples.length - 1]!;
    if (probe.quality !== Quality.Bad && probe.ts !== probe.recv) this.#audit!.observe(probe.ts, probe.recv);
    this.#status!.values += samples.length;
    ctx.emit(samples);
  }

  #rejected(items: readonly { target: Target; status: number; name: string }[]): void {
    const ctx = this.#ctx!;
    const status = this.#status!;
    status.items.failed += items.length;
    status.refused = [...status.refused, ...items.map((i) => `${i.target.nodeId}: ${i.name}`)].slice(-100);
    const now = ctx.now();
    ctx.emit(items.map((i): Sample => ({
      tag: i.target.tag,
      value: Number.NaN,
      ts: now,
      recv: now,
      quality: Quality.Bad,
      status: i.status,
      reason: `server refused ${i.target.nodeId}: ${i.name}`,
    })));
    ctx.logger.warn("server refused nodes; retrying later", {
      endpoint: this.config.endpoint,
      count: items.length,
      first: `${items[0]?.target.nodeId}: ${items[0]?.name}`,
      retry_ms: this.config.item_retry_ms,
    });
  }

  async #backfill(
    session: Connection["session"] & object,
    limits: Limits,
    connectedAt: number,
  ): Promise<void> {
    try {
      await runBackfill({
        session,
        limits,
        connectedAt,
        config: this.config,
        targets: this.#targets,
        lastSeen: this.#lastSeen!,
        ctx: this.#ctx!,
        status: this.#status!,
        dedup: this.#dedup,
        aborted: () => this.#abort.signal.aborted,
      });
    } catch (error) {
      this.#ctx!.logger.warn("backfill failed", {
        endpoint: this.config.endpoint,
        error: errorMessage(error),
      });
    }
  }
}
