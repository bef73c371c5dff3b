/**
 * @module The server's operation limits (nodes per Read/Browse/HistoryRead, items per call and subscription).
 */
import { AttributeIds, type ClientSession } from "node-opcua-client";

/** Effective per-request sizes: the configured ones lowered to what the server declares (0 = unlimited). */
export interface Limits {
  readonly perRead: number;
  readonly perBrowse: number;
  readonly perHistoryRead: number;
  readonly perMonitoredItemsCall: number;
  readonly perSubscription: number;
}

const IDS = {
  perRead: 11705,
  perBrowse: 11710,
  perHistoryRead: 12165,
  perMonitoredItemsCall: 11714,
  perSubscription: 24104,
} as const;

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be >= 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads the server's limits; a server that does not expose one keeps the configured value. */
export async function readLimits(
  session: ClientSession,
  perCall: number,
  perSubscription: number,
): Promise<Limits> {
  const keys = Object.keys(IDS) as (keyof typeof IDS)[];
  const values = await session.read(
    keys.map((k) => ({ nodeId: `i=${IDS[k]}`, attributeId: AttributeIds.Value })),
  );
  const out: Record<string, number> = {};
  keys.forEach((k, i) => {
    const configured = k === "perSubscription" ? perSubscription : perCall;
    const dv = values[i];
    const server = dv && dv.statusCode.value === 0 ? Number(dv.value?.value) : 0;
    out[k] = server > 0 && Number.isFinite(server) ? Math.min(server, configured) : configured;
  });
  return out as unknown as Limits;
}
