/**
 * @module Configuration of one Modbus device: how to reach it, how to poll it, and its register map.
 */
import { type InferShape, s } from "../../core/mod.ts";
import { ORDERS } from "./codec.ts";
import { clockSchema } from "./clock_schema.ts";
import { registerSchema } from "./register_schema.ts";
import { checkRegisters } from "./register_checks.ts";

const serialSchema = s.object({
  path: s.string({ minLength: 1 }).describe("Serial device, e.g. /dev/ttyUSB0."),
  baud_rate: s.int({ min: 300, max: 4_000_000 }).default(9600).describe("Baud rate."),
  parity: s.enum(["none", "even", "odd"]).default("none").describe("Parity."),
  data_bits: s.int({ min: 7, max: 8 }).default(8).describe("Data bits."),
  stop_bits: s.int({ min: 1, max: 2 }).default(1).describe("Stop bits."),
});

const reconnectSchema = s.object({
  initial_ms: s.int({ min: 10 }).default(500).describe("First reconnect delay, ms."),
  max_ms: s.int({ min: 10 }).default(30_000).describe("Longest reconnect delay, ms (jittered exponential)."),
});

export const deviceSchema = s.object({
  name: s.id().describe("Device name; part of every tag id of this device."),
  transport: s.enum(["tcp", "rtu", "rtu_over_tcp"]).default("tcp").describe(
    "tcp: Modbus TCP; rtu: serial line; rtu_over_tcp: RTU frames through a transparent TCP serial server.",
  ),
  host: s.string({ minLength: 1 }).opt().describe("Host (tcp, rtu_over_tcp)."),
  port: s.int({ min: 1, max: 65535 }).default(502).describe("TCP port (tcp, rtu_over_tcp)."),
  serial: serialSchema.opt().describe("Serial line settings (rtu)."),
  unit_id: s.int({ min: 0, max: 255 }).default(1).describe("Unit (slave) id."),
  poll_interval_ms: s.int({ min: 10, max: 86_400_000 }).default(1000).describe("Poll period, ms."),
  timeout_ms: s.int({ min: 10, max: 60_000 }).default(1000).describe("Timeout of one request, ms."),
  connect_timeout_ms: s.int({ min: 10, max: 60_000 }).default(3000).describe("Timeout of connecting, ms."),
  retries: s.int({ min: 0, max: 10 }).default(1).describe(
    "Retries of a request after a timeout or busy/acknowledge exception.",
  ),
  inter_request_delay_ms: s.int({ min: 0, max: 10_000 }).default(0).describe(
    "Pause between two requests to this device (slow RTU devices and bridges), ms.",
  ),
  close_after_poll: s.boolean().default(false).describe(
    "Close the connection after every poll (devices that allow few connections).",
  ),
  order: s.enum(ORDERS).default("ABCD").describe(
    "Byte/word order of multi-register values: ABCD big-endian, CDAB word swap, BADC byte swap, DCBA.",
  ),
  max_registers_per_request: s.int({ min: 1, max: 125 }).default(125).describe(
    "Most registers one FC3/FC4 request reads when neighbouring registers are coalesced.",
  ),
  max_bits_per_request: s.int({ min: 1, max: 2000 }).default(2000).describe(
    "Most coils/discrete inputs one FC1/FC2 request reads.",
  ),
  max_gap_registers: s.int({ min: 0, max: 124 }).default(16).describe(
    "Unused registers a coalesced read may bridge; a request refused with exception 2 is split.",
  ),
  max_gap_bits: s.int({ min: 0, max: 1999 }).default(64).describe("Unused bits a coalesced read may bridge."),
  reconnect: reconnectSchema.default({ initial_ms: 500, max_ms: 30_000 }).describe("Reconnect backoff."),
  clock: clockSchema.opt().describe("Optional device clock register, audited against the gateway clock."),
  registers: s.array(registerSchema, { minItems: 1 }).describe("Register map."),
}).withCheck((device, path, ctx) => {
  const at = (key: string) => `${path ? `${path}.` : ""}${key}`;
  if (device.transport === "rtu") {
    if (!device.serial) ctx.fail(at("serial"), "required with transport rtu (serial line settings)");
    if (device.host !== undefined) ctx.fail(at("host"), "not used with transport rtu (use serial.path)");
  } else {
    if (device.host === undefined) ctx.fail(at("host"), `required with transport ${device.transport}`);
    if (device.serial) ctx.fail(at("serial"), `not used with transport ${device.transport}`);
  }
  if (device.reconnect.max_ms < device.reconnect.initial_ms) {
    ctx.fail(at("reconnect.max_ms"), `must be >= initial_ms (${device.reconnect.initial_ms})`);
  }
  checkRegisters(device, at, ctx);
});

export type DeviceConfig = InferShape<typeof deviceSchema.shape>;
