/**
 * @module The Modbus source adapter: Modbus TCP, RTU and RTU over TCP, read-only (function codes 1-4),
 * with coalesced reads, typed register maps, mode-dependent scaling, self-healing connections and a
 * device clock audit.
 */
import { defineSource } from "../../core/mod.ts";
import { modbusSchema } from "./schema.ts";
import { ModbusSource } from "./source.ts";

defineSource({
  type: "modbus",
  description: "Modbus TCP / RTU / RTU-over-TCP devices polled read-only (FC 1-4) with typed register maps.",
  schema: modbusSchema,
  create: (config) => new ModbusSource(config),
});

export { ModbusSource } from "./source.ts";
export { buildReadPlan, type PlanItem, type ReadRequest, splitRequest } from "./plan.ts";
export { decodeRegisters, type Order, ORDERS, REGISTER_TYPES, type RegisterType } from "./codec.ts";
export { RequestLimiter, sharedLimiter } from "./limiter.ts";
export { compileDevice } from "./compile.ts";
export type { ModbusConfig } from "./schema.ts";
export type { DeviceConfig } from "./device_schema.ts";
export type { RegisterConfig } from "./register_schema.ts";
