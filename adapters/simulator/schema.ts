/**
 * @module Configuration of the simulated plant: signals, their physics, and injectable faults.
 */
import { type InferShape, s, type Schema, tagMetaShape } from "../../core/mod.ts";

const interval = (ms: number) =>
  s.int({ min: 1, max: 3_600_000 }).default(ms).describe("Sampling interval, ms.");

const bearingShape = s.object({
  balls: s.int({ min: 3, max: 64 }).default(9).describe("Number of rolling elements."),
  ball_diameter_mm: s.number({ gt: 0 }).default(7.94).describe("Rolling element diameter, mm."),
  pitch_diameter_mm: s.number({ gt: 0 }).default(39.04).describe("Pitch diameter, mm."),
  contact_angle_deg: s.number({ min: 0, max: 60 }).default(0).describe("Contact angle, degrees."),
});
const DEFAULT_BEARING = { balls: 9, ball_diameter_mm: 7.94, pitch_diameter_mm: 39.04, contact_angle_deg: 0 };

const vibration = s.object({
  name: s.id().describe("Signal name; the tag id is <source name>.<name> unless id is set."),
  kind: s.enum(["vibration"]),
  sample_rate_hz: s.number({ gt: 0, max: 200_000 }).default(25_600).describe("Sample rate, Hz."),
  shaft_hz: s.number({ gt: 0 }).default(24.75).describe("Shaft speed, Hz (1x)."),
  harmonics: s.array(s.number({ min: 0 })).default([1, 0.3, 0.1]).describe(
    "Amplitudes of 1x, 2x, 3x ... (unit of the tag).",
  ),
  noise: s.number({ min: 0 }).default(0.02).describe("White noise RMS."),
  bearing: bearingShape.default(DEFAULT_BEARING).describe("Bearing geometry (defaults: 6205-like)."),
  fault: s.object({
    type: s.enum(["none", "outer_race", "inner_race"]).default("none").describe(
      "Bearing defect to simulate.",
    ),
    amplitude: s.number({ min: 0 }).default(0.5).describe("Impact amplitude."),
    resonance_hz: s.number({ gt: 0 }).default(3000).describe(
      "Structural resonance excited by each impact, Hz.",
    ),
    damping_per_s: s.number({ gt: 0 }).default(800).describe("Decay rate of each impact, 1/s."),
  }).default({ type: "none", amplitude: 0.5, resonance_hz: 3000, damping_per_s: 800 }),
  ...tagMetaShape,
});

const analog = s.object({
  name: s.id().describe("Signal name; the tag id is <source name>.<name> unless id is set."),
  kind: s.enum(["analog", "temperature"]),
  interval_ms: interval(1000),
  base: s.number().default(50).describe("Mean value."),
  amplitude: s.number({ min: 0 }).default(1).describe("Amplitude of a slow sine."),
  period_s: s.number({ gt: 0 }).default(600).describe("Period of the slow sine, s."),
  noise: s.number({ min: 0 }).default(0.05).describe("White noise standard deviation."),
  drift_per_hour: s.number().default(0).describe("Linear drift per hour (sensor ageing, fouling)."),
  ...tagMetaShape,
});

const counter = s.object({
  name: s.id().describe("Signal name; the tag id is <source name>.<name> unless id is set."),
  kind: s.enum(["counter"]),
  interval_ms: interval(1000),
  rate_per_s: s.number({ min: 0 }).default(1).describe("Mean increments per second."),
  ...tagMetaShape,
});

const boolean = s.object({
  name: s.id().describe("Signal name; the tag id is <source name>.<name> unless id is set."),
  kind: s.enum(["boolean"]),
  interval_ms: interval(1000),
  period_s: s.number({ gt: 0 }).default(60).describe("Cycle period, s."),
  duty: s.number({ min: 0, max: 1 }).default(0.5).describe("Share of the period the value is true."),
  ...tagMetaShape,
});

const state = s.object({
  name: s.id().describe("Signal name; the tag id is <source name>.<name> unless id is set."),
  kind: s.enum(["state"]),
  interval_ms: interval(1000),
  sequence: s.array(
    s.object({
      code: s.int().describe("Value emitted while in this state."),
      seconds: s.number({ gt: 0 }).describe("How long the state lasts."),
    }),
    { minItems: 1 },
  ).default([{ code: 2, seconds: 300 }, { code: 1, seconds: 60 }, { code: 0, seconds: 30 }])
    .describe("States cycled through (e.g. 2 running, 1 idle, 0 down)."),
  ...tagMetaShape,
});

const SIGNALS = new Map<string, Schema<unknown>>([
  ["vibration", vibration],
  ["analog", analog],
  ["temperature", analog],
  ["counter", counter],
  ["boolean", boolean],
  ["state", state],
]);

export type VibrationSignal = InferShape<typeof vibration.shape>;
export type AnalogSignal = InferShape<typeof analog.shape>;
export type CounterSignal = InferShape<typeof counter.shape>;
export type BooleanSignal = InferShape<typeof boolean.shape>;
export type StateSignal = InferShape<typeof state.shape>;
export type SignalConfig = VibrationSignal | AnalogSignal | CounterSignal | BooleanSignal | StateSignal;

export const FAULT_TYPES = ["spike", "step", "drift", "stuck", "dropout", "bad_quality", "noise"] as const;
export type FaultType = typeof FAULT_TYPES[number];

const fault = s.object({
  signal: s.id().describe("Name of the signal the fault affects."),
  type: s.enum(FAULT_TYPES).describe(
    "spike/step/drift add magnitude; stuck freezes; dropout stops samples; bad_quality flags them.",
  ),
  start_s: s.number({ min: 0 }).describe("Seconds after the source starts."),
  duration_s: s.number({ min: 0 }).default(1).describe(
    "How long it lasts (drift: ramp time, then it stays).",
  ),
  magnitude: s.number().default(1).describe("Size of spike/step/drift, or noise standard deviation."),
  repeat_every_s: s.number({ gt: 0 }).opt().describe("Repeat the fault with this period."),
});
export type FaultConfig = InferShape<typeof fault.shape>;

export const simulatorSchema = s.object({
  seed: s.int({ min: 0, max: 2 ** 32 - 1 }).default(1).describe(
    "Seed: the same seed gives the same signals.",
  ),
  tick_ms: s.int({ min: 10, max: 10_000 }).default(100).describe("How often generated samples are emitted."),
  max_catch_up_s: s.number({ gt: 0 }).default(5).describe(
    "After a stall, at most this much backlog is generated; older samples are skipped and counted.",
  ),
  signals: s.refine(
    s.array(s.tagged<SignalConfig>("kind", () => SIGNALS), { minItems: 1 }),
    (signals, path, ctx) => {
      const seen = new Set<string>();
      signals.forEach((sig, i) => {
        if (seen.has(sig.name)) ctx.fail(`${path}[${i}].name`, `signal "${sig.name}" is defined twice`);
        seen.add(sig.name);
      });
    },
  ).describe("Signals to generate."),
  faults: s.array(fault).default([]).describe("Faults to inject."),
}).withCheck((config, path, ctx) => {
  const names = new Set(config.signals.map((sig) => sig.name));
  config.faults.forEach((f, i) => {
    if (!names.has(f.signal)) {
      ctx.fail(
        `${path ? `${path}.` : ""}faults[${i}].signal`,
        `no signal named "${f.signal}" (known: ${[...names].join(", ")})`,
      );
    }
  });
});
export type SimulatorConfig = InferShape<typeof simulatorSchema.shape>;
