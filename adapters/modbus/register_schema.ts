/**
 * @module Configuration of one Modbus register (or coil) and how its raw value becomes a tag value.
 */
import { type InferShape, s, tagMetaShape } from "../../core/mod.ts";
import { ORDERS, REGISTER_TYPES } from "./codec.ts";

/** Modbus data tables, read with function codes 1 (coil), 2 (discrete), 3 (holding), 4 (input). */
export const TABLES = ["coil", "discrete", "holding", "input"] as const;
export type Table = typeof TABLES[number];

const scaleBy = s.object({
  register: s.id().describe("Name of the register (same device) whose raw value selects the scale."),
  cases: s.record(s.number()).describe(
    'Raw value of that register -> scale factor, e.g. { "1": 0.1, "2": 0.01 }.',
  ),
  default: s.number().opt().describe(
    "Scale when the selector value has no case; without it such samples are Bad with the reason.",
  ),
});

export const registerSchema = s.object({
  ...tagMetaShape,
  name: s.id().describe("Register name; the tag id is <source>.<device>.<name> unless `id` is set."),
  table: s.enum(TABLES).default("holding").describe(
    "coil (FC1), discrete input (FC2), holding register (FC3) or input register (FC4).",
  ),
  address: s.int({ min: 0, max: 65535 }).describe(
    "Protocol address, 0-based (holding register 40001 is address 0).",
  ),
  type: s.enum(REGISTER_TYPES).opt().describe(
    "Data type; default bool for coils/discrete inputs and uint16 for registers.",
  ),
  bit: s.int({ min: 0, max: 15 }).opt().describe(
    "With type bool on a holding/input register: the bit (0 = least significant) to read.",
  ),
  length: s.int({ min: 1, max: 125 }).opt().describe("With type string: number of registers (2 chars each)."),
  order: s.enum(ORDERS).opt().describe("Byte/word order override for this register (default: the device's)."),
  scale: s.number().default(1).describe("Engineering value = raw * scale + offset."),
  offset: s.number().default(0).describe("Engineering value = raw * scale + offset."),
  scale_by: scaleBy.opt().describe(
    "Mode-dependent scale: the scale factor is chosen by another register's raw value (replaces `scale`).",
  ),
  bits: s.record(s.int({ min: 0, max: 63 })).opt().describe(
    "Bit-field / alarm word: named booleans { name: bit index } emitted as tags <register tag>.<name>.",
  ),
  emit_word: s.boolean().default(true).describe("With `bits`: also emit the whole word as a tag."),
  values: s.record(s.string()).opt().describe(
    'Value map (enum): raw code -> label, e.g. { "0": stopped, "1": running }.',
  ),
  value_output: s.enum(["label", "code"]).default("label").describe(
    "With `values`: emit the label string (default) or the numeric code; unknown codes are Uncertain.",
  ),
});

export type RegisterConfig = InferShape<typeof registerSchema.shape>;
