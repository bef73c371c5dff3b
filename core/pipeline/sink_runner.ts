/**
 * @module Runs one sink behind a bounded queue: batching, retries with backoff, counted overflow.
 */
import { DROPPABLE_KINDS, type Message, messageWeight } from "../model/message.ts";
import type { Sink } from "../plugin/sink.ts";
import type { ComponentHealth } from "../plugin/health.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import { errorMessage, FatalError, PartialWriteError, RetryableError } from "../errors.ts";
import { Backoff, sleep } from "../util/backoff.ts";
import { Deque } from "../util/deque.ts";
import type { SinkJournal } from "./journal.ts";
import type { JournalFsync } from "./journal_fsync.ts";

interface Entry {
  readonly seq: number;
  readonly message: Message;
  readonly weight: number;
  /** Journal id of a never-dropped message, when the sink has a journal. */
  readonly journalId?: number;
}

/** Queue limits of one sink (and its journal's fsync policy, applied on reload when it has a journal). */
export interface QueueLimits {
  readonly max_values: number;
  readonly max_batch: number;
  readonly journal_fsync?: JournalFsync;
  readonly journal_fsync_ms?: number;
}

/**
 * Feeds a sink from a bounded queue. Raw samples, blocks, rollups and scores are droppable: when the queue
 * holds more than `max_values`, the oldest droppable message goes first and is counted. Features, alerts and
 * events are never dropped here (their durability is the sink's job, e.g. the outbox).
 */
