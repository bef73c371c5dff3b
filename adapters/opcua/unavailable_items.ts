/**
 * @module Monitored items whose node is gone or unusable (refused at creation, or a notification saying
 * BadNodeIdUnknown...): which they are, why, and whether a re-created item is still waiting for its first
 * notification. Pure state; the subscription set does the service calls.
 */
import { StatusCodes } from "node-opcua-client";
import type { Target } from "./targets.ts";

/**
 * Status codes (severity and sub-code, info bits ignored) meaning the monitored node is gone or cannot be read
 * any more: the item has to be deleted and created again once the node is back (a PLC program download).
 */
export const NODE_GONE: ReadonlySet<number> = new Set([
  StatusCodes.BadNodeIdUnknown.value,
  StatusCodes.BadNodeIdInvalid.value,
  StatusCodes.BadAttributeIdInvalid.value,
  StatusCodes.BadNotReadable.value,
  StatusCodes.BadUserAccessDenied.value,
  StatusCodes.BadMonitoredItemIdInvalid.value,
]);

/** Whether `status` says the node of a monitored item is gone or unusable. */
export function isNodeGone(status: number): boolean {
  return NODE_GONE.has((status & 0xffff0000) >>> 0);
}

/** One unavailable item. */
export interface UnavailableItem<H> {
  readonly target: Target;
  /** Last status seen (creation result or notification). */
  status: number;
  name: string;
  /** The monitored item still on the server (delete it before creating it again); undefined when none. */
  handle: H | undefined;
  /** Created again; the first notification tells whether the node is back. */
  pending: boolean;
}

/** What {@link UnavailableItems.down} changed: newly unavailable, another status, or nothing. */
export type DownChange = "new" | "changed" | "same";

/** The unavailable items of one session, by target. `H` identifies a monitored item on the server. */
export class UnavailableItems<H> {
  readonly #items = new Map<number, UnavailableItem<H>>();

  get size(): number {
    return this.#items.size;
  }

  /** Unavailable items, in the order they became so. */
  list(): UnavailableItem<H>[] {
    return [...this.#items.values()];
  }

  /** Whether `target` is unavailable (or re-created and not yet confirmed). */
  has(target: Target): boolean {
    return this.#items.has(target.index);
  }

  /** `target` is unavailable with `status`; `handle` is its monitored item when the server still has one. */
  down(target: Target, status: number, name: string, handle: H | undefined): DownChange {
    const known = this.#items.get(target.index);
    if (!known) {
      this.#items.set(target.index, { target, status, name, handle, pending: false });
      return "new";
    }
    const changed = known.status !== status;
    known.status = status;
    known.name = name;
    known.handle = handle;
    known.pending = false;
    return changed ? "changed" : "same";
  }

  /** `target` delivered a value that is not "node gone"; true when it was unavailable (a recovery). */
  up(target: Target): boolean {
    return this.#items.delete(target.index);
  }

  /** The server item of `target` was deleted. */
  detached(target: Target): void {
    const known = this.#items.get(target.index);
    if (known) known.handle = undefined;
  }

  /** `target` was created again as `handle`; it stays unavailable until its first notification. */
  recreated(target: Target, handle: H): void {
    const known = this.#items.get(target.index);
    if (!known) return;
    known.handle = handle;
    known.pending = true;
  }
}
