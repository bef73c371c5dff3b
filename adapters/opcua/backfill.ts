/**
 * @module Backfill: reads a gap back from the server's history (HistoryRead, raw) and replays it as
 * historical samples.
 */
import { type ClientSession, type HistoryData, TimestampsToReturn } from "node-opcua-client";
import type { Sample } from "../../core/mod.ts";
import { toSample } from "./convert.ts";
import { chunks, type Limits } from "./limits.ts";

/** A node and the gap to fill: values with from < ts < to. */
export interface GapRequest {
  readonly tag: string;
  readonly nodeId: string;
  readonly from: number;
  readonly to: number;
}

/** What a backfill achieved. */
export interface BackfillResult {
  values: number;
  nodes: number;
  /** Nodes whose server keeps no history (BadHistoryOperationUnsupported...). */
  unsupported: number;
  /** Nodes cut short at max values per node. */
  truncated: number;
}

/** Reads every gap, page by page, and hands the samples over in order per node. */
export async function backfill(
  session: ClientSession,
  gaps: readonly GapRequest[],
  limits: Limits,
  maxValuesPerNode: number,
  deliver: (samples: Sample[]) => void,
  clock: () => number,
  aborted: () => boolean,
): Promise<BackfillResult> {
  const result: BackfillResult = { values: 0, nodes: 0, unsupported: 0, truncated: 0 };
  // One request per window so nodes with the same gap share requests (the usual case after an outage).
  for (const part of chunks(gaps, Math.max(1, limits.perHistoryRead))) {
    const pending = part.map((g) => ({ g, cp: undefined as Uint8Array | undefined, count: 0 }));
    let active = pending;
    const start = new Date(Math.min(...part.map((g) => g.from)));
    const end = new Date(Math.max(...part.map((g) => g.to)));
    while (active.length > 0 && !aborted()) {
      const results = await session.readHistoryValue(
        active.map((p) => ({ nodeId: p.g.nodeId, ...(p.cp ? { continuationPoint: p.cp as never } : {}) })),
        start,
        end,
        { numValuesPerNode: Math.min(1000, maxValuesPerNode), timestampsToReturn: TimestampsToReturn.Both },
      );
      const next: typeof active = [];
      results.forEach((r, i) => {
        const p = active[i]!;
        const status = r.statusCode.value;
        if ((status >>> 30) >= 2) {
          if (p.count === 0) result.unsupported++;
          return;
        }
        const values = (r.historyData as HistoryData | null)?.dataValues ?? [];
        const recv = clock();
        const out: Sample[] = [];
        for (const dv of values) {
          const s = toSample(p.g.tag, dv, recv, true);
          if (s.ts > p.g.from && s.ts < p.g.to) out.push(s);
        }
        if (p.count === 0 && out.length > 0) result.nodes++;
        p.count += out.length;
        result.values += out.length;
        if (out.length > 0) deliver(out);
        const cp = r.continuationPoint as Uint8Array | null;
        if (cp && cp.length > 0) {
          if (p.count >= maxValuesPerNode) result.truncated++;
          else next.push({ ...p, cp });
        }
      });
      active = next;
    }
  }
  return result;
}
