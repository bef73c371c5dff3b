/**
 * @module Prometheus metrics of one MQTT sink: gateway_outbox_* (backlog, age, disk, drops) and
 * gateway_mqtt_* (connection, published, rejected, failbacks).
 */
import type { Metrics } from "../../core/mod.ts";
import type { Link } from "./link.ts";
import type { LaneStats, Outbox, OutboxRecord, RecordClass } from "./outbox/mod.ts";

/** Registers and updates the sink's metrics. */
export class SinkMetrics {
  readonly #removers: (() => void)[] = [];
  readonly #seenDropped = new Map<RecordClass, number>();
  readonly #seenRefused = new Map<RecordClass, number>();

  constructor(
    private readonly metrics: Metrics,
    private readonly sink: string,
    private readonly outbox: Outbox,
    link: () => Link | undefined,
  ) {
    const gauge = (name: string, help: string, value: () => number) =>
      this.#removers.push(metrics.gauge(name, help).collect(() => [[{ sink }, value()]]));
    gauge(
      "gateway_outbox_backlog_messages",
      "Messages in the outbox not yet acknowledged by the broker",
      () => outbox.stats().count,
    );
    gauge(
      "gateway_outbox_backlog_bytes",
      "Bytes of outbox messages not yet acknowledged",
      () => outbox.stats().bytes,
    );
    gauge(
      "gateway_outbox_oldest_age_seconds",
      "Age of the oldest unacknowledged outbox message",
      () => outbox.stats().oldestAgeMs / 1000,
    );
    gauge(
      "gateway_outbox_disk_bytes",
      "Bytes of outbox segment files on disk",
      () => outbox.stats().diskBytes,
    );
    const perLane = (name: string, help: string, value: (l: LaneStats) => number) =>
      this.#removers.push(
        metrics.gauge(name, help).collect(() =>
          Object.entries(outbox.stats().lanes).map(([lane, l]) => [{ sink, lane }, value(l)])
        ),
      );
    perLane(
      "gateway_outbox_lane_backlog_messages",
      "Unacknowledged outbox messages per priority lane (critical, features, rollups, raw)",
      (l) => l.count,
    );
    perLane(
      "gateway_outbox_lane_oldest_age_seconds",
      "Age of the oldest unacknowledged message per priority lane",
      (l) => l.oldestAgeMs / 1000,
    );
    this.#removers.push(
      metrics.gauge("gateway_mqtt_connected", "1 while connected to this broker").collect(() =>
        [...(link()?.brokers ?? [])].map(([broker, s]) => [{ sink, broker }, s.state === "connected" ? 1 : 0])
      ),
      metrics.gauge("gateway_mqtt_reconnects", "Reconnections since the sink started").collect(() => [
        [{ sink }, link()?.reconnects ?? 0],
      ]),
    );
  }

  /** Counts appended records and any the budget policy dropped or refused meanwhile. */
  appended(records: readonly OutboxRecord[]): void {
    const c = this.metrics.counter("gateway_outbox_appended_total", "Messages appended to the outbox");
    const per = new Map<string, number>();
    for (const r of records) per.set(r.cls, (per.get(r.cls) ?? 0) + 1);
    for (const [cls, n] of per) c.inc({ sink: this.sink, class: cls }, n);
    this.#delta(
      this.outbox.dropped,
      this.#seenDropped,
      "gateway_outbox_dropped_total",
      "Outbox messages dropped by the disk budget policy",
    );
    this.#delta(
      this.outbox.refused,
      this.#seenRefused,
      "gateway_outbox_refused_total",
      "Messages refused because the outbox held only alerts and events over budget",
    );
  }

  published(cls: string, bytes: number): void {
    this.metrics.counter("gateway_mqtt_published_total", "Messages acknowledged by the broker").inc({
      sink: this.sink,
      class: cls,
    });
    this.metrics.counter("gateway_mqtt_published_bytes_total", "Payload bytes acknowledged by the broker")
      .inc({ sink: this.sink }, bytes);
  }

  /** Counts a move from a failover broker back to a preferred one. */
  failback(): void {
    this.metrics.counter(
      "gateway_mqtt_failbacks_total",
      "Moves from a failover broker back to a preferred one (earlier in brokers)",
    ).inc({ sink: this.sink });
  }

  rejected(cls: string): void {
    this.metrics.counter("gateway_mqtt_rejected_total", "Messages the broker refused with a reason code").inc(
      { sink: this.sink, class: cls },
    );
  }

  #delta(now: Map<RecordClass, number>, seen: Map<RecordClass, number>, name: string, help: string): void {
    for (const [cls, n] of now) {
      const d = n - (seen.get(cls) ?? 0);
      if (d > 0) this.metrics.counter(name, help).inc({ sink: this.sink, class: cls }, d);
      seen.set(cls, n);
    }
  }

  close(): void {
    for (const r of this.#removers.splice(0)) r();
  }
}
