/**
 * @module Poll mode: batched Read service calls at a fixed interval, for servers without subscriptions.
 */
import { AttributeIds, type ClientSession } from "node-opcua-client";
import { errorMessage, type Sample } from "../../core/mod.ts";
import { statusOf, toSample } from "./convert.ts";
import { chunks, type Limits } from "./limits.ts";
import type { Acquisition, AcquisitionHooks, AcquisitionStats, Target } from "./targets.ts";
import { isNodeGone } from "./unavailable_items.ts";

/** Service results meaning the session or channel is gone: recreate it. */
const FATAL_SERVICE =
  /BadSessionIdInvalid|BadSessionClosed|BadSecureChannel|BadNotConnected|BadConnectionClosed|BadTooManySessions|BadServerHalted|closed|disconnected/i;

/** Reads every target each interval; overlapping rounds are skipped, never queued. */
export class Poller implements Acquisition {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #failures = 0;
  #rounds = 0;
  /** `<node id>: <status name>` of the nodes the last round found gone or unreadable. */
  #refused: string[] = [];

  constructor(
    private readonly session: ClientSession,
    private readonly targets: readonly Target[],
    private readonly limits: Limits,
    private readonly intervalMs: number,
    private readonly hooks: AcquisitionHooks,
    private readonly clock: () => number,
  ) {}

  async start(): Promise<void> {
    await this.#round();
    this.#schedule();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    return Promise.resolve();
  }

  stats(): AcquisitionStats {
    const n = this.#refused.length;
    return {
      subscriptions: 0,
      monitored: this.targets.length - n,
      failed: n,
      unavailable: n,
      unavailableNodes: this.#refused.slice(0, 20),
    };
  }

  #schedule(): void {
    if (this.#stopped) return;
    const now = this.clock();
    const delay = this.intervalMs - (now % this.intervalMs);
    this.#timer = setTimeout(() => {
      this.#round().then(() => this.#schedule(), (error) => this.hooks.fail(errorMessage(error)));
    }, delay);
  }

  async #round(): Promise<void> {
    this.#rounds++;
    const refused: string[] = [];
    for (const part of chunks(this.targets, this.limits.perRead)) {
      if (this.#stopped) return;
      let values;
      try {
        values = await this.session.read(
          part.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
          0,
        );
      } catch (error) {
        const text = errorMessage(error);
        // Timeouts may be a one-off; session loss is not.
        if (FATAL_SERVICE.test(text) || ++this.#failures >= 2) {
          throw new Error(`read failed: ${text}`, { cause: error });
        }
        return;
      }
      this.#failures = 0;
      const recv = this.clock();
      const out: Sample[] = new Array(values.length);
      values.forEach((dv, i) => {
        out[i] = toSample(part[i]!.tag, dv, recv);
        if (isNodeGone(statusOf(dv))) refused.push(`${part[i]!.nodeId}: ${dv.statusCode.name}`);
      });
      this.hooks.deliver(out);
    }
    this.#refused = refused;
  }
}
