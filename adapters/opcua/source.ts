/**
 * @module The OPC UA source: one endpoint, supervised so it never needs a manual restart.
 */
import type { OPCUACertificateManager } from "node-opcua-certificate-manager";
import {
  Backoff,
  type Counter,
  errorMessage,
  Quality,
  type Sample,
  sleep,
  type Source,
  type SourceContext,
  type TagMeta,
  tagMetaFrom,
} from "../../core/mod.ts";
import { ClockAudit } from "../_common/clock_audit.ts";
import { Connection } from "./connection.ts";
import { Dedup } from "./dedup.ts";
import { EndpointStatus } from "./endpoint_status.ts";
import { EndpointReporter } from "./reporter.ts";
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
  #uncollect: (() => void) | undefined;
  #metaRead = false;
  #stopped = false;
  readonly #dedup = new Dedup();
  #repeats: Counter | undefined;

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
    const status = this.#status;
    this.#uncollect = ctx.metrics.gauge(
      "gateway_opcua_items_unavailable",
      "OPC UA monitored items whose node is currently missing, gone or unreadable",
    ).collect(() => [[{ source: ctx.name }, status.items.unavailable]]);
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
    try {
      this.#pki = await openPki(this.pkiDir, c.auto_accept_unknown_certificates);
    } catch (error) {
      this.#unbridge();
      this.#uncollect();
      throw error;
    }
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
    this.#uncollect?.();
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
    const reporter = new EndpointReporter(ctx, this.config, status, this.#targets);
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
        conn = await Connection.open(this.config, this.#pki!, this.pkiDir, signal);
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
          unavailable: (items, emitBad) => {
            reporter.unavailable(items, emitBad);
            if (acq) reporter.stats(acq);
          },
          recovered: (targets) => {
            reporter.recovered(targets);
            if (acq) reporter.stats(acq);
          },
          retryFailed: (error) => reporter.retryFailed(error),
        };
        status.items.failed = 0;
        status.items.unavailable = 0;
        status.refused = [];
        this.#dedup.reset();
        acq = this.config.mode === "poll"
          ? new Poller(session, this.#targets, limits, this.config.poll_interval_ms, hooks, ctx.now)
          : new SubscriptionSet(session, this.config, limits, this.#targets, hooks, ctx.now);
        await acq.start();
        reporter.connected(connectedAt, acq, this.#lastSeen!.newest());
        backoff.reset();
        if (this.config.backfill.enabled) filling = this.#backfill(session, limits, connectedAt);
        const running = acq;
        const statsTimer = setInterval(() => reporter.stats(running), 1000);
        reason = await Promise.race([conn.lost, aborted]);
        clearInterval(statsTimer);
      } catch (error) {
        reason = errorMessage(error);
      }
      await acq?.stop();
      await conn?.close();
      await filling;
      if (signal.aborted) break;
      reporter.disconnected(reason);
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

  #deliver(all: Sample[]): void {
    // Clock audit: skip a tag's first value after a connect (it may be an old value, not a clock offset).
    const probe = all[all.length - 1]!;
    const audit = this.#dedup.hasLive(probe.tag) && probe.quality !== Quality.Bad && probe.ts !== probe.recv;
    const samples = this.#dedup.live(all);
    if (audit) this.#audit!.observe(probe.ts, probe.recv);
    const ctx = this.#ctx!;
    if (samples.length < all.length) {
      // Counted, so that what the server sent balances against what the gateway took.
      this.#repeats ??= ctx.metrics.counter(
        "gateway_opcua_repeats_dropped_total",
        "OPC UA values not taken because they repeat the previous value of the tag exactly (same source " +
          "timestamp, status and value: a re-created subscription's first value, backfill overlapping live data)",
      );
      this.#repeats.inc({ source: ctx.name }, all.length - samples.length);
    }
    if (samples.length === 0) return;
    const last = this.#lastSeen!;
    for (const s of samples) {
      const t = this.#byTag.get(s.tag);
      if (t) last.see(t.nodeId, s.ts);
    }
    this.#status!.values += samples.length;
    ctx.emit(samples);
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
