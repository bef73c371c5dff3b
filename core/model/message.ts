/**
 * @module Messages flowing from sources and transforms to sinks.
 */
import type { Sample, SampleBlock } from "./sample.ts";
import type { Alert, AnomalyScore, FeatureVector, GatewayEvent, Rollup } from "./records.ts";

/** What travels through the pipeline. */
export type Message =
  | { readonly kind: "samples"; readonly samples: readonly Sample[] }
  | { readonly kind: "block"; readonly block: SampleBlock }
  | { readonly kind: "rollup"; readonly rollup: Rollup }
  | { readonly kind: "features"; readonly features: FeatureVector }
  | { readonly kind: "score"; readonly score: AnomalyScore }
  | { readonly kind: "alert"; readonly alert: Alert }
  | { readonly kind: "event"; readonly event: GatewayEvent };

export type MessageKind = Message["kind"];

export const MESSAGE_KINDS: readonly MessageKind[] = [
  "samples",
  "block",
  "rollup",
  "features",
  "score",
  "alert",
  "event",
];

/** Kinds that may be dropped under overload, cheapest first; the others are never dropped by the pipeline. */
export const DROPPABLE_KINDS: readonly MessageKind[] = ["block", "samples", "rollup", "score"];

/** Weight of a message for queue accounting (values carried), so a vibration block counts for its size. */
export function messageWeight(m: Message): number {
  if (m.kind === "samples") return Math.max(1, m.samples.length);
  if (m.kind === "block") return Math.max(1, m.block.values.length);
  return 1;
}
