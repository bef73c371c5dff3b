/**
 * @module What a payload scheme (gateway JSON or Sparkplug B) provides to the publisher.
 */
import type { OutboxRecord } from "./outbox/mod.ts";

/** One MQTT PUBLISH. */
export interface Publication {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** Topic and payload scheme. */
export interface Codec {
  /** The last will registered with each CONNECT. */
  will(): Publication;
  /** Published first on every connection (status "online" / NBIRTH + DBIRTHs). */
  births(): Publication[];
  /**
   * Publications for one record; the record is acknowledged when the last one is. `replayed` is true when the
   * record waited in the outbox for the connection (Sparkplug `is_historical`).
   */
  encode(record: OutboxRecord, replayed: boolean): Publication[];
  /**
   * Published before disconnecting gracefully (status "offline" / NDEATH): on a stop, or on leaving a failover
   * broker for a preferred one (`failback`).
   */
  goodbye(reason?: "stopped" | "failback"): Publication;
  /** Topic filters to subscribe to for commands. */
  commandTopics(): string[];
  /** Topic of command results. */
  resultTopic(): string;
}
