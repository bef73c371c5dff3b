/**
 * @module Turns a batch of pipeline messages into rows: raw samples (after the per-tag policy), rollups
 * (computed and received), features, scores, alerts, events.
 */
import {
  type Alert,
  type AnomalyScore,
  type FeatureVector,
  type GatewayEvent,
  type Message,
  numericValue,
  Quality,
  type Rollup,
  type Sample,
  type SampleBlock,
} from "../../core/mod.ts";
import { blockProblem, recordProblem, rejectedJson, sampleProblem } from "./check_records.ts";
import { FLAG_BLOCK, FLAG_HISTORICAL } from "./migrations.ts";
import type { RawPolicy } from "./policy.ts";
import type { RollupComputer } from "./rollups.ts";
import { SampleRows } from "./staging.ts";

/** Rows of one batch, ready to be written in one transaction. */
export interface PreparedBatch {
  readonly samples: SampleRows;
  /** Computed by the store. */
  readonly computed: Rollup[];
  /** Received as `rollup` messages. */
  readonly received: Rollup[];
  readonly features: FeatureVector[];
  readonly scores: AnomalyScore[];
  readonly alerts: Alert[];
  readonly events: GatewayEvent[];
  /** Malformed records, kept as `history.rejected` events instead of failing the batch forever. */
  readonly rejected: GatewayEvent[];
  /** Values seen (kept or not) and values dropped by the raw policy: single samples, and block values. */
  values: number;
  decimated: number;
  decimatedBlock: number;
  /** Where each message's rows start, in message order (see units.ts; computed rollups belong to no message). */
  readonly spans: MessageSpan[];
}

/** The first index of one message's rows in each list of a batch; they end where the next message's start. */
export interface MessageSpan {
  readonly message: Message;
  readonly samples: number;
  readonly received: number;
  readonly features: number;
  readonly scores: number;
  readonly alerts: number;
  readonly events: number;
  readonly rejected: number;
}

/** What prepare needs from the store. */
export interface PrepareDeps {
  readonly samplePolicy: RawPolicy;
  readonly blockPolicy: RawPolicy;
  /** Undefined when the store does not compute rollups. */
  readonly rollups: RollupComputer | undefined;
  /** Tags whose rollups come from rollup messages (the store stops computing them). */
  readonly externalRollups: Set<string>;
  /** Blocks whose rollups were already computed when the sink took them in (see `HistorySink.intake`). */
  readonly rolledUp?: WeakSet<SampleBlock>;
  readonly now: number;
}

/** An empty batch. */
export function emptyBatch(): PreparedBatch {
  return {
    samples: new SampleRows(),
    computed: [],
    received: [],
    features: [],
    scores: [],
    alerts: [],
    events: [],
    rejected: [],
    values: 0,
    decimated: 0,
    decimatedBlock: 0,
    spans: [],
  };
}

/** Prepares `messages` (advances rollup buckets and every-nth counters: call once per batch). */
export function prepare(messages: readonly Message[], deps: PrepareDeps): PreparedBatch {
  const b = emptyBatch();
  for (const m of messages) {
    b.spans.push({
      message: m,
      samples: b.samples.length,
      received: b.received.length,
      features: b.features.length,
      scores: b.scores.length,
      alerts: b.alerts.length,
      events: b.events.length,
      rejected: b.rejected.length,
    });
    const problem = recordProblem(m);
    if (problem !== undefined) {
      reject(b, m.kind, problem, m, deps.now);
      continue;
    }
    switch (m.kind) {
      case "samples":
        addSamples(b, m.samples, deps);
        break;
      case "block":
        addBlock(b, m.block, deps);
        break;
      case "rollup":
        if (!deps.externalRollups.has(m.rollup.tag)) {
          deps.externalRollups.add(m.rollup.tag);
          deps.rollups?.drop(m.rollup.tag);
        }
        b.received.push(m.rollup);
        break;
      case "features":
        b.features.push(m.features);
        break;
      case "score":
        b.scores.push(m.score);
        break;
      case "alert":
        b.alerts.push(m.alert);
        break;
      case "event":
        b.events.push(m.event);
        break;
    }
  }
  return b;
}

/** Records a malformed record as an event naming what is wrong (nothing is silently lost). */
function reject(b: PreparedBatch, kind: string, problem: string, record: unknown, now: number): void {
  b.rejected.push({
    ts: now,
    type: "history.rejected",
    component: "history",
    level: "warn",
    message: `malformed ${kind} record not stored: ${problem}`,
    data: { kind, problem, record: rejectedJson(record) },
  });
}

function addSamples(b: PreparedBatch, samples: readonly Sample[], deps: PrepareDeps): void {
  const rows = b.samples;
  rows.reserve(samples.length);
  for (const s of samples) {
    b.values++;
    const problem = sampleProblem(s);
    if (problem !== undefined) {
      reject(b, "sample", problem, s, deps.now);
      continue;
    }
    const ref = rows.tagRef(s.tag);
    const value = numericValue(s.value);
    if (deps.rollups && !deps.externalRollups.has(s.tag) && typeof s.value !== "string") {
      deps.rollups.add(s.tag, s.ts, value, s.quality === Quality.Bad, deps.now, b.computed);
    }
    if (deps.samplePolicy.keep(s.tag, 1).kept === 0) {
      b.decimated++;
      continue;
    }
    const i = rows.push(
      ref,
      s.ts,
      s.recv,
      value,
      s.quality,
      s.status,
      s.serverTs ?? Number.NaN,
      s.historical ? FLAG_HISTORICAL : 0,
    );
    if (typeof s.value === "string") rows.text.set(i, s.value);
    if (s.reason !== undefined) rows.reason.set(i, s.reason);
  }
}

/** Whether a block is well-formed (see {@link blockProblem}: tag, timestamps in range, dt > 0, Float64Array values). */
export function blockIsValid(block: SampleBlock): boolean {
  return blockProblem(block) === undefined;
}

function addBlock(b: PreparedBatch, block: SampleBlock, deps: PrepareDeps): void {
  const problem = blockProblem(block);
  if (problem !== undefined) {
    reject(b, "block", problem, block, deps.now);
    return;
  }
  const n = block.values.length;
  b.values += n;
  if (deps.rollups && !deps.externalRollups.has(block.tag) && !deps.rolledUp?.has(block)) {
    const bad = block.quality === Quality.Bad;
    deps.rollups.addBlock(block.tag, block.t0, block.dt, block.values, bad, deps.now, b.computed);
  }
  const rows = b.samples;
  const ref = rows.tagRef(block.tag);
  const { start, stride, kept } = deps.blockPolicy.keep(block.tag, n);
  b.decimatedBlock += n - kept;
  if (kept === 0) return;
  rows.reserve(kept);
  for (let i = start; i < n; i += stride) {
    rows.push(
      ref,
      block.t0 + i * block.dt,
      block.recv,
      block.values[i]!,
      block.quality,
      block.status,
      Number.NaN,
      FLAG_BLOCK,
    );
  }
}
