import assert from "node:assert/strict";
import "../../../adapters/mod.ts";
import { ConfigError, parseConfig, sampleConfig } from "../../../core/mod.ts";
import { DEMO_CONFIG } from "../../../demo/mod.ts";

/** Small deterministic PRNG (mulberry32) so a failure reproduces from its seed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  "",
  "null",
  "~",
  "-1",
  "1e309",
  "NaN",
  ".inf",
  "0x7fffffff",
  "[]",
  "{}",
  "[1, [2, [3]]]",
  "{ a: { b: { c: 1 } } }",
  '"\\u0000"',
  "'; DROP TABLE samples; --",
  "${UNSET_VARIABLE}",
  "${A:-${B}}",
  "&anchor x",
  "*alias",
  "!!binary aGVsbG8=",
  "!!js/function 'x'",
  "x".repeat(10_000),
  "ümlaut 测试 🚀",
  "true",
  "2026-13-45",
];

function mutate(text: string, random: () => number): string {
  const lines = text.split("\n");
  const pick = () => Math.floor(random() * lines.length);
  const ops = 1 + Math.floor(random() * 3);
  for (let k = 0; k < ops; k++) {
    const i = pick();
    const line = lines[i] ?? "";
    switch (Math.floor(random() * 8)) {
      case 0: // delete a line
        lines.splice(i, 1);
        break;
      case 1: // duplicate a line (duplicate keys, repeated list items)
        lines.splice(i, 0, line);
        break;
      case 2: { // replace a scalar value
        const colon = line.indexOf(": ");
        if (colon > 0) lines[i] = `${line.slice(0, colon + 2)}${NASTY[Math.floor(random() * NASTY.length)]}`;
        break;
      }
      case 3: // break indentation
        lines[i] = (random() < 0.5 ? " " : "   ") + line;
        break;
      case 4: // truncate the document
        lines.length = Math.max(1, i);
        break;
      case 5: { // insert random punctuation
        const pos = Math.floor(random() * (line.length + 1));
        const junk = ["{", "}", "[", "]", ":", "- ", "#", "'", '"', "\t", "&", "*", "!", "|", ">"];
        lines[i] = line.slice(0, pos) + junk[Math.floor(random() * junk.length)] + line.slice(pos);
        break;
      }
      case 6: { // rename a key
        const colon = line.indexOf(":");
        if (colon > 0) lines[i] = `${line.slice(0, colon)}x${line.slice(colon)}`;
        break;
      }
      default: // swap two lines
        {
          const j = pick();
          [lines[i], lines[j]] = [lines[j] ?? "", line];
        }
        break;
    }
  }
  return lines.join("\n");
}

const PROBLEM =
  /^(line \d+, column \d+: .+|YAML: .+|hint: .+|\(root\)(?: \(line \d+\))?: .+|[A-Za-z_"][^\n]*?(?: \(line \d+\))?: .+)$/;

Deno.test("thousands of mutated configurations: never a crash, always path-and-reason messages", () => {
  const seeds = [DEMO_CONFIG.replace("${DEMO_DATA_DIR}", "/tmp/x"), sampleConfig()];
  let rejected = 0;
  let accepted = 0;
  for (let n = 0; n < 3000; n++) {
    const random = rng(n + 1);
    const text = mutate(seeds[n % seeds.length]!, random);
    try {
      parseConfig(text, { env: (name) => (name === "A" ? "1" : undefined) });
      accepted++;
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        assert.fail(
          `seed ${n + 1}: ${error instanceof Error ? error.stack : String(error)}\n--- input ---\n${text}`,
        );
      }
      assert.ok(error.problems.length > 0, `seed ${n + 1}: no problems listed`);
      for (const p of error.problems) {
        assert.match(p, PROBLEM, `seed ${n + 1}: message without a path: ${p}`);
        assert.doesNotMatch(p, /^\s+at /m, `seed ${n + 1}: stack trace in message`);
        assert.ok(p.length < 600, `seed ${n + 1}: runaway message (${p.length} chars)`);
      }
      rejected++;
    }
  }
  // Many mutations hit comments of the sample and stay valid; the rest must exercise the error paths.
  assert.ok(
    rejected > 1000,
    `enough mutations must be rejected (${rejected} rejected, ${accepted} accepted)`,
  );
});
