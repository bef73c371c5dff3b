/**
 * @module A Modbus TCP plant for the demo: an embedded server on 127.0.0.1 whose registers hold what the
 * caller pushes, plus the `modbus` source config that reads it (typed values, a mode-dependent scale, an
 * alarm word, a state enum and a device clock).
 */
import type { Order, RegisterType } from "../adapters/modbus/codec.ts";
import { encodeRegisters } from "../adapters/modbus/encode.ts";
import { startModbusTcpServer } from "../adapters/modbus/tcp_server.ts";

/** One register of the plant, as the plant serves it and the source reads it. */
export interface PlantRegister {
  readonly name: string;
  readonly table: "holding" | "input";
  readonly address: number;
  readonly type: Exclude<RegisterType, "bool" | "string">;
  readonly order?: Order;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The plant's register map. */
export const PLANT_REGISTERS: readonly PlantRegister[] = [
  { name: "flow", table: "input", address: 0, type: "float32", extra: { unit: "m3/h", asset: "pump-1" } },
  { name: "pressure", table: "input", address: 2, type: "float32", order: "CDAB", extra: { unit: "bar" } },
  {
    name: "mode",
    table: "holding",
    address: 10,
    type: "uint16",
    extra: { description: "1 normal, 2 precision" },
  },
  {
    name: "temperature",
    table: "holding",
    address: 11,
    type: "int16",
    extra: { unit: "degC", scale_by: { register: "mode", cases: { "1": 0.1, "2": 0.01 }, default: 0.1 } },
  },
  {
    name: "state",
    table: "holding",
    address: 12,
    type: "uint16",
    extra: { values: { "0": "stopped", "1": "running", "2": "fault" } },
  },
  {
    name: "alarms",
    table: "holding",
    address: 13,
    type: "uint16",
    extra: { bits: { overtemp: 0, low_flow: 1, estop: 15 } },
  },
  { name: "strokes", table: "holding", address: 20, type: "uint32", extra: { unit: "strokes" } },
  { name: "energy", table: "holding", address: 22, type: "float64", extra: { unit: "kWh" } },
];

/** Address of the plant clock (uint32 epoch seconds, holding registers 100-101). */
export const PLANT_CLOCK_ADDRESS = 100;

/** A running plant. */
export interface ModbusPlant {
  readonly port: number;
  /** Writes `value` encoded as `type` at `address` of `table` (holding by default). */
  set(
    address: number,
    type: PlantRegister["type"],
    value: number,
    table?: "holding" | "input",
    order?: Order,
  ): void;
  /** Writes a named register of {@link PLANT_REGISTERS}. */
  setTag(name: string, value: number): void;
  /** Requests served per function code. */
  readonly requests: Readonly<Record<number, number>>;
  close(): Promise<void>;
}

/** Starts the plant server (port 0 = a free port); its clock runs `clockOffsetMs` away from the host's. */
export async function startModbusPlant(
  options: { port?: number; clockOffsetMs?: number } = {},
): Promise<ModbusPlant> {
  const server = await startModbusTcpServer(options.port === undefined ? {} : { port: options.port });
  const set: ModbusPlant["set"] = (address, type, value, table = "holding", order = "ABCD") => {
    const words = encodeRegisters(type, value, order);
    (table === "holding" ? server.tables.holding : server.tables.input).set(words, address);
  };
  const tick = () =>
    set(PLANT_CLOCK_ADDRESS, "uint32", Math.floor((Date.now() + (options.clockOffsetMs ?? 0)) / 1000));
  tick();
  const timer = setInterval(tick, 250);
  return {
    port: server.port,
    set,
    setTag(name, value) {
      const r = PLANT_REGISTERS.find((x) => x.name === name);
      if (!r) {
        throw new RangeError(
          `no plant register "${name}" (known: ${PLANT_REGISTERS.map((x) => x.name).join(", ")})`,
        );
      }
      set(r.address, r.type, value, r.table, r.order);
    },
    requests: server.requests,
    close() {
      clearInterval(timer);
      return server.close();
    },
  };
}

/** The `modbus` source config (as parsed from YAML) that reads the plant on `port`. */
export function modbusPlantConfig(
  port: number,
  options: { name?: string; pollMs?: number } = {},
): Record<string, unknown> {
  return {
    name: options.name ?? "plc",
    type: "modbus",
    devices: [{
      name: "line1",
      host: "127.0.0.1",
      port,
      poll_interval_ms: options.pollMs ?? 1000,
      clock: { address: PLANT_CLOCK_ADDRESS, type: "uint32", unit: "s", tolerance_ms: 5000 },
      registers: PLANT_REGISTERS.map((r) => ({
        name: r.name,
        table: r.table,
        address: r.address,
        type: r.type,
        ...(r.order ? { order: r.order } : {}),
        ...r.extra,
      })),
    }],
  };
}