export class SinkRunner {
  readonly #droppable = new Deque<Entry>();
  readonly #kept = new Deque<Entry>();
  #seq = 0;
  #weight = 0;
  #wake: (() => void) | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #failed: string | undefined;
  #inFlight = 0;
  readonly #abort = new AbortController();
  readonly #uncollect: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly sink: Sink,
    private limits: QueueLimits,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** Write-ahead journal for features, alerts and events (queue.journal): they survive a crash. */
    private readonly journal?: SinkJournal,
  ) {
    // What a previous run journaled but its sink never confirmed goes first.
    for (const { id, message } of journal?.takePending() ?? []) this.#enqueue(message, id);
    const labels = { sink: name };
    this.#uncollect.push(
      metrics.gauge("gateway_sink_queue_values", "Values waiting in a sink's bounded queue")
        .collect(() => [[labels, this.#weight]]),
      metrics.gauge("gateway_sink_queue_messages", "Messages waiting in a sink's bounded queue")
        .collect(() => [[labels, this.queuedMessages]]),
    );
  }

  /** Values waiting (not counting the batch being written). */
  get queuedValues(): number {
    return this.#weight;
  }
  get queuedMessages(): number {
    return this.#droppable.length + this.#kept.length;
  }

  setLimits(limits: QueueLimits): void {
    this.limits = limits;
    if (this.journal && limits.journal_fsync !== undefined) {
      this.journal.setFsync({
        fsync: limits.journal_fsync,
        intervalMs: limits.journal_fsync_ms ?? this.journal.fsync.intervalMs,
      });
    }
  }

  /** Enqueues a message the sink accepts; never blocks the producer. */
  offer(message: Message): void {
    if (!this.sink.accepts.has(message.kind)) return;
    if (this.#failed) {
      this.metrics.counter("gateway_sink_dropped_total", "Messages dropped before reaching a sink")
        .inc({ sink: this.name, kind: message.kind, reason: "sink_failed" });
      return;
    }
    if (this.sink.intake) {
      try {
        if (this.sink.intake(message)) return;
      } catch (error) {
        this.logger.warn("sink intake failed; message queued instead", {
          sink: this.name,
          error: errorMessage(error),
        });
      }
    }
    const droppable = DROPPABLE_KINDS.includes(message.kind);
    let journalId: number | undefined;
    if (!droppable && this.journal) {
      try {
        journalId = this.journal.append(message);
      } catch (error) {
        this.logger.error("sink journal append failed; message kept in memory only", {
          sink: this.name,
          error: errorMessage(error),
        });
      }
    }
    this.#enqueue(message, journalId);
  }

  #enqueue(message: Message, journalId: number | undefined): void {
    const weight = messageWeight(message);
    const entry: Entry = journalId === undefined
      ? { seq: this.#seq++, message, weight }
      : { seq: this.#seq++, message, weight, journalId };
    (DROPPABLE_KINDS.includes(message.kind) ? this.#droppable : this.#kept).push(entry);
    this.#weight += weight;
    while (this.#weight > this.limits.max_values && this.#droppable.length > 0) {
      const dropped = this.#droppable.shift()!;
      this.#weight -= dropped.weight;
      this.metrics.counter("gateway_sink_dropped_total", "Messages dropped before reaching a sink")
        .inc({ sink: this.name, kind: dropped.message.kind, reason: "queue_full" });
      this.metrics.counter("gateway_sink_dropped_values_total", "Values dropped before reaching a sink")
        .inc({ sink: this.name }, dropped.weight);
    }
    this.#wake?.();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#pump();
  }

  /** Stops accepting work after draining what is queued (bounded by `timeoutMs`), then stops the sink. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queuedMessages + this.#inFlight > 0 && !this.#failed && Date.now() < deadline) {
      await sleep(10);
    }
    const left = this.queuedMessages;
    if (left > 0) this.logger.warn("sink stopped with messages still queued", { sink: this.name, left });
    this.#running = false;
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
    try {
      await this.sink.stop();
    } catch (error) {
      this.logger.error("sink stop failed", { sink: this.name, error: errorMessage(error) });
    }
    try {
      await this.journal?.close();
    } catch (error) {
      this.logger.error("sink journal close failed", { sink: this.name, error: errorMessage(error) });
    }
    for (const remove of this.#uncollect.splice(0)) remove();
  }

  health(): ComponentHealth {
    const h = this.sink.health();
    const details = {
      ...h.details,
      queued_values: this.#weight,
      queued_messages: this.queuedMessages,
      ...(this.journal ? { journal: this.journal.stats() } : {}),
    };
    if (this.#failed) return { ...h, state: "failed", lastError: this.#failed, details };
    return { ...h, details };
  }

  #take(): Entry[] {
    const batch: Entry[] = [];
    while (batch.length < this.limits.max_batch) {
      const a = this.#droppable.peek();
      const b = this.#kept.peek();
      if (!a && !b) break;
      const e = (!b || (a && a.seq < b.seq)) ? this.#droppable.shift()! : this.#kept.shift()!;
      this.#weight -= e.weight;
      batch.push(e);
    }
    return batch;
  }

  async #pump(): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 10_000 });
    const written = this.metrics.counter("gateway_sink_written_total", "Messages written by sinks");
    while (this.#running) {
      if (this.queuedMessages === 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      let batch = this.#take();
      this.#inFlight = batch.length;
      while (batch.length > 0 && !this.#failed) {
        try {
          await this.sink.write(batch.map((e) => e.message));
          written.inc({ sink: this.name }, batch.length);
          this.#ackJournal(batch);
          batch = [];
          backoff.reset();
        } catch (error) {
          if (error instanceof PartialWriteError) {
            written.inc({ sink: this.name }, error.written);
            this.#ackJournal(batch.slice(0, Math.max(0, error.written)));
            batch = batch.slice(Math.max(0, error.written));
          }
          if (error instanceof FatalError) {
            this.#failed = errorMessage(error);
            this.logger.error("sink failed permanently; its messages are dropped and counted", {
              sink: this.name,
              error: this.#failed,
            });
            break;
          }
          const delay = error instanceof RetryableError && error.retryAfterMs !== undefined
            ? error.retryAfterMs
            : backoff.next();
          this.logger.warn("sink write failed, retrying", {
            sink: this.name,
            error: errorMessage(error),
            delay_ms: delay,
          });
          this.metrics.counter("gateway_sink_retries_total", "Sink write retries").inc({ sink: this.name });
          await sleep(delay, this.#abort.signal);
          if (this.#abort.signal.aborted) break;
        }
      }
      this.#inFlight = 0;
    }
  }

  /** Confirms journaled messages of a written batch (written in order, so the last id covers the rest). */
  #ackJournal(written: readonly Entry[]): void {
    if (!this.journal) return;
    let last: number | undefined;
    for (const e of written) if (e.journalId !== undefined) last = e.journalId;
    if (last === undefined) return;
    try {
      this.journal.ack(last);
    } catch (error) {
      this.logger.warn("sink journal ack failed (the messages may be written again after a crash)", {
        sink: this.name,
        error: errorMessage(error),
      });
    }
  }
}
