/**
 * @module A prepared batch seen as a list of units that can be committed in any contiguous range: its messages
 * (each with the rows prepared from it), then the rollups the store computed while preparing it, then the
 * pending rollups closed by the timer. A failing commit is split along these units (see isolate.ts).
 */
import type { Message, Rollup } from "../../core/mod.ts";
import type { MessageSpan, PreparedBatch } from "./prepare.ts";

/** What a unit holds, as written to the quarantine: a message, or a rollup computed by the store. */
export interface UnitRecord {
  readonly message: Message;
  /** "message" when it came through the queue, "store" for a rollup the store computed. */
  readonly origin: "message" | "store";
}

type Listed = Exclude<keyof MessageSpan, "message">;

/** The units of one batch plus the pending rollups committed with it. */
export class BatchUnits {
  /** Units that belong to the batch (messages and computed rollups); the pending rollups come after them. */
  readonly own: number;
  readonly length: number;
  readonly #messages: number;

  constructor(readonly batch: PreparedBatch, readonly pending: readonly Rollup[]) {
    this.#messages = batch.spans.length;
    this.own = this.#messages + batch.computed.length;
    this.length = this.own + pending.length;
  }

  /** The batch and extra rollups of units `lo` (inclusive) to `hi` (exclusive); the whole batch is not copied. */
  sub(lo: number, hi: number): { batch: PreparedBatch; extra: readonly Rollup[] } {
    if (lo === 0 && hi === this.length) return { batch: this.batch, extra: this.pending };
    const b = this.batch;
    const m0 = Math.min(lo, this.#messages);
    const m1 = Math.min(hi, this.#messages);
    const cut = <T>(list: readonly T[], key: Listed): T[] => list.slice(this.#at(m0, key), this.#at(m1, key));
    const clamp = (k: number, base: number, n: number) => Math.min(Math.max(k - base, 0), n);
    return {
      batch: {
        samples: b.samples.slice(this.#at(m0, "samples"), this.#at(m1, "samples")),
        computed: b.computed.slice(
          clamp(lo, this.#messages, b.computed.length),
          clamp(hi, this.#messages, b.computed.length),
        ),
        received: cut(b.received, "received"),
        features: cut(b.features, "features"),
        scores: cut(b.scores, "scores"),
        alerts: cut(b.alerts, "alerts"),
        events: cut(b.events, "events"),
        rejected: cut(b.rejected, "rejected"),
        values: 0,
        decimated: 0,
        decimatedBlock: 0,
        spans: [],
      },
      extra: this.pending.slice(
        clamp(lo, this.own, this.pending.length),
        clamp(hi, this.own, this.pending.length),
      ),
    };
  }

  /** The record of unit `k`. */
  record(k: number): UnitRecord {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) {
      throw new RangeError(`unit ${k} is outside 0..${this.length - 1}`);
    }
    if (k < this.#messages) return { message: this.batch.spans[k]!.message, origin: "message" };
    const rollup = k < this.own ? this.batch.computed[k - this.#messages]! : this.pending[k - this.own]!;
    return { message: { kind: "rollup", rollup }, origin: "store" };
  }

  /** The pending rollups among units `done` and later (not yet committed or quarantined). */
  pendingFrom(done: number): Rollup[] {
    return this.pending.slice(Math.max(0, done - this.own));
  }

  /** Where the rows of message `k` start (`k` = message count: the end of the list). */
  #at(k: number, key: Listed): number {
    const span = this.batch.spans[k];
    if (span) return span[key];
    return key === "samples" ? this.batch.samples.length : this.batch[key].length;
  }
}
