/**
 * @module The list of benchmark suites; each area adds its suite here.
 */
import type { BenchSuite } from "./harness.ts";

export const suites: BenchSuite[] = [];
