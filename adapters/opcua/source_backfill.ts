/**
 * @module Decides which gaps to backfill after a (re)connect and reports the outcome.
 */
import type { ClientSession } from "node-opcua-client";
import type { SourceContext } from "../../core/mod.ts";
import { backfill, type GapRequest } from "./backfill.ts";
import type { Dedup } from "./dedup.ts";
import type { EndpointStatus } from "./endpoint_status.ts";
import type { LastSeen } from "./last_seen.ts";
import type { Limits } from "./limits.ts";
import type { OpcuaSourceConfig } from "./schema.ts";
import type { Target } from "./targets.ts";

/** Everything a backfill run needs. */
export interface BackfillJob {
  readonly session: ClientSession;
  readonly limits: Limits;
  readonly connectedAt: number;
  readonly config: OpcuaSourceConfig;
  readonly targets: readonly Target[];
  readonly lastSeen: LastSeen;
  readonly ctx: SourceContext;
  readonly status: EndpointStatus;
  readonly dedup: Dedup;
  aborted(): boolean;
}

/** Gaps from each node's last-seen timestamp to the connect time, bounded by max_gap_ms. */
export function gapsOf(
  job: Pick<BackfillJob, "config" | "targets" | "lastSeen" | "connectedAt">,
): GapRequest[] {
  const { min_gap_ms, max_gap_ms } = job.config.backfill;
  const gaps: GapRequest[] = [];
  for (const t of job.targets) {
    const seen = job.lastSeen.get(t.nodeId);
    if (!t.backfill || seen === undefined) continue;
    if (job.connectedAt - seen < min_gap_ms) continue;
    gaps.push({
      tag: t.tag,
      nodeId: t.nodeId,
      from: Math.max(seen, job.connectedAt - max_gap_ms),
      to: job.connectedAt,
    });
  }
  return gaps;
}

/** Reads the gaps back as historical samples and records an event with what was recovered. */
export async function runBackfill(job: BackfillJob): Promise<void> {
  const gaps = gapsOf(job);
  if (gaps.length === 0) return;
  const { ctx, status, config } = job;
  // Let the first live values arrive so the overlap at the reconnect instant goes to live data.
  const settle = Math.max(
    2000,
    3 * (config.mode === "poll" ? config.poll_interval_ms : config.publishing_interval_ms),
  );
  const until = ctx.now() + settle;
  while (job.dedup.liveTags < status.items.monitored && ctx.now() < until && !job.aborted()) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const result = await backfill(
    job.session,
    gaps,
    job.limits,
    config.backfill.max_values_per_node,
    (all) => {
      const samples = job.dedup.historical(all);
      status.backfilled += samples.length;
      if (samples.length > 0) ctx.emit(samples);
    },
    ctx.now,
    job.aborted,
  );
  status.historyUnsupported = result.unsupported;
  const from = Math.min(...gaps.map((g) => g.from));
  ctx.event({
    type: "source.backfill",
    level: result.unsupported === gaps.length ? "warn" : "info",
    message:
      `backfilled ${result.values} values of ${result.nodes}/${gaps.length} nodes from ${config.endpoint}` +
      (result.unsupported ? ` (${result.unsupported} without history)` : "") +
      (result.truncated ? ` (${result.truncated} cut at ${config.backfill.max_values_per_node} values)` : ""),
    data: { endpoint: config.endpoint, from, to: job.connectedAt, ...result, gaps: gaps.length },
  });
}
