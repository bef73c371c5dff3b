/**
 * @module Polls one device: runs its read plan through the shared limiter, retries, splits refused
 * coalesced reads, turns every failure into Bad samples with the reason, and audits the device clock.
 */
import { sleep, type SourceContext, Status } from "../../core/mod.ts";
import { ClockAudit } from "../_common/clock_audit.ts";
import type { CompiledDevice, CompiledItem } from "./compile.ts";
import type { Connection } from "./connection.ts";
import { clockValue, decodeItem, type ItemResult, toSamples } from "./convert.ts";
import { DeviceHealth } from "./device_health.ts";
import type { DeviceConfig } from "./device_schema.ts";
import type { Failure } from "./failure.ts";
import type { RequestLimiter } from "./limiter.ts";
import { type ReadRequest, splitRequest } from "./plan.ts";
import { runRequest } from "./request.ts";

/** Polls one device on its own schedule. */
export class DevicePoller {
  readonly health: DeviceHealth;
  #plan: ReadRequest<CompiledItem>[];
  #answeredThisPoll = false;
  #connected = false;
  readonly #audit: ClockAudit | undefined;

  constructor(
    readonly config: DeviceConfig,
    readonly compiled: CompiledDevice,
    private readonly conn: Connection,
    private readonly limiter: RequestLimiter,
    private readonly ctx: SourceContext,
  ) {
    this.health = new DeviceHealth(() => ctx.now());
    this.#plan = [...compiled.plan];
    const clock = config.clock;
    this.#audit = clock && new ClockAudit({
      toleranceMs: clock.tolerance_ms,
      onChange: (e) =>
        ctx.event({
          type: "data_quality.clock_offset",
          level: e.exceeded ? "warn" : "info",
          message: e.exceeded
            ? `device ${config.name} clock is off by ${
              Math.round(e.offsetMs)
            } ms (tolerance ${clock.tolerance_ms} ms)`
            : `device ${config.name} clock is back within tolerance (${Math.round(e.offsetMs)} ms)`,
          data: {
            device: config.name,
            offset_ms: e.offsetMs,
            drift_ppm: e.driftPpm,
            tolerance_ms: clock.tolerance_ms,
          },
        }),
    });
  }

  /** The current plan (it changes only when a refused coalesced read is split). */
  get plan(): readonly ReadRequest<CompiledItem>[] {
    return this.#plan;
  }

  /** One poll: reads everything, emits the samples. Never throws. */
  async poll(): Promise<void> {
    const { ctx, conn, config } = this;
    this.health.polls++;
    this.#answeredThisPoll = false;
    const results = new Map<CompiledItem, ItemResult>();
    const down = await conn.ensure();
    if (down) {
      this.#failAll(results, { status: Status.BadNotConnected, reason: down.reason });
      this.#setConnected(false, down.reason);
    } else {
      await this.#readPlan(results);
      if (config.close_after_poll) conn.close();
      const failure = [...results.values()].find((r) => !r.ok) as
        | Extract<ItemResult, { ok: false }>
        | undefined;
      this.#setConnected(this.#answeredThisPoll, failure?.reason ?? "no answer");
    }
    if (ctx.signal.aborted) return;
    const samples = toSamples(this.compiled, results, ctx.now());
    if (samples.length > 0) ctx.emit(samples);
    this.#auditClock(results);
  }

  async #readPlan(results: Map<CompiledItem, ItemResult>): Promise<void> {
    const { config } = this;
    const next: ReadRequest<CompiledItem>[] = [];
    const queue = [...this.#plan];
    let first = true;
    while (queue.length > 0) {
      const req = queue.shift()!;
      if (this.ctx.signal.aborted) return;
      if (!this.conn.link.connected) {
        this.#failRequest(results, req, {
          status: Status.BadNotConnected,
          reason: this.conn.lastError ? `not connected (${this.conn.lastError})` : "not connected",
        });
        next.push(req);
        continue;
      }
      if (!first && config.inter_request_delay_ms > 0) {
        await sleep(config.inter_request_delay_ms, this.ctx.signal);
      }
      first = false;
      const outcome = await runRequest(
        this.conn.link,
        this.limiter,
        config,
        req,
        this.health,
        this.ctx.signal,
      );
      if (outcome.ok) {
        this.#answeredThisPoll = true;
        const ts = this.ctx.now();
        for (const { item, offset } of req.items) {
          results.set(item, decodeItem(item, offset, outcome.response, ts));
        }
        next.push(req);
        continue;
      }
      const f = outcome.failure;
      if (f.kind === "exception") this.#answeredThisPoll = true;
      if (f.exceptionCode === 2 && req.items.length > 1) {
        const parts = splitRequest(req);
        if (parts.length > 1) {
          this.health.splits++;
          this.ctx.logger.warn("device refused a coalesced read; reading its parts separately from now on", {
            device: config.name,
            table: req.table,
            address: req.address,
            count: req.count,
          });
          queue.unshift(...parts);
          continue;
        }
      }
      this.#failRequest(results, req, f);
      next.push(req);
      if (f.kind === "connection") this.conn.failed(f.reason);
    }
    this.#plan = next;
  }

  #failRequest(
    results: Map<CompiledItem, ItemResult>,
    req: ReadRequest<CompiledItem>,
    f: Pick<Failure, "status" | "reason">,
  ): void {
    const ts = this.ctx.now();
    for (const { item } of req.items) {
      results.set(item, { ok: false, status: f.status, reason: f.reason, ts });
    }
  }

  #failAll(results: Map<CompiledItem, ItemResult>, f: Pick<Failure, "status" | "reason">): void {
    for (const req of this.#plan) this.#failRequest(results, req, f);
  }

  #setConnected(connected: boolean, reason: string): void {
    const { ctx, config } = this;
    const t = this.health.tracker;
    if (!connected) t.error(reason);
    if (connected === this.#connected && t.state !== "starting") return;
    const wasStarting = t.state === "starting";
    t.set(connected ? "connected" : "reconnecting");
    this.#connected = connected;
    if (connected) {
      if (!wasStarting) this.health.reconnects++;
      ctx.event({
        type: "source.connected",
        level: "info",
        message: `device ${config.name} connected`,
        data: { device: config.name },
      });
    } else if (!wasStarting) {
      ctx.event({
        type: "source.disconnected",
        level: "warn",
        message: `device ${config.name} disconnected: ${reason}`,
        data: { device: config.name, reason },
      });
    }
  }

  #auditClock(results: ReadonlyMap<CompiledItem, ItemResult>): void {
    const clock = this.compiled.clock;
    if (!clock || !this.#audit) return;
    const r = results.get(clock);
    const value = clockValue(clock, r);
    if (value === undefined || !r) return;
    this.#audit.observe(value, r.ts);
    this.health.clock = this.#audit.estimate();
  }
}
