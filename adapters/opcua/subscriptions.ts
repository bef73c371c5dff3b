/**
 * @module Monitored items split across several subscriptions (servers cap items per subscription), with a
 * watchdog per subscription and per-item recovery: items whose node is gone (refused at creation, or a
 * notification such as BadNodeIdUnknown) are deleted and created again every retry period in the same session.
 */
import type {
  ClientSession,
  ClientSubscription,
  DataChangeNotification,
  NotificationMessage,
} from "node-opcua-client";
import type { Sample } from "../../core/mod.ts";
import { toSample } from "./convert.ts";
import { chunks, type Limits } from "./limits.ts";
import { createItems, deleteItems, type RefusedItem } from "./monitored_items.ts";
import { itemRetryMs, type OpcuaSourceConfig } from "./schema.ts";
import {
  type Acquisition,
  type AcquisitionHooks,
  type AcquisitionStats,
  type ItemProblem,
  paramsKey,
  type Target,
} from "./targets.ts";
import { isNodeGone, UnavailableItems } from "./unavailable_items.ts";

interface Item {
  readonly target: Target;
  /** The server's MonitoredItemId. */
  readonly id: number;
}

interface Sub {
  readonly sub: ClientSubscription;
  /** Items by client handle. */
  readonly handles: Map<number, Item>;
  lastActivity: number;
}

/** A monitored item on the server. */
interface Handle {
  readonly sub: Sub;
  readonly clientHandle: number;
  readonly id: number;
}

/** How many times its limit one subscription may stay silent while the session's others deliver. */
export const STARVED_FACTOR = 6;

/** Subscription-based acquisition. */
export class SubscriptionSet implements Acquisition {
  readonly #subs: Sub[] = [];
  readonly #unavailable = new UnavailableItems<Handle>();
  #stopped = false;
  /** Items per subscription; lowered when a server refuses more than it declared (BadTooManyMonitoredItems). */
  #perSub: number;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #retryMs: number;

  constructor(
    private readonly session: ClientSession,
    private readonly config: OpcuaSourceConfig,
    private readonly limits: Limits,
    private readonly targets: readonly Target[],
    private readonly hooks: AcquisitionHooks,
    private readonly clock: () => number,
  ) {
    this.#perSub = limits.perSubscription;
    this.#retryMs = itemRetryMs(config);
  }

