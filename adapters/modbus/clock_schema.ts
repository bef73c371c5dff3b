/**
 * @module Configuration of an optional device clock register, audited against the gateway clock.
 */
import { type InferShape, s } from "../../core/mod.ts";
import { ORDERS } from "./codec.ts";

export const clockSchema = s.object({
  table: s.enum(["holding", "input"]).default("holding").describe("Register table holding the clock."),
  address: s.int({ min: 0, max: 65535 }).describe("Protocol address (0-based) of the clock value."),
  type: s.enum(["uint32", "uint64", "int64", "float64"]).default("uint32").describe(
    "Encoding of the clock value.",
  ),
  unit: s.enum(["s", "ms"]).default("s").describe("Unit of the clock value: epoch seconds or milliseconds."),
  order: s.enum(ORDERS).opt().describe("Byte/word order override (default: the device's)."),
  tolerance_ms: s.number({ gt: 0 }).default(2000).describe(
    "|device clock - gateway clock| above this raises a data-quality event.",
  ),
});

export type ClockConfig = InferShape<typeof clockSchema.shape>;
