/**
 * @module The effective data type of a register (defaults by table).
 */
import type { RegisterType } from "./codec.ts";
import type { RegisterConfig } from "./register_schema.ts";

/** The configured type, or bool for coils/discrete inputs and uint16 for registers. */
export function registerType(reg: Pick<RegisterConfig, "type" | "table">): RegisterType {
  return reg.type ?? (reg.table === "coil" || reg.table === "discrete" ? "bool" : "uint16");
}
