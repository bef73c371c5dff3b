/**
 * @module Peers' figures published elsewhere (not measured here), printed beside ours and always labelled so.
 */

/** A published figure. */
export interface Anchor {
  readonly product: string;
  readonly figure: string;
  /** Throughput in values (points or messages) per second, for a ratio. */
  readonly valuesPerS: number;
  readonly conditions: string;
  readonly source: string;
}

export const ANCHORS: readonly Anchor[] = [
  {
    product: "NeuronEX (EMQ)",
    figure: "100k points/s at 60% of 4 cores, 594 MB",
    valuesPerS: 100_000,
    conditions: "4 cores; CPU 60% of the machine; memory 594 MB",
    source: "published by EMQ (NeuronEX performance figures); not measured here",
  },
  {
    product: "benthos-umh (United Manufacturing Hub)",
    figure: "38.8k msg/s for 50k OPC UA nodes",
    valuesPerS: 38_800,
    conditions: "50,000 OPC UA nodes",
    source: "published by United Manufacturing Hub (benthos-umh benchmark); not measured here",
  },
];
