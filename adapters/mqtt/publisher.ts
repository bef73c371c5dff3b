/**
 * @module The publisher loop: drains the outbox by priority (alerts and events, features and scores, rollups,
 * raw) over the current connection, paced by token buckets shared by all classes, with a bounded in-flight
 * window whose last tenth is reserved for alerts, events and features; a record leaves the outbox on PUBACK
 * (QoS 1) or once written to the socket (QoS 0). A lost connection puts unacknowledged records back in order;
 * while the link drains for a failback, no new record is taken.
 */
import { errorMessage, type Logger } from "../../core/mod.ts";
import type { Codec } from "./codec.ts";
import type { Link } from "./link.ts";
import type { Outbox, OutboxRecord } from "./outbox/mod.ts";
import { pace, TokenBucket } from "./token_bucket.ts";

/** Publisher limits. */
export interface PublisherOptions {
  readonly maxInflight: number;
  readonly messagesPerS: number;
  readonly bytesPerS: number;
  readonly logger: Logger;
  /** Counts a published record. */
  readonly onPublished: (cls: string, bytes: number) => void;
  /** Reports a record the broker refused (MQTT 5 reason code). */
  readonly onRejected: (record: OutboxRecord, topic: string, error: string) => void;
}

/** In-flight slots raw data and rollups may not take, so an alert never waits for a window full of bulk. */
export function inflightReserve(maxInflight: number): number {
  return maxInflight >= 10 ? Math.floor(maxInflight / 10) : maxInflight >= 2 ? 1 : 0;
}

/** Bytes a record is paced on: the stored payload and key plus MQTT framing and envelope overhead. */
function pacedSize(record: OutboxRecord): number {
  return record.data.length + record.key.length + 64;
}

/** Drains the outbox. */
export class Publisher {
  readonly #bulkLimit: number;
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #abort = new AbortController();
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #generation = -1;
  /** Last publish failure, for health. */
  lastError: string | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly link: Link,
    private readonly codec: () => Codec,
    private readonly options: PublisherOptions,
  ) {
    this.#messages = new TokenBucket(options.messagesPerS);
    this.#bytes = new TokenBucket(options.bytesPerS);
    this.#bulkLimit = options.maxInflight - inflightReserve(options.maxInflight);
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Something changed (records appended, acked, connection up): look again. */
  poke(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.poke();
    await this.#loop;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await this.#step();
      } catch (error) {
        this.lastError = errorMessage(error);
        this.options.logger.error("publisher step failed; retrying", { error: this.lastError });
        await this.#sleep(500);
      }
    }
  }

  async #step(): Promise<void> {
    const link = this.link;
    if (link.generation !== this.#generation) {
      // A new or lost connection: whatever was in flight on the old one is sent again.
      this.outbox.rewind();
      this.#generation = link.generation;
    }
    if (!link.client) {
      await Promise.race([link.waitConnected(), this.#sleep(1000)]);
      return;
    }
    if (link.draining) {
      // A failback waits for what is in flight to be acknowledged: nothing new goes out on the old broker.
      await this.#sleep(100);
      return;
    }
    if (this.outbox.inflight >= this.options.maxInflight) {
      await this.#sleep(1000);
      return;
    }
    const head = await this.outbox.peek({ bulk: this.outbox.inflight < this.#bulkLimit });
    if (!head) {
      await this.#sleep(1000);
      return;
    }
    const gen = link.generation;
    // Paced before the record is taken: an alert appended while a raw message waits for tokens goes first.
    const paced = pacedSize(head.record);
    await pace(this.#messages, this.#bytes, paced, this.#abort.signal);
    if (gen !== link.generation || !link.client || link.draining) return; // rewound at the next step
    // Taken from here on: once taken, a record is published even if a failback began meanwhile (it drains).
    const loaded = await this.outbox.next({ bulk: this.outbox.inflight < this.#bulkLimit });
    if (gen !== link.generation || !link.client || !loaded) return;
    const record = loaded.record;
    const size = pacedSize(record);
    if (size !== paced) this.#bytes.take(size - paced); // settle the difference when another record won
    // Encoded and handed to the client in the same tick as taken, so sequence numbers a codec stamps
    // (Sparkplug seq) go on the wire in order even when births are published in between.
    const pubs = this.codec().encode(record, record.enqueuedAt < link.connectedAt);
    let remaining = pubs.length;
    for (const p of pubs) {
      link.publish(p).then(() => {
        if (gen !== link.generation || --remaining > 0) return;
        this.outbox.ack(record);
        this.options.onPublished(record.cls, size);
        this.poke();
      }, (error) => {
        if (gen !== link.generation) return;
        this.lastError = errorMessage(error);
        if (typeof (error as { code?: unknown }).code === "number") {
          // The broker refused it with a reason code (MQTT 5: not authorized, bad topic...): retrying cannot
          // help, so it leaves the outbox as rejected, counted and reported, instead of blocking the queue.
          if (--remaining > 0) return;
          this.outbox.ack(record);
          this.options.onRejected(record, p.topic, this.lastError);
          this.poke();
        } else {
          this.options.logger.warn("publish failed; will resend after reconnect", { error: this.lastError });
        }
      });
    }
  }
}
