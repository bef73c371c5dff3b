/**
 * @module The list of benchmark suites; each area adds its suite here.
 */
import type { BenchSuite } from "./harness.ts";
import { ringSuite } from "./ring_bench.ts";

export const suites: BenchSuite[] = [
  ringSuite,
];
