/**
 * @module Health of one OPC UA endpoint: connection state, reconnects, items, clock, backfill.
 */
import { type ComponentHealth, HealthTracker } from "../../core/mod.ts";
import type { ClockEstimate } from "../_common/clock_audit.ts";

/** Counters and state an endpoint reports through its HealthTracker details. */
export class EndpointStatus {
  readonly tracker: HealthTracker;
  connected = false;
  reconnectingSince: number | undefined;
  reconnects = 0;
  values = 0;
  items = { configured: 0, monitored: 0, failed: 0, unavailable: 0 };
  /** Items that delivered again after their node was missing or gone, without a reconnect. */
  recoveries = 0;
  subscriptions = 0;
  backfilled = 0;
  historyUnsupported = 0;
  lastGapMs: number | undefined;
  refused: string[] = [];

  constructor(readonly endpoint: string, readonly security: string, private readonly clock: () => number) {
    this.tracker = new HealthTracker(clock);
  }

  /** Connected; `degraded` while some nodes are unavailable. */
  up(): void {
    this.connected = true;
    this.reconnectingSince = undefined;
    this.tracker.set(this.items.unavailable > 0 ? "degraded" : "connected");
  }

  /** Lost (or never reached); `since` stays at the first failure of a streak. */
  down(error: string): void {
    this.connected = false;
    this.reconnectingSince ??= this.clock();
    this.tracker.error(error);
    this.tracker.set("reconnecting");
  }

  snapshot(clock: ClockEstimate, stopped: boolean): ComponentHealth {
    if (stopped) this.tracker.set("stopped");
    else if (this.connected) this.tracker.set(this.items.unavailable > 0 ? "degraded" : "connected");
    const t = this.tracker;
    t.detail("endpoint", this.endpoint);
    t.detail("security", this.security);
    t.detail("connected", this.connected);
    t.detail("reconnecting_since", this.reconnectingSince ?? null);
    t.detail("reconnects", this.reconnects);
    t.detail("items", { ...this.items });
    t.detail("refused_nodes", this.refused.slice(0, 20));
    t.detail("item_recoveries", this.recoveries);
    t.detail("subscriptions", this.subscriptions);
    t.detail("values_received", this.values);
    t.detail("backfilled_values", this.backfilled);
    t.detail("history_unsupported_nodes", this.historyUnsupported);
    t.detail("last_gap_ms", this.lastGapMs ?? null);
    t.detail("clock", {
      offset_ms: Math.round(clock.offsetMs * 10) / 10,
      drift_ppm: Math.round(clock.driftPpm * 10) / 10,
      samples: clock.samples,
      exceeded: clock.exceeded,
    });
    return t.snapshot();
  }
}
