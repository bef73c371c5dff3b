/**
 * @module Routing table: which transforms and sinks receive what each producer emits.
 */
import type { RoutedConfig } from "../plugin/registry.ts";

/** Something that can be offered messages. */
export interface Consumer<C> {
  readonly config: RoutedConfig;
  readonly target: C;
}

/** Producer name → consumers, rebuilt whenever the set of components changes. */
export class Routes<C> {
  readonly #byProducer = new Map<string, C[]>();
  readonly #wildcard: C[] = [];

  constructor(consumers: Iterable<Consumer<C>>) {
    for (const { config, target } of consumers) {
      for (const input of new Set(config.inputs)) {
        if (input === "*") this.#wildcard.push(target);
        else {
          const list = this.#byProducer.get(input) ?? [];
          list.push(target);
          this.#byProducer.set(input, list);
        }
      }
    }
  }

  /**
   * Consumers of a producer. `*` subscribes to every source and to the gateway's own events, not to
   * transforms (their outputs are opt-in by name, so derived data is never routed twice by accident).
   */
  of(producer: string, producerIsTransform: boolean): readonly C[] {
    const named = this.#byProducer.get(producer) ?? [];
    if (producerIsTransform) return named;
    if (named.length === 0) return this.#wildcard;
    return [...new Set([...named, ...this.#wildcard])];
  }
}
