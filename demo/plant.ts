/**
 * @module The demo's physical plant: a seeded simulator drives the embedded OPC UA server and Modbus
 * device, so the gateway reads them over the real protocols, faults included.
 */
import { createLogger, Metrics, type Sample, type SourceContext, TagStore } from "../core/mod.ts";
import { SimulatorSource } from "../adapters/simulator/mod.ts";
import { simulatorSchema } from "../adapters/simulator/schema.ts";
import type { OpcuaPlant } from "./opcua_plant.ts";
import type { ModbusPlant } from "./modbus_plant.ts";

/** The process values of the plant and their faults (seconds after the demo starts). */
const PROCESS = {
  seed: 42,
  tick_ms: 200,
  signals: [
    {
      name: "pump1_flow",
      kind: "analog",
      interval_ms: 500,
      base: 120,
      amplitude: 4,
      period_s: 120,
      noise: 0.5,
    },
    {
      name: "pump1_pressure",
      kind: "analog",
      interval_ms: 500,
      base: 6.2,
      amplitude: 0.2,
      period_s: 90,
      noise: 0.03,
    },
    {
      name: "pump1_bearing_temp",
      kind: "temperature",
      interval_ms: 1000,
      base: 48,
      amplitude: 0.5,
      period_s: 300,
    },
    { name: "pump1_running", kind: "boolean", interval_ms: 1000, period_s: 600, duty: 0.9 },
    { name: "press2_strokes", kind: "counter", interval_ms: 1000, rate_per_s: 0.8 },
    { name: "press2_state", kind: "state", interval_ms: 1000 },
    {
      name: "press2_power_kw",
      kind: "analog",
      interval_ms: 1000,
      base: 35,
      amplitude: 6,
      period_s: 45,
      noise: 0.8,
    },
  ],
  faults: [
    {
      signal: "pump1_bearing_temp",
      type: "spike",
      start_s: 40,
      duration_s: 3,
      magnitude: 14,
      repeat_every_s: 120,
    },
    { signal: "pump1_pressure", type: "drift", start_s: 60, duration_s: 240, magnitude: 1.5 },
    { signal: "pump1_flow", type: "bad_quality", start_s: 90, duration_s: 5, repeat_every_s: 180 },
  ],
};

/** Feeds the embedded servers until stopped. */
export class PlantDriver {
  readonly #source: SimulatorSource;
  readonly #abort = new AbortController();
  #energyKwh = 0;
  #lastPowerTs = 0;

  constructor(private readonly opcua: OpcuaPlant, private readonly modbus: ModbusPlant) {
    const parsed = simulatorSchema.parse(PROCESS);
    if (!parsed.ok) {
      throw new TypeError(
        `demo plant config: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      );
    }
    this.#source = new SimulatorSource({ ...parsed.value, name: "physical" });
  }

  async start(): Promise<void> {
    this.modbus.setTag("mode", 1);
    const ctx: SourceContext = {
      name: "physical",
      gateway: { id: "plant", site: "plant", version: "demo" },
      logger: createLogger({ level: "error" }),
      metrics: new Metrics(),
      tags: new TagStore(16),
      signal: this.#abort.signal,
      stateDir: "",
      event: () => {},
      now: Date.now,
      provide: () => {},
      lookup: () => undefined,
      emit: (samples) => {
        for (const s of samples) this.#apply(s);
      },
      emitBlock: () => {},
      defineTags: () => {},
    };
    await this.#source.start(ctx);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#source.stop();
  }

  #apply(s: Sample): void {
    const name = s.tag.slice("physical.".length);
    const value = s.value;
    const status = s.quality === 0 ? 0 : 0x808b0000; // BadDeviceFailure, as a failing transmitter reports
    switch (name) {
      case "pump1_flow":
        this.opcua.set("pump1_flow", value as number, s.ts, status);
        this.modbus.setTag("flow", value as number);
        break;
      case "pump1_pressure":
        this.opcua.set("pump1_pressure", value as number, s.ts);
        this.modbus.setTag("pressure", value as number);
        break;
      case "pump1_bearing_temp": {
        const t = value as number;
        this.opcua.set("pump1_bearing_temp", t, s.ts);
        this.modbus.setTag("temperature", Math.round(t * 10)); // mode 1: 0.1 degC per count
        this.modbus.setTag("alarms", t > 60 ? 1 : 0);
        break;
      }
      case "pump1_running":
        this.opcua.set("pump1_running", value as boolean, s.ts);
        break;
      case "press2_strokes":
        this.opcua.set("press2_strokes", value as number, s.ts);
        this.modbus.setTag("strokes", value as number);
        break;
      case "press2_state":
        this.modbus.setTag("state", value === 2 ? 1 : value === 0 ? 2 : 0); // running / fault / stopped
        break;
      case "press2_power_kw": {
        if (this.#lastPowerTs > 0) {
          this.#energyKwh += ((value as number) * (s.ts - this.#lastPowerTs)) / 3_600_000;
        }
        this.#lastPowerTs = s.ts;
        this.modbus.setTag("energy", this.#energyKwh);
        break;
      }
    }
  }
}
