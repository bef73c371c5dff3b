/**
 * @module The MQTT uplink's durable outbox: CRC-framed segment files in priority lanes, per-lane ack
 * cursors, a disk budget.
 */
export {
  type LaneStats,
  type NewRecord,
  Outbox,
  type OutboxEvent,
  type OutboxOptions,
  type OutboxStats,
  type TakeOptions,
} from "./outbox.ts";
export { BULK_LANES, type LaneName, MAX_LOWER_SHARE, PRIORITY_ORDER, PriorityPicker } from "./priority.ts";
export { encodeRecord, type OutboxRecord, readFrame, RECORD_CLASSES, type RecordClass } from "./record.ts";
export type { Loaded } from "./lane.ts";
export { crc32 } from "./crc32.ts";
