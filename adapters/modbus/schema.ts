/**
 * @module Configuration of a `modbus` source: devices and the process-wide request limit.
 */
import { type InferShape, s } from "../../core/mod.ts";
import { deviceSchema } from "./device_schema.ts";

export const modbusSchema = s.object({
  max_concurrent_requests: s.int({ min: 1, max: 256 }).default(4).describe(
    "Gateway-wide cap on Modbus requests in flight, shared by every modbus source (the smallest configured " +
      "value applies); requests to one endpoint (host:port or serial line) never run in parallel.",
  ),
  devices: s.refine(s.array(deviceSchema, { minItems: 1 }), (devices, path, ctx) => {
    const seen = new Set<string>();
    devices.forEach((d, i) => {
      if (seen.has(d.name)) ctx.fail(`${path}[${i}].name`, `device "${d.name}" is defined twice`);
      seen.add(d.name);
    });
  }).describe("Devices polled by this source."),
});

export type ModbusConfig = InferShape<typeof modbusSchema.shape>;
