/**
 * @module The simulator source: a seeded plant with vibration, process values, counters and faults.
 */
import { defineSource } from "../../core/mod.ts";
import { simulatorSchema } from "./schema.ts";
import { SimulatorSource } from "./source.ts";

defineSource({
  type: "simulator",
  description:
    "Simulated plant: vibration with bearing faults, temperatures, counters, states, injectable faults.",
  schema: simulatorSchema,
  create: (config) => new SimulatorSource(config),
});

export { SimulatorSource } from "./source.ts";
export { bearingOrders } from "./physics.ts";
export type { SimulatorConfig } from "./schema.ts";
