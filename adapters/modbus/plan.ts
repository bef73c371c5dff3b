/**
 * @module The read plan: which requests read a device's register map, with neighbouring values coalesced.
 *
 * Computed once per configuration. A value spanning several registers is never split across two
 * requests; requests stay within the protocol limits (125 registers, 2000 bits) or the configured ones.
 */
import type { Table } from "./register_schema.ts";

/** Something to read: `width` consecutive registers (or bits) at `address` of `table`. */
export interface PlanItem {
  readonly table: Table;
  readonly address: number;
  readonly width: number;
}

/** One Modbus read request and the items it carries (`offset` into the response). */
export interface ReadRequest<T extends PlanItem = PlanItem> {
  readonly table: Table;
  readonly fc: 1 | 2 | 3 | 4;
  readonly address: number;
  readonly count: number;
  readonly items: readonly { readonly item: T; readonly offset: number }[];
}

/** Coalescing limits. */
export interface PlanLimits {
  readonly maxRegisters: number;
  readonly maxBits: number;
  readonly maxGapRegisters: number;
  readonly maxGapBits: number;
}

export const FUNCTION_CODES: Readonly<Record<Table, 1 | 2 | 3 | 4>> = {
  coil: 1,
  discrete: 2,
  holding: 3,
  input: 4,
};

const TABLE_ORDER: readonly Table[] = ["coil", "discrete", "holding", "input"];

/** Groups items into as few requests as the limits allow (tables in FC order, addresses ascending). */
export function buildReadPlan<T extends PlanItem>(items: readonly T[], limits: PlanLimits): ReadRequest<T>[] {
  const out: ReadRequest<T>[] = [];
  for (const table of TABLE_ORDER) {
    const bits = table === "coil" || table === "discrete";
    const max = bits ? limits.maxBits : limits.maxRegisters;
    const maxGap = bits ? limits.maxGapBits : limits.maxGapRegisters;
    const sorted = items.filter((i) => i.table === table).sort((a, b) =>
      a.address - b.address || b.width - a.width
    );
    let start = 0, end = 0;
    let members: T[] = [];
    const flush = () => {
      if (members.length === 0) return;
      out.push({
        table,
        fc: FUNCTION_CODES[table],
        address: start,
        count: end - start,
        items: members.map((item) => ({ item, offset: item.address - start })),
      });
      members = [];
    };
    for (const item of sorted) {
      if (item.width > max) {
        throw new RangeError(`${table} ${item.address}: ${item.width} units exceed the request limit ${max}`);
      }
      const itemEnd = item.address + item.width;
      const fits = members.length > 0 && item.address - end <= maxGap &&
        Math.max(end, itemEnd) - start <= max;
      if (!fits) {
        flush();
        start = item.address;
        end = itemEnd;
      } else {
        end = Math.max(end, itemEnd);
      }
      members.push(item);
    }
    flush();
  }
  return out;
}

/** Splits a request into one request per distinct item span (used when a device refuses a coalesced read). */
export function splitRequest<T extends PlanItem>(request: ReadRequest<T>): ReadRequest<T>[] {
  return buildReadPlan(request.items.map((m) => m.item), {
    maxRegisters: 125,
    maxBits: 2000,
    maxGapRegisters: -1,
    maxGapBits: -1,
  });
}
