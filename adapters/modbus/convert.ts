/**
 * @module From raw poll results to samples: decoding, scaling (fixed or mode-dependent), value maps, bits.
 */
import { Quality, type Sample, Status } from "../../core/mod.ts";
import { bitOf, decodeRegisters } from "./codec.ts";
import type { CompiledClock, CompiledDevice, CompiledItem, CompiledRegister } from "./compile.ts";

/** The outcome of reading one item in one poll. */
export type ItemResult =
  | {
    readonly ok: true;
    readonly raw: number | boolean | string;
    readonly rawBig?: bigint;
    readonly ts: number;
  }
  | { readonly ok: false; readonly status: number; readonly reason: string; readonly ts: number };

/** Decodes an item from a successful response (`words` for registers, `bits` for coils/discretes). */
export function decodeItem(
  item: CompiledItem,
  offset: number,
  response: { readonly words?: ArrayLike<number>; readonly bits?: ArrayLike<boolean> },
  ts: number,
): ItemResult {
  try {
    if (item.kind === "register" && (item.table === "coil" || item.table === "discrete")) {
      const bit = response.bits?.[offset];
      if (bit === undefined) throw new RangeError(`bit ${offset} is missing from the response`);
      return { ok: true, raw: bit, ts };
    }
    const words = response.words ?? [];
    if (item.kind === "register" && item.type === "bool") {
      const w = words[offset];
      if (w === undefined) throw new RangeError(`register ${offset} is missing from the response`);
      return { ok: true, raw: bitOf(w, item.cfg.bit ?? 0), ts };
    }
    const type = item.type as Exclude<CompiledRegister["type"], "bool">;
    const length = item.kind === "register" ? item.cfg.length ?? 1 : 1;
    const d = decodeRegisters(words, offset, type, item.order, length);
    return d.rawBig !== undefined
      ? { ok: true, raw: d.value, rawBig: d.rawBig, ts }
      : { ok: true, raw: d.value, ts };
  } catch (e) {
    return {
      ok: false,
      status: Status.BadDecodingError,
      reason: `decoding failed: ${(e as Error).message}`,
      ts,
    };
  }
}

/** The device clock value in ms since the epoch, or undefined when it was not read. */
export function clockValue(clock: CompiledClock, result: ItemResult | undefined): number | undefined {
  if (!result?.ok || typeof result.raw !== "number") return undefined;
  return result.raw * clock.unitMs;
}

const bad = (tag: string, r: { status: number; reason: string; ts: number }, recv: number): Sample => ({
  tag,
  value: Number.NaN,
  ts: r.ts,
  recv,
  quality: Quality.Bad,
  status: r.status,
  reason: r.reason,
});

/** Builds the samples of one poll of a device from its item results. */
export function toSamples(
  device: CompiledDevice,
  results: ReadonlyMap<CompiledItem, ItemResult>,
  recv: number,
): Sample[] {
  const out: Sample[] = [];
  for (const reg of device.registers) {
    const r = results.get(reg);
    if (!r) continue;
    const wordTag = reg.bitTags.length === 0 || reg.cfg.emit_word;
    if (!r.ok) {
      if (wordTag) out.push(bad(reg.tag, r, recv));
      for (const b of reg.bitTags) out.push(bad(b.tag, r, recv));
      continue;
    }
    if (wordTag) out.push(valueSample(device, reg, r, results, recv));
    for (const b of reg.bitTags) {
      const raw = r.rawBig ?? (r.raw as number);
      out.push({
        tag: b.tag,
        value: bitOf(raw, b.index),
        ts: r.ts,
        recv,
        quality: Quality.Good,
        status: Status.Good,
      });
    }
  }
  return out;
}

function valueSample(
  device: CompiledDevice,
  reg: CompiledRegister,
  r: Extract<ItemResult, { ok: true }>,
  results: ReadonlyMap<CompiledItem, ItemResult>,
  recv: number,
): Sample {
  const good = (value: Sample["value"]): Sample => ({
    tag: reg.tag,
    value,
    ts: r.ts,
    recv,
    quality: Quality.Good,
    status: Status.Good,
  });
  if (typeof r.raw !== "number") return good(r.raw);
  if (reg.valueMap) {
    const label = reg.valueMap.get(r.raw);
    const value = reg.cfg.value_output === "code" ? r.raw : label ?? String(r.raw);
    if (label !== undefined) return good(value);
    return {
      ...good(value),
      quality: Quality.Uncertain,
      status: Status.Uncertain,
      reason: `value ${r.raw} is not in the value map of ${reg.cfg.name}`,
    };
  }
  let scale = reg.cfg.scale;
  const by = reg.cfg.scale_by;
  if (by) {
    const selector = device.byName.get(by.register)!;
    const sel = results.get(selector);
    if (!sel || !sel.ok) {
      const why = sel && !sel.ok ? sel.reason : "not read";
      return bad(reg.tag, {
        status: Status.BadDecodingError,
        reason: `scale selector ${by.register} unavailable: ${why}`,
        ts: r.ts,
      }, recv);
    }
    const code = typeof sel.raw === "boolean" ? (sel.raw ? 1 : 0) : Number(sel.raw);
    const chosen = reg.scaleCases?.get(code) ?? by.default;
    if (chosen === undefined) {
      return bad(reg.tag, {
        status: Status.BadDecodingError,
        reason: `no scale case for ${by.register} = ${code} (cases: ${Object.keys(by.cases).join(", ")})`,
        ts: r.ts,
      }, recv);
    }
    scale = chosen;
  }
  return good(r.raw * scale + reg.cfg.offset);
}
