/**
 * @module Monitored items split across several subscriptions (servers cap items per subscription), with a
 * watchdog per subscription and periodic retry of nodes the server refused.
 */
import {
  type ClientMonitoredItemGroup,
  type ClientSession,
  type ClientSubscription,
  DataChangeFilter,
  type DataChangeNotification,
  DataChangeTrigger,
  DeadbandType,
  type NotificationMessage,
  TimestampsToReturn,
} from "node-opcua-client";
import type { Sample } from "../../core/mod.ts";
import { toSample } from "./convert.ts";
import { chunks, type Limits } from "./limits.ts";
import type { OpcuaSourceConfig } from "./schema.ts";
import { type Acquisition, type AcquisitionHooks, paramsKey, type Target } from "./targets.ts";

const TOO_MANY_ITEMS = 0x80db0000;

interface Sub {
  readonly sub: ClientSubscription;
  readonly handles: Map<number, Target>;
  lastActivity: number;
}

/** Subscription-based acquisition. */
export class SubscriptionSet implements Acquisition {
  readonly #subs: Sub[] = [];
  #failed: Target[] = [];
  #stopped = false;
  /** Items per subscription; lowered when a server refuses more than it declared (BadTooManyMonitoredItems). */
  #perSub: number;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly session: ClientSession,
    private readonly config: OpcuaSourceConfig,
    private readonly limits: Limits,
    private readonly targets: readonly Target[],
    private readonly hooks: AcquisitionHooks,
    private readonly clock: () => number,
  ) {
    this.#perSub = limits.perSubscription;
  }

  async start(): Promise<void> {
    const sorted = [...this.targets].sort((a, b) => paramsKey(a).localeCompare(paramsKey(b)));
    for (const part of chunks(sorted, this.#perSub)) {
      const s = await this.#newSubscription();
      await this.#monitor(s, part);
    }
    const period = Math.max(50, this.config.publishing_interval_ms);
    this.#watchdog = setInterval(() => this.#checkStalls(), period);
  }

  stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#watchdog);
    clearTimeout(this.#retry);
    for (const s of this.#subs) s.sub.removeAllListeners();
    // Terminating subscriptions is left to session close (one request instead of one per subscription).
    return Promise.resolve();
  }

  stats() {
    let monitored = 0;
    for (const s of this.#subs) monitored += s.handles.size;
    return { subscriptions: this.#subs.length, monitored, failed: this.#failed.length };
  }

  async #newSubscription(): Promise<Sub> {
    const c = this.config;
    const sub = await this.session.createSubscription2({
      requestedPublishingInterval: c.publishing_interval_ms,
      requestedMaxKeepAliveCount: c.keepalive_count,
      requestedLifetimeCount: Math.max(c.lifetime_count, c.keepalive_count * 3),
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    const s: Sub = { sub, handles: new Map(), lastActivity: this.clock() };
    const id = sub.subscriptionId;
    sub.on("raw_notification", (msg: NotificationMessage) => this.#onNotification(s, msg));
    sub.on("status_changed", (status) => {
      if (status.value !== 0) this.hooks.fail(`subscription ${id} status ${status.name}`);
    });
    sub.on("terminated", () => this.hooks.fail(`subscription ${id} terminated`));
    sub.on("internal_error", (err: Error) => this.hooks.fail(`subscription ${id} error: ${err.message}`));
    this.#subs.push(s);
    return s;
  }

  async #monitor(s: Sub, targets: readonly Target[]): Promise<void> {
    const groups = new Map<string, Target[]>();
    for (const t of targets) {
      const key = paramsKey(t);
      const list = groups.get(key);
      if (list) list.push(t);
      else groups.set(key, [t]);
    }
    const refused: { target: Target; status: number; name: string }[] = [];
    const tooMany: Target[] = [];
    for (const group of groups.values()) {
      const first = group[0]!;
      const filter = first.deadband
        ? new DataChangeFilter({
          trigger: DataChangeTrigger.StatusValue,
          deadbandType: first.deadband.type === "percent" ? DeadbandType.Percent : DeadbandType.Absolute,
          deadbandValue: first.deadband.value,
        })
        : null;
      for (const part of chunks(group, this.limits.perMonitoredItemsCall)) {
        const created: ClientMonitoredItemGroup = await s.sub.monitorItems(
          part.map((t) => ({ nodeId: t.nodeId, attributeId: 13 })),
          { samplingInterval: first.samplingMs, queueSize: first.queueSize, discardOldest: true, filter },
          TimestampsToReturn.Both,
        );
        created.monitoredItems.forEach((item, i) => {
          const t = part[i]!;
          const status = item.statusCode;
          if (status?.value === TOO_MANY_ITEMS) {
            tooMany.push(t);
          } else if (status && status.value !== 0 && (status.value >>> 30) >= 2) {
            refused.push({ target: t, status: status.value, name: status.name });
          } else {
            s.handles.set(item.monitoringParameters.clientHandle, t);
          }
        });
      }
    }
    if (tooMany.length > 0) {
      // The server caps subscriptions below what it declared (or declares nothing): split further, now.
      this.#perSub = Math.max(1, s.handles.size);
      await this.#retryItems(tooMany);
    }
    if (refused.length > 0) {
      this.#failed.push(...refused.map((r) => r.target));
      this.hooks.rejected(refused);
      this.#scheduleRetry();
    }
  }

  #onNotification(s: Sub, msg: NotificationMessage): void {
    s.lastActivity = this.clock();
    const data = msg.notificationData;
    if (!data || data.length === 0) return;
    const recv = this.clock();
    const out: Sample[] = [];
    for (const n of data) {
      const items = (n as DataChangeNotification).monitoredItems;
      if (!items) continue;
      for (const item of items) {
        const t = s.handles.get(item.clientHandle);
        if (t) out.push(toSample(t.tag, item.value, recv));
      }
    }
    if (out.length > 0) this.hooks.deliver(out);
  }

  #checkStalls(): void {
    const now = this.clock();
    for (const s of this.#subs) {
      const silentLimit = this.config.watchdog_factor * s.sub.publishingInterval * s.sub.maxKeepAliveCount;
      if (now - s.lastActivity > Math.max(silentLimit, this.config.watchdog_min_ms)) {
        this.hooks.fail(
          `subscription ${s.sub.subscriptionId} stalled: nothing for ${now - s.lastActivity} ms`,
        );
        return;
      }
    }
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retry !== undefined) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      const again = this.#failed;
      this.#failed = [];
      this.#retryItems(again).catch((error) => this.hooks.fail(`retrying refused nodes: ${error?.message}`));
    }, this.config.item_retry_ms);
  }

  async #retryItems(targets: Target[]): Promise<void> {
    let rest = targets;
    while (rest.length > 0 && !this.#stopped) {
      let s = this.#subs.find((x) => x.handles.size < this.#perSub);
      s ??= await this.#newSubscription();
      const room = this.#perSub - s.handles.size;
      await this.#monitor(s, rest.slice(0, room));
      rest = rest.slice(room);
    }
  }
}
