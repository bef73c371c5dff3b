/**
 * @module The sink plugin kind: something that consumes messages (history, MQTT uplink, console).
 */
import type { Message, MessageKind } from "../model/message.ts";
import type { ComponentHealth } from "./health.ts";
import type { ComponentContext } from "./context.ts";

/** A running consumer. `write` is never called concurrently with itself. */
export interface Sink {
  /** Kinds this sink wants; the pipeline routes nothing else to it. */
  readonly accepts: ReadonlySet<MessageKind>;
  start(ctx: ComponentContext): Promise<void>;
  /**
   * Consumes a batch. Throw RetryableError to have the same batch retried after a backoff,
   * PartialWriteError to retry only the unwritten rest, FatalError to stop the sink.
   */
  write(messages: readonly Message[]): Promise<void>;
  /**
   * Optional fast path, called synchronously when a message is routed to the sink, before it is queued.
   * Return true when the sink took the message itself (it is then not queued). Must be cheap: the producer
   * waits. Lets a sink fold high-rate data (vibration blocks) into small state instead of filling its queue.
   */
  intake?(message: Message): boolean;
  /** Flushes and releases resources. */
  stop(): Promise<void>;
  health(): ComponentHealth;
}
