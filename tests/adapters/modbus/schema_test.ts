import assert from "node:assert/strict";
import { configProblems } from "./_helpers.ts";

const device = (extra: Record<string, unknown>, registers: unknown[] = [{ name: "v", address: 0 }]) => ({
  devices: [{ name: "d", host: "10.0.0.5", registers, ...extra }],
});

Deno.test("a minimal TCP device is valid and gets documented defaults", () => {
  assert.deepEqual(configProblems(device({})), []);
});

Deno.test("scale_by must reference a register of the same device", () => {
  const problems = configProblems(device({}, [
    { name: "temp", address: 0, scale_by: { register: "mode", cases: { "1": 0.1 } } },
  ]));
  assert.deepEqual(problems, [
    'sources[0].devices[0].registers[0].scale_by.register: no register "mode" in this device (known: temp)',
  ]);
});

Deno.test("register types that do not fit their table or options are reported with their path", () => {
  const problems = configProblems(device({}, [
    { name: "c", table: "coil", address: 0, type: "uint16" },
    { name: "s", address: 1, type: "string" },
    { name: "b", address: 2, type: "bool" },
    { name: "f", address: 3, type: "float32", values: { "1": "on" } },
    { name: "w", address: 4, bits: { hi: 16 } },
    { name: "e", address: 65535, type: "uint32" },
    { name: "c", address: 5 },
    { name: "k", address: 6, values: { one: "x" } },
  ]));
  const at = (i: number, key: string) => `sources[0].devices[0].registers[${i}].${key}`;
  for (
    const expected of [
      `${at(0, "type")}: a coil is a single bit: type must be bool`,
      `${at(1, "length")}: required with type string`,
      `${at(2, "bit")}: type bool on a register needs the bit (0-15) to read`,
      `${at(3, "values")}: needs an integer type, not float32`,
      `${at(4, "bits.hi")}: bit 16 is outside a 16-bit uint16`,
      `${at(5, "address")}: value of 2 registers at 65535 runs past address 65535`,
      `${at(6, "name")}: register "c" is defined twice in this device`,
      `${at(7, "values.one")}: keys must be integer codes`,
    ]
  ) assert.ok(problems.includes(expected), `missing: ${expected}\n got: ${problems.join("\n")}`);
});

Deno.test("transport-specific keys are required and checked", () => {
  assert.deepEqual(configProblems({ devices: [{ name: "d", registers: [{ name: "v", address: 0 }] }] }), [
    "sources[0].devices[0].host: required with transport tcp",
  ]);
  assert.deepEqual(
    configProblems({ devices: [{ name: "d", transport: "rtu", registers: [{ name: "v", address: 0 }] }] }),
    ["sources[0].devices[0].serial: required with transport rtu (serial line settings)"],
  );
  assert.deepEqual(configProblems(device({ transport: "rtu", serial: { path: "/dev/ttyUSB0" } })), [
    "sources[0].devices[0].host: not used with transport rtu (use serial.path)",
  ]);
});

Deno.test("unknown keys and bad orders are rejected with a hint", () => {
  const problems = configProblems({
    devices: [
      { name: "d", host: "h", order: "ABDC", registers: [{ name: "v", adress: 0 }] },
      { name: "d", host: "h", registers: [{ name: "v", address: 0 }] },
    ],
  });
  assert.ok(
    problems.some((p) => p.startsWith("sources[0].devices[0].order: expected one of ABCD, CDAB, BADC, DCBA")),
  );
  assert.ok(
    problems.some((p) =>
      p.startsWith('sources[0].devices[0].registers[0].adress: unknown key (did you mean "address"?)')
    ),
  );
});

Deno.test("write function codes cannot be configured: tables are read-only by design", () => {
  const problems = configProblems(device({}, [{ name: "v", address: 0, table: "write_register" }]));
  assert.match(problems[0]!, /table: expected one of coil, discrete, holding, input/);
});

Deno.test("two devices with the same name are rejected", () => {
  const reg = [{ name: "v", address: 0 }];
  assert.deepEqual(
    configProblems({
      devices: [{ name: "d", host: "h", registers: reg }, { name: "d", host: "h", registers: reg }],
    }),
    ['sources[0].devices[1].name: device "d" is defined twice'],
  );
});
