/**
 * @module Turns a device's register map into read-plan items and tag metadata, once per configuration.
 */
import { type DataType, type TagMeta, tagMetaFrom } from "../../core/mod.ts";
import { type Order, type RegisterType, registerWidth } from "./codec.ts";
import type { DeviceConfig } from "./device_schema.ts";
import { buildReadPlan, type PlanItem, type ReadRequest } from "./plan.ts";
import type { RegisterConfig, Table } from "./register_schema.ts";
import { registerType } from "./register_type.ts";

/** A register ready to decode. */
export interface CompiledRegister extends PlanItem {
  readonly kind: "register";
  readonly cfg: RegisterConfig;
  readonly type: RegisterType;
  readonly order: Order;
  /** Tag id of the value (also emitted for bit-field words when emit_word is set). */
  readonly tag: string;
  readonly bitTags: readonly { readonly name: string; readonly index: number; readonly tag: string }[];
  readonly valueMap: ReadonlyMap<number, string> | undefined;
  readonly scaleCases: ReadonlyMap<number, number> | undefined;
}

/** The device clock register. */
export interface CompiledClock extends PlanItem {
  readonly kind: "clock";
  readonly type: "uint32" | "uint64" | "int64" | "float64";
  readonly order: Order;
  readonly unitMs: number;
}

export type CompiledItem = CompiledRegister | CompiledClock;

/** Everything derived from one device config. */
export interface CompiledDevice {
  readonly registers: readonly CompiledRegister[];
  readonly byName: ReadonlyMap<string, CompiledRegister>;
  readonly clock: CompiledClock | undefined;
  readonly plan: readonly ReadRequest<CompiledItem>[];
  readonly tags: readonly TagMeta[];
}

const numericMap = <T>(rec: Readonly<Record<string, T>> | undefined) =>
  rec === undefined ? undefined : new Map(Object.entries(rec).map(([k, v]) => [Number(k), v] as const));

/** Compiles a validated device config of source `source`. */
export function compileDevice(source: string, device: DeviceConfig): CompiledDevice {
  const registers = device.registers.map((cfg): CompiledRegister => {
    const type = registerType(cfg);
    const bitTable = cfg.table === "coil" || cfg.table === "discrete";
    const tag = cfg.id ?? `${source}.${device.name}.${cfg.name}`;
    return {
      kind: "register",
      cfg,
      table: cfg.table as Table,
      address: cfg.address,
      width: bitTable ? 1 : registerWidth(type, cfg.length ?? 1),
      type,
      order: cfg.order ?? device.order,
      tag,
      bitTags: Object.entries(cfg.bits ?? {}).map(([name, index]) => ({
        name,
        index,
        tag: `${tag}.${name}`,
      })),
      valueMap: numericMap(cfg.values),
      scaleCases: numericMap(cfg.scale_by?.cases),
    };
  });
  const c = device.clock;
  const clock: CompiledClock | undefined = c && {
    kind: "clock",
    table: c.table,
    address: c.address,
    width: registerWidth(c.type),
    type: c.type,
    order: c.order ?? device.order,
    unitMs: c.unit === "s" ? 1000 : 1,
  };
  const items: CompiledItem[] = clock ? [...registers, clock] : [...registers];
  const plan = buildReadPlan(items, {
    maxRegisters: device.max_registers_per_request,
    maxBits: device.max_bits_per_request,
    maxGapRegisters: device.max_gap_registers,
    maxGapBits: device.max_gap_bits,
  });
  return {
    registers,
    byName: new Map(registers.map((r) => [r.cfg.name, r])),
    clock,
    plan,
    tags: registers.flatMap((r) => tagsOf(source, device, r)),
  };
}

function dataTypeOf(r: CompiledRegister): DataType {
  if (r.type === "bool") return "bool";
  if (r.type === "string") return "string";
  if (r.valueMap) return r.cfg.value_output === "label" ? "string" : "int";
  if (r.type.startsWith("float") || r.cfg.scale_by || r.cfg.scale !== 1 || r.cfg.offset !== 0) {
    return r.type.startsWith("float") || !Number.isInteger(r.cfg.scale) || !Number.isInteger(r.cfg.offset)
      ? "float"
      : "int";
  }
  return "int";
}

function tagsOf(source: string, device: DeviceConfig, r: CompiledRegister): TagMeta[] {
  const address = `${device.name}/${r.cfg.table}/${r.cfg.address}${
    r.cfg.bit !== undefined ? `.${r.cfg.bit}` : ""
  }`;
  const out: TagMeta[] = [];
  const extra = {
    dataType: r.cfg.scale_by ? "float" as const : dataTypeOf(r),
    address,
    ...(r.cfg.scale !== 1 || r.cfg.offset !== 0
      ? { scaling: { gain: r.cfg.scale, offset: r.cfg.offset } }
      : {}),
  };
  if (r.bitTags.length === 0 || r.cfg.emit_word) {
    out.push(tagMetaFrom(source, `${device.name}.${r.cfg.name}`, r.cfg, extra));
  }
  for (const b of r.bitTags) {
    const shared = r.cfg.asset !== undefined ? { id: b.tag, asset: r.cfg.asset } : { id: b.tag };
    out.push(tagMetaFrom(source, `${device.name}.${r.cfg.name}.${b.name}`, shared, {
      dataType: "bool",
      address: `${address}.${b.index}`,
      description: `${r.cfg.description ?? r.cfg.name}: bit ${b.index} (${b.name})`,
    }));
  }
  return out;
}