  async start(): Promise<void> {
    const sorted = [...this.targets].sort((a, b) => paramsKey(a).localeCompare(paramsKey(b)));
    for (const part of chunks(sorted, this.#perSub)) {
      const s = await this.#newSubscription();
      await this.#monitor(s, part);
    }
    // Silence is measured from the end of the setup: a server busy creating thousands of monitored items may
    // send nothing on the first subscriptions meanwhile, and judging them stalled then reconnects in a loop.
    const ready = this.clock();
    for (const s of this.#subs) s.lastActivity = Math.max(s.lastActivity, ready);
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

  stats(): AcquisitionStats {
    let monitored = 0;
    for (const s of this.#subs) monitored += s.handles.size;
    const down = this.#unavailable.list();
    return {
      subscriptions: this.#subs.length,
      monitored,
      failed: down.filter((u) => u.handle === undefined).length,
      unavailable: down.length,
      unavailableNodes: down.slice(0, 20).map((u) => `${u.target.nodeId}: ${u.name}`),
    };
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
    const r = await createItems(s.sub, targets, this.limits.perMonitoredItemsCall);
    s.lastActivity = Math.max(s.lastActivity, this.clock()); // (a slow creation is not silence)
    for (const c of r.created) {
      s.handles.set(c.clientHandle, { target: c.target, id: c.id });
      this.#unavailable.recreated(c.target, { sub: s, clientHandle: c.clientHandle, id: c.id });
    }
    if (r.tooMany.length > 0) {
      // The server caps subscriptions below what it declared (or declares nothing): split further, now.
      this.#perSub = Math.max(1, s.handles.size);
      await this.#place(r.tooMany);
    }
    if (r.refused.length > 0) this.#refused(r.refused);
  }

  /** Items the server would not create: unavailable until a retry succeeds. */
  #refused(items: readonly RefusedItem[]): void {
    const changes: ItemProblem[] = [];
    for (const r of items) {
      const change = this.#unavailable.down(r.target, r.status, r.name, undefined);
      if (change !== "same") changes.push({ ...r, first: change === "new" });
    }
    if (changes.length > 0) this.hooks.unavailable(changes, true);
    this.#scheduleRetry();
  }

  #onNotification(s: Sub, msg: NotificationMessage): void {
    s.lastActivity = this.clock();
    const data = msg.notificationData;
    if (!data || data.length === 0) return;
    const recv = this.clock();
    const out: Sample[] = [];
    let gone: ItemProblem[] | undefined;
    let back: Target[] | undefined;
    for (const n of data) {
      const items = (n as DataChangeNotification).monitoredItems;
      if (!items) continue;
      for (const item of items) {
        const known = s.handles.get(item.clientHandle);
        if (!known) continue;
        const t = known.target;
        const status = item.value.statusCode;
        const code = status?.value ?? 0;
        if (code !== 0 && isNodeGone(code)) {
          const handle = { sub: s, clientHandle: item.clientHandle, id: known.id };
          const change = this.#unavailable.down(t, status.value, status.name, handle);
          if (change === "same") continue; // one Bad sample per state change, not one per retry
          (gone ??= []).push({ target: t, status: status.value, name: status.name, first: change === "new" });
        } else if (this.#unavailable.size > 0 && this.#unavailable.up(t)) {
          (back ??= []).push(t);
        }
        out.push(toSample(t.tag, item.value, recv));
      }
    }
    if (out.length > 0) this.hooks.deliver(out);
    if (gone) {
      this.hooks.unavailable(gone, false);
      this.#scheduleRetry();
    }
    if (back) this.hooks.recovered(back);
  }

  /**
   * A subscription silent beyond its limit is stalled when every subscription of the session is (the server or
   * the channel stopped publishing: reconnect). While others still deliver, the session is alive and a busy server
   * is serving its publish requests to them first: one silent subscription is stalled only after
   * {@link STARVED_FACTOR} times its limit.
   */
  #checkStalls(): void {
    const now = this.clock();
    let newest = Number.NEGATIVE_INFINITY;
    for (const s of this.#subs) newest = Math.max(newest, s.lastActivity);
    for (const s of this.#subs) {
      const silentLimit = this.config.watchdog_factor * s.sub.publishingInterval * s.sub.maxKeepAliveCount;
      const limit = Math.max(silentLimit, this.config.watchdog_min_ms);
      const silent = now - s.lastActivity;
      const othersAlive = now - newest <= limit;
      if (silent > (othersAlive ? limit * STARVED_FACTOR : limit)) {
        this.hooks.fail(
          `subscription ${s.sub.subscriptionId} stalled: nothing for ${silent} ms` +
            (othersAlive ? " while the session's other subscriptions delivered" : ""),
        );
        return;
      }
    }
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retry !== undefined || this.#retryMs <= 0) return;
    this.#retry = setTimeout(() => {
      this.#retryUnavailable().catch((error) => {
        if (!this.#stopped) this.hooks.retryFailed(error);
      }).finally(() => {
        this.#retry = undefined;
        if (this.#unavailable.size > 0) this.#scheduleRetry();
      });
    }, this.#retryMs);
  }

  /**
   * Deletes the monitored items of unavailable nodes still on the server, then creates them again with the
   * same parameters. Items re-created by the previous round that got no notification since are retried too.
   */
  async #retryUnavailable(): Promise<void> {
    const due = this.#unavailable.list();
    const stale = new Map<Sub, { target: Target; clientHandle: number; id: number }[]>();
    for (const u of due) {
      if (!u.handle) continue;
      const list = stale.get(u.handle.sub);
      const entry = { target: u.target, clientHandle: u.handle.clientHandle, id: u.handle.id };
      if (list) list.push(entry);
      else stale.set(u.handle.sub, [entry]);
    }
    for (const [s, items] of stale) {
      if (this.#stopped) return;
      await deleteItems(this.session, s.sub, items, this.limits.perMonitoredItemsCall);
      for (const i of items) {
        s.handles.delete(i.clientHandle);
        this.#unavailable.detached(i.target);
      }
    }
    await this.#place(due.map((u) => u.target));
  }

  /** Creates items for `targets` in subscriptions with room, opening new ones when all are full. */
  async #place(targets: readonly Target[]): Promise<void> {
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
