/**
 * @module What an endpoint tells the gateway about itself: connection events, data gaps, refused nodes, and
 * the Bad samples that make an outage visible on every tag.
 */
import { Quality, type Sample, type SourceContext, Status } from "../../core/mod.ts";
import type { EndpointStatus } from "./endpoint_status.ts";
import type { OpcuaSourceConfig } from "./schema.ts";
import type { Acquisition, Target } from "./targets.ts";

/** Reports connection changes of one endpoint as events, health and Bad samples. */
export class EndpointReporter {
  #lostAt: number | undefined;
  #everConnected = false;

  constructor(
    private readonly ctx: SourceContext,
    private readonly config: OpcuaSourceConfig,
    private readonly status: EndpointStatus,
    private readonly targets: readonly Target[],
  ) {}

  /** Copies acquisition counters into the health details. */
  stats(acq: Acquisition): void {
    const s = acq.stats();
    this.status.subscriptions = s.subscriptions;
    this.status.items.monitored = s.monitored;
    this.status.items.failed = s.failed;
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

  /** The server refused these nodes; they become Bad samples and are listed in the health details. */
  rejected(items: readonly { target: Target; status: number; name: string }[]): void {
    const { ctx, config, status } = this;
    status.items.failed += items.length;
    status.refused = [...status.refused, ...items.map((i) => `${i.target.nodeId}: ${i.name}`)].slice(-100);
    const now = ctx.now();
    ctx.emit(
      items.map((i) => bad(i.target.tag, now, i.status, `server refused ${i.target.nodeId}: ${i.name}`)),
    );
    ctx.logger.warn("server refused nodes; retrying later", {
      endpoint: config.endpoint,
      count: items.length,
      first: `${items[0]?.target.nodeId}: ${items[0]?.name}`,
      retry_ms: config.item_retry_ms,
    });
  }
}

function bad(tag: string, now: number, status: number, reason: string): Sample {
  return { tag, value: Number.NaN, ts: now, recv: now, quality: Quality.Bad, status, reason };
}
