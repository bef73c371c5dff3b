/**
 * @module What an endpoint tells the gateway about itself: connection events, data gaps, unavailable and
 * recovered nodes, and the Bad samples that make an outage visible on every tag.
 */
import {
  type Counter,
  errorMessage,
  Quality,
  type Sample,
  type SourceContext,
  Status,
} from "../../core/mod.ts";
import type { EndpointStatus } from "./endpoint_status.ts";
import { itemRetryMs, type OpcuaSourceConfig } from "./schema.ts";
import type { Acquisition, ItemProblem, Target } from "./targets.ts";

/** Reports connection changes of one endpoint as events, health and Bad samples. */
export class EndpointReporter {
  #lostAt: number | undefined;
  #everConnected = false;
  readonly #recoveries: Counter;

  constructor(
    private readonly ctx: SourceContext,
    private readonly config: OpcuaSourceConfig,
    private readonly status: EndpointStatus,
    private readonly targets: readonly Target[],
  ) {
    this.#recoveries = ctx.metrics.counter(
      "gateway_opcua_item_recoveries_total",
      "OPC UA monitored items that deliver again after their node was missing or gone, without a reconnect",
    );
  }

  /** Copies acquisition counters into the health details. */
  stats(acq: Acquisition): void {
    const s = acq.stats();
    this.status.subscriptions = s.subscriptions;
    this.status.items.monitored = s.monitored;
    this.status.items.failed = s.failed;
    this.status.items.unavailable = s.unavailable;
    this.status.refused = [...s.unavailableNodes];
  }

  /** Connected at `at`; `newestSeen` is the newest timestamp persisted before a gateway restart. */
  connected(at: number, acq: Acquisition, newestSeen: number | undefined): void {
    const { ctx, config, status } = this;
    this.stats(acq);
    if (this.#everConnected) status.reconnects++;
    else if (newestSeen !== undefined && at - newestSeen >= config.backfill.min_gap_ms) {
      this.#gap(newestSeen, at, "gateway_down");
    }
    this.#everConnected = true;
    status.up();
    ctx.event({
      type: "source.connected",
      level: "info",
      message: `connected to ${config.endpoint} (${status.security}, ${status.items.monitored} items` +
        `${status.subscriptions ? ` in ${status.subscriptions} subscriptions` : ", polling"})`,
      data: { endpoint: config.endpoint, items: { ...status.items }, subscriptions: status.subscriptions },
    });
    if (this.#lostAt !== undefined) this.#gap(this.#lostAt, at, "connection");
    this.#lostAt = undefined;
  }

  #gap(from: number, to: number, cause: "connection" | "gateway_down"): void {
    const durationMs = to - from;
    this.status.lastGapMs = durationMs;
    this.ctx.event({
      type: "source.data_gap",
      level: "warn",
      message: `no data from ${this.config.endpoint} for ${(durationMs / 1000).toFixed(1)} s` +
        (cause === "gateway_down" ? " while the gateway was down" : ""),
      data: { endpoint: this.config.endpoint, from, to, durationMs, cause },
    });
  }

  /** The connection ended (or could not be made) for `reason`. */
  disconnected(reason: string): void {
    const { ctx, config, status } = this;
    const wasConnected = status.connected;
    status.down(reason);
    if (!wasConnected) {
      ctx.logger.warn("cannot connect", { endpoint: config.endpoint, error: reason });
      return;
    }
    const now = ctx.now();
    this.#lostAt = now;
    ctx.logger.warn("connection lost", { endpoint: config.endpoint, error: reason });
    ctx.event({
      type: "source.disconnected",
      level: "warn",
      message: `lost ${config.endpoint}: ${reason}`,
      data: { endpoint: config.endpoint, reason },
    });
    // Mark every tag not connected so consumers see the outage instead of a frozen last value.
    ctx.emit(this.targets.map((t) => bad(t.tag, now, Status.BadNotConnected, `connection lost: ${reason}`)));
  }

  /**
   * Items whose node is gone or unusable: one warn log per item when it becomes unavailable (not per retry),
   * Bad samples with the status when nothing else carried it (`emitBad`, refused at creation).
   */
  unavailable(items: readonly ItemProblem[], emitBad: boolean): void {
    const { ctx, config } = this;
    const retry = itemRetryMs(config);
    for (const i of items) {
      if (!i.first) continue;
      ctx.logger.warn(
        retry > 0
          ? "node unavailable; retrying the monitored item in this session"
          : "node unavailable; it is retried at the next reconnect (item_retry_s is 0)",
        {
          endpoint: config.endpoint,
          node: i.target.nodeId,
          tag: i.target.tag,
          status: i.name,
          retry_ms: retry,
        },
      );
    }
    if (!emitBad) return;
    const now = ctx.now();
    ctx.emit(
      items.map((i) => bad(i.target.tag, now, i.status, `server refused ${i.target.nodeId}: ${i.name}`)),
    );
  }

  /** Items that deliver again after a retry: one info log each, counted. */
  recovered(targets: readonly Target[]): void {
    this.status.recoveries += targets.length;
    this.#recoveries.inc({ source: this.ctx.name }, targets.length);
    for (const t of targets) {
      this.ctx.logger.info("node available again", {
        endpoint: this.config.endpoint,
        node: t.nodeId,
        tag: t.tag,
      });
    }
  }

  /** A retry round failed as a whole; the items stay unavailable and are retried a period later. */
  retryFailed(error: unknown): void {
    this.ctx.logger.warn("retrying unavailable nodes failed; trying again later", {
      endpoint: this.config.endpoint,
      error: errorMessage(error),
    });
  }
}

function bad(tag: string, now: number, status: number, reason: string): Sample {
  return { tag, value: Number.NaN, ts: now, recv: now, quality: Quality.Bad, status, reason };
}
