/**
 * @module Cross-field checks of a device's register map (types vs tables, sizes, references).
 */
import type { Ctx } from "../../core/mod.ts";
import { isIntegerType, registerWidth } from "./codec.ts";
import type { RegisterConfig } from "./register_schema.ts";
import { registerType } from "./register_type.ts";

interface DeviceLike {
  readonly registers: readonly RegisterConfig[];
  readonly max_registers_per_request: number;
}

/** Reports every inconsistency of the register map as `devices[i].registers[j].key: reason`. */
export function checkRegisters(device: DeviceLike, at: (key: string) => string, ctx: Ctx): void {
  const byName = new Map<string, RegisterConfig>();
  device.registers.forEach((reg, i) => {
    const p = (key: string) => at(`registers[${i}].${key}`);
    if (byName.has(reg.name)) ctx.fail(p("name"), `register "${reg.name}" is defined twice in this device`);
    byName.set(reg.name, reg);
    const type = registerType(reg);
    const bitTable = reg.table === "coil" || reg.table === "discrete";
    if (bitTable && type !== "bool") ctx.fail(p("type"), `a ${reg.table} is a single bit: type must be bool`);
    if (reg.bit !== undefined && (bitTable || type !== "bool")) {
      ctx.fail(p("bit"), "only with type bool on a holding or input register");
    }
    if (!bitTable && type === "bool" && reg.bit === undefined) {
      ctx.fail(p("bit"), "type bool on a register needs the bit (0-15) to read");
    }
    if (type === "string" && reg.length === undefined) ctx.fail(p("length"), "required with type string");
    if (type !== "string" && reg.length !== undefined) ctx.fail(p("length"), "only with type string");
    const width = registerWidth(type, reg.length ?? 1);
    if (!bitTable && width > device.max_registers_per_request) {
      ctx.fail(
        p("length"),
        `${width} registers exceed max_registers_per_request (${device.max_registers_per_request})`,
      );
    }
    if (reg.address + (bitTable ? 1 : width) > 65536) {
      ctx.fail(p("address"), `value of ${width} registers at ${reg.address} runs past address 65535`);
    }
    const numeric = type !== "bool" && type !== "string";
    if (reg.bits !== undefined) {
      if (!isIntegerType(type)) ctx.fail(p("bits"), `needs an integer type, not ${type}`);
      for (const [name, index] of Object.entries(reg.bits)) {
        if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) ctx.fail(p(`bits.${name}`), "expected an identifier");
        if (index >= width * 16) {
          ctx.fail(p(`bits.${name}`), `bit ${index} is outside a ${width * 16}-bit ${type}`);
        }
      }
    }
    if (reg.values !== undefined) {
      if (!isIntegerType(type)) ctx.fail(p("values"), `needs an integer type, not ${type}`);
      for (const code of Object.keys(reg.values)) {
        if (!/^-?\d+$/.test(code)) ctx.fail(p(`values.${code}`), "keys must be integer codes");
      }
      if (reg.scale !== 1 || reg.offset !== 0 || reg.scale_by) {
        ctx.fail(p("values"), "a value map applies to the raw code: remove scale, offset and scale_by");
      }
    }
    if (!numeric && (reg.scale !== 1 || reg.offset !== 0 || reg.scale_by)) {
      ctx.fail(p("scale"), `scale, offset and scale_by do not apply to type ${type}`);
    }
    if (reg.scale_by) {
      for (const code of Object.keys(reg.scale_by.cases)) {
        if (!/^-?\d+$/.test(code)) ctx.fail(p(`scale_by.cases.${code}`), "keys must be integer values");
      }
    }
  });
  device.registers.forEach((reg, i) => {
    if (!reg.scale_by) return;
    const path = at(`registers[${i}].scale_by.register`);
    const ref = byName.get(reg.scale_by.register);
    if (!ref) {
      ctx.fail(
        path,
        `no register "${reg.scale_by.register}" in this device (known: ${[...byName.keys()].join(", ")})`,
      );
    } else if (ref === reg) {
      ctx.fail(path, "a register cannot select its own scale");
    } else if (!isIntegerType(registerType(ref)) && registerType(ref) !== "bool") {
      ctx.fail(
        path,
        `register "${ref.name}" is ${registerType(ref)}; the selector must be an integer or bool`,
      );
    } else if (ref.scale_by) {
      ctx.fail(path, `register "${ref.name}" has a scale_by itself; selectors must be plain registers`);
    }
  });
}
