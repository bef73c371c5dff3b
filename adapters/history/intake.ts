/**
 * @module The sink's fast path for vibration blocks: folded into rollup buckets the moment the pipeline routes
 * them (O(n) typed-array loops, microseconds per block), so 409,600 values/s never sit in the sink's bounded
 * queue and slow tags' samples are never dropped to make room for them.
 */
import { type Message, Quality, type Rollup, type SampleBlock } from "../../core/mod.ts";
import type { RawPolicy } from "./policy.ts";
import { blockIsValid } from "./prepare.ts";
import type { RollupComputer } from "./rollups.ts";

/** Rollup rows waiting for a commit are bounded: beyond this the oldest 1 s rows go first (counted). */
export const MAX_PENDING_ROLLUPS = 200_000;

/** What the intake needs from the sink. */
export interface IntakeDeps {
  readonly rollups: RollupComputer;
  readonly blockPolicy: RawPolicy;
  readonly externalRollups: ReadonlySet<string>;
  /** Blocks already rolled up that still go through the queue (their raw policy keeps values). */
  readonly rolledUp: WeakSet<SampleBlock>;
  /** Where closed buckets go (committed with the next write or timer tick). */
  pending(): Rollup[];
  now(): number;
  /** A block was taken whole: `values` rolled up, none kept raw. */
  taken(values: number): void;
  /** Pending rollup rows dropped by the bound. */
  dropped(rows: number): void;
}

/**
 * Takes a block when the store computes its rollups: returns true (not queued) when its raw policy keeps no
 * value; otherwise rolls it up, marks it and returns false so its kept raw values are written by `write()`.
 * Malformed blocks and tags whose rollups come from rollup messages go through the queue unchanged.
 */
export function intakeBlock(m: Message, deps: IntakeDeps): boolean {
  if (m.kind !== "block") return false;
  const block = m.block;
  if (!blockIsValid(block) || deps.externalRollups.has(block.tag)) return false;
  const out = deps.pending();
  deps.rollups.addBlock(
    block.tag,
    block.t0,
    block.dt,
    block.values,
    block.quality === Quality.Bad,
    deps.now(),
    out,
  );
  if (out.length > MAX_PENDING_ROLLUPS) deps.dropped(trimPending(out));
  if (deps.blockPolicy.policyOf(block.tag).mode === "rollups_only") {
    deps.taken(block.values.length);
    return true;
  }
  deps.rolledUp.add(block);
  return false;
}

/** Removes the oldest 1 s rollup rows (then the oldest rows of any interval) down to 3/4 of the bound. */
export function trimPending(rows: Rollup[]): number {
  const excess = rows.length - Math.floor(MAX_PENDING_ROLLUPS * 0.75);
  if (excess <= 0) return 0;
  let drop1s = excess;
  const kept = rows.filter((r) => !(r.interval === "1s" && drop1s-- > 0));
  const more = Math.max(0, kept.length - Math.floor(MAX_PENDING_ROLLUPS * 0.75));
  rows.length = 0;
  for (let i = more; i < kept.length; i++) rows.push(kept[i]!);
  return excess;
}
