/**
 * @module Configuration of the `rollup` transform.
 */
import { type InferShape, s } from "../schema/mod.ts";

export const rollupSchema = s.object({
  tags: s.array(s.string({ minLength: 1 })).default(["*"]).describe(
    'Tag ids or patterns to roll up ("*" = all numeric tags).',
  ),
  intervals: s.array(s.enum(["1s", "1m", "1h"]), { minItems: 1 }).default(["1s", "1m", "1h"]).describe(
    "Intervals emitted; coarser ones are merged from the 1 s buckets.",
  ),
  grace_ms: s.number({ min: 0 }).default(2000).describe(
    "A bucket closes when a sample this much past its end arrives; later samples for it are dead-lettered.",
  ),
  max_wait_ms: s.number({ min: 0 }).default(10_000).describe(
    "A bucket of a tag that stopped updating closes this long (wall clock) after its end.",
  ),
  interval_ms: s.int({ min: 10 }).default(250).describe(
    "How often new samples are read from the ring buffers.",
  ),
});
export type RollupConfig = InferShape<typeof rollupSchema.shape>;
