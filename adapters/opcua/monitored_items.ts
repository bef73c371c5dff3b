/**
 * @module CreateMonitoredItems and DeleteMonitoredItems for one subscription, batched by the server's
 * MaxMonitoredItemsPerCall, one create request per set of sampling parameters.
 */
import {
  type ClientMonitoredItemGroup,
  type ClientSession,
  type ClientSessionRawSubscriptionService,
  type ClientSubscription,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  TimestampsToReturn,
} from "node-opcua-client";
import { chunks } from "./limits.ts";
import { paramsKey, type Target } from "./targets.ts";

const TOO_MANY_ITEMS = 0x80db0000;

/** An item the server created. */
export interface CreatedItem {
  readonly target: Target;
  readonly clientHandle: number;
  /** The server's MonitoredItemId. */
  readonly id: number;
}

/** An item the server refused, with its status. */
export interface RefusedItem {
  readonly target: Target;
  readonly status: number;
  readonly name: string;
}

/** Results of {@link createItems}. */
export interface CreateResult {
  readonly created: CreatedItem[];
  readonly refused: RefusedItem[];
  /** Refused with BadTooManyMonitoredItems: the subscription is full. */
  readonly tooMany: Target[];
}

/** Creates monitored items (Value attribute, both timestamps) for `targets` in `sub`. */
export async function createItems(
  sub: ClientSubscription,
  targets: readonly Target[],
  perCall: number,
): Promise<CreateResult> {
  const groups = new Map<string, Target[]>();
  for (const t of targets) {
    const key = paramsKey(t);
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  const out: CreateResult = { created: [], refused: [], tooMany: [] };
  for (const group of groups.values()) {
    const first = group[0]!;
    const filter = first.deadband
      ? new DataChangeFilter({
        trigger: DataChangeTrigger.StatusValue,
        deadbandType: first.deadband.type === "percent" ? DeadbandType.Percent : DeadbandType.Absolute,
        deadbandValue: first.deadband.value,
      })
      : null;
    for (const part of chunks(group, perCall)) {
      const created: ClientMonitoredItemGroup = await sub.monitorItems(
        part.map((t) => ({ nodeId: t.nodeId, attributeId: 13 })),
        { samplingInterval: first.samplingMs, queueSize: first.queueSize, discardOldest: true, filter },
        TimestampsToReturn.Both,
      );
      created.monitoredItems.forEach((item, i) => {
        const target = part[i]!;
        const status = item.statusCode;
        if (status?.value === TOO_MANY_ITEMS) {
          out.tooMany.push(target);
        } else if (status && status.value !== 0 && (status.value >>> 30) >= 2) {
          out.refused.push({ target, status: status.value, name: status.name });
        } else {
          out.created.push({
            target,
            clientHandle: item.monitoringParameters.clientHandle,
            id: item.monitoredItemId ?? 0,
          });
        }
      });
      forgetGroup(sub, created);
    }
  }
  return out;
}

/**
 * Deletes monitored items of `sub` on the server and forgets them on the client. An item the server no
 * longer knows (BadMonitoredItemIdInvalid) counts as deleted; a failed request rejects.
 */
export async function deleteItems(
  session: ClientSession,
  sub: ClientSubscription,
  items: readonly { readonly clientHandle: number; readonly id: number }[],
  perCall: number,
): Promise<void> {
  // ClientSession's type leaves out the raw subscription services its implementation provides.
  const raw = session as ClientSession & ClientSessionRawSubscriptionService;
  for (const part of chunks(items, perCall)) {
    await raw.deleteMonitoredItems({
      subscriptionId: sub.subscriptionId,
      monitoredItemIds: part.map((i) => i.id),
    });
    // Notifications for these handles no longer come; drop the client-side objects.
    for (const i of part) delete sub.monitoredItems[i.clientHandle];
  }
}

/**
 * node-opcua keeps every group a subscription ever created (only terminating the subscription drops them);
 * with items re-created every retry period that would grow without bound. The items stay registered one by
 * one (their notifications are routed by client handle), so the group object can go at once.
 */
function forgetGroup(sub: ClientSubscription, group: ClientMonitoredItemGroup): void {
  const internal = sub as unknown as { _removeGroup?: (g: ClientMonitoredItemGroup) => void };
  if (typeof internal._removeGroup === "function") internal._removeGroup(group);
}
