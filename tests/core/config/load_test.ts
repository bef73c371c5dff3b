import assert from "node:assert/strict";
import "../../../adapters/mod.ts";
import { ConfigError, parseConfig } from "../../../core/mod.ts";

const noEnv = () => undefined;

function problems(text: string, env: (n: string) => string | undefined = noEnv): string[] {
  try {
    parseConfig(text, { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail("expected the configuration to be rejected");
}

const base = `
gateway:
  id: gw-1
  site: plant-a
sources:
  - name: plant
    type: simulator
    signals:
      - { name: temp, kind: temperature }
`;

Deno.test("a minimal configuration validates and gets every default", () => {
  const c = parseConfig(base, { env: noEnv });
  assert.equal(c.gateway.data_dir, "./data");
  assert.equal(c.log.level, "info");
  assert.equal(c.buffer.default_capacity, 4096);
  const src = c.sources[0] as unknown as Record<string, unknown>;
  assert.equal(src.enabled, true);
  assert.equal(src.seed, 1);
});

Deno.test("a wrong type names its path and line", () => {
  const p = problems(base.replace("kind: temperature", "kind: temperature, interval_ms: fast"));
  assert.equal(p.length, 1);
  assert.match(
    p[0]!,
    /^sources\[0\]\.signals\[0\]\.interval_ms \(line 9\): expected an integer, got string "fast"$/,
  );
});

Deno.test("an unknown key is rejected with its path", () => {
  const p = problems(base + "    tick: 5\n");
  assert.match(p[0]!, /^sources\[0\]\.tick \(line 10\): unknown key \(did you mean "tick_ms"\?\)/);
});

Deno.test("a missing required field is reported at the parent mapping's key", () => {
  const p = problems("gateway: { site: plant-a }\n");
  assert.match(p[0]!, /^gateway\.id: missing required key/);
});

Deno.test("an unknown adapter type lists the registered ones", () => {
  const p = problems("gateway: { id: g, site: s }\nsources:\n  - { name: x, type: profibus }\n");
  assert.match(
    p[0]!,
    /^sources\[0\]\.type \(line 3\): expected one of .*simulator.*, got string "profibus"$/,
  );
});

Deno.test("environment variables are substituted, typed when a whole scalar, with defaults", () => {
  const env = (n: string) => ({ SITE: "plant-b", CAP: "8192" } as Record<string, string>)[n];
  const text = base.replace("site: plant-a", "site: ${SITE}") +
    'buffer: { default_capacity: "${CAP}" }\nlog:\n  level: ${LEVEL:-warn}\n';
  const c = parseConfig(text, { env });
  assert.equal(c.gateway.site, "plant-b");
  assert.equal(c.buffer.default_capacity, 8192);
  assert.equal(c.log.level, "warn");
});

Deno.test("an unset environment variable is an error at the path that uses it", () => {
  const p = problems(base.replace("site: plant-a", "site: ${PLANT_SITE}"));
  assert.deepEqual(p, [
    "gateway.site (line 4): environment variable PLANT_SITE is not set (use ${PLANT_SITE:-default} for a default)",
  ]);
});

Deno.test("$$ escapes a literal dollar sign", () => {
  const c = parseConfig(base.replace("site: plant-a", "site: plant-a\n  data_dir: ./da$$ta"), { env: noEnv });
  assert.equal(c.gateway.data_dir, "./da$ta");
});

Deno.test("duplicate component names and dangling inputs are reported", () => {
  const text = base + `
sinks:
  - { name: plant, type: console }
  - { name: out, type: console, inputs: [nowhere] }
`;
  const p = problems(text);
  assert.ok(
    p.some((l) => l.startsWith('sinks[0].name (line 12): "plant" is already used by sources[0]')),
    p.join("\n"),
  );
  assert.ok(
    p.some((l) => l.startsWith('sinks[1].inputs[0] (line 13): no source or transform named "nowhere"')),
    p.join("\n"),
  );
});

Deno.test("YAML syntax errors give line and column, a few at most", () => {
  const p = problems("gateway: { id: g\nsite: [\n");
  assert.match(p[0]!, /^line \d+, column \d+: /);
  assert.ok(p.length <= 3);
});

Deno.test("an unquoted ${VAR} inside a flow mapping gets a hint to quote it", () => {
  const p = problems("gateway: { id: g, site: ${SITE} }\n");
  assert.match(p.at(-1)!, /write "\$\{VAR\}" in quotes/);
});

Deno.test("simulator faults must reference an existing signal", () => {
  const p = problems(base + "    faults:\n      - { signal: nope, type: spike, start_s: 1 }\n");
  assert.match(
    p[0]!,
    /^sources\[0\]\.faults\[0\]\.signal \(line 11\): no signal named "nope" \(known: temp\)$/,
  );
});
