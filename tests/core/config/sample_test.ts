import assert from "node:assert/strict";
import "../../../main.ts";
import { parseConfig, sampleConfig } from "../../../core/mod.ts";

const SAMPLE = new URL("../../../config/gateway.sample.yaml", import.meta.url);

Deno.test("the committed sample configuration is what the schemas generate (run `gateway config-sample --out config/gateway.sample.yaml`)", async () => {
  const committed = await Deno.readTextFile(SAMPLE);
  assert.equal(committed, sampleConfig());
});

Deno.test("the sample configuration is valid as shipped", async () => {
  const config = parseConfig(await Deno.readTextFile(SAMPLE), { env: () => undefined });
  assert.equal(config.gateway.id, "gw-01");
});

Deno.test("the sample lists every registered adapter type with all its keys", () => {
  const text = sampleConfig();
  for (const type of ["simulator", "console"]) assert.match(text, new RegExp(`#\\s+type: ${type}\\b`));
  for (
    const key of [
      "seed",
      "tick_ms",
      "max_catch_up_s",
      "interval_ms",
      "queue",
      "max_values",
      "default_capacity",
    ]
  ) {
    assert.match(text, new RegExp(`\\b${key}:`), key);
  }
});

Deno.test("each commented component block in the sample becomes valid once uncommented and filled in", () => {
  const text = sampleConfig();
  // The simulator block shows one example signal of each kind; only their names need filling in.
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^# - name: my-simulator/.test(l));
  assert.ok(start > 0);
  const block: string[] = [];
  for (let i = start; i < lines.length && lines[i]!.startsWith("# "); i++) {
    block.push(`  ${lines[i]!.slice(2)}`);
  }
  let n = 0;
  const filled = block.join("\n").replace(/name: <a string, required>/g, () => `name: signal${++n}`);
  const live = filled.split("\n").filter((l) => !l.trimStart().startsWith("#"));
  assert.ok(!live.some((l) => l.includes(", required>")), filled);
  const yaml = `gateway: { id: g, site: s }\nsources:\n${filled}\n`;
  parseConfig(yaml, { env: () => undefined });
});
