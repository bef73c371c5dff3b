/**
 * @module Runs every benchmark suite: `deno task bench [suite-name ...]`.
 */
import type { BenchSuite } from "./harness.ts";
import { suites } from "./suites.ts";

const wanted = new Set(Deno.args);
const chosen: BenchSuite[] = suites.filter((s) => wanted.size === 0 || wanted.has(s.name));
console.log(
  `# gateway benchmarks (${
    new Date().toISOString()
  }, deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores)`,
);
for (const suite of chosen) {
  console.log(`\n## ${suite.name}`);
  await suite.run();
}
