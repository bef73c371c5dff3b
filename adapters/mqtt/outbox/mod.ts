/**
 * @module The MQTT uplink's durable outbox: CRC-framed segment files in lanes, an ack cursor, a disk budget.
 */
export { type NewRecord, Outbox, type OutboxEvent, type OutboxOptions, type OutboxStats } from "./outbox.ts";
export { encodeRecord, type OutboxRecord, readFrame, RECORD_CLASSES, type RecordClass } from "./record.ts";
export type { Loaded } from "./lane.ts";
export { crc32 } from "./crc32.ts";
