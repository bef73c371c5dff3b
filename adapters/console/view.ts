/**
 * @module Renders the compact live view: one line per tag with value, unit, quality, age and rate.
 */
import { qualityName, type TagEntry } from "../../core/mod.ts";

/** Formats a value for a fixed-width column. */
function show(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs >= 1e6 || abs < 1e-3)
      ? value.toExponential(3)
      : value.toFixed(abs >= 100 ? 1 : 3);
  }
  return String(value);
}

/** Lines of the live view for the given tags at time `now`. `rates` maps tag id to samples/s. */
export function renderView(
  entries: readonly TagEntry[],
  now: number,
  rates: ReadonlyMap<string, number>,
): string[] {
  const width = Math.min(48, Math.max(8, ...entries.map((e) => e.meta.id.length)));
  const lines = [
    `${"tag".padEnd(width)}  ${"value".padStart(12)} ${"unit".padEnd(6)} ${"quality".padEnd(9)} ${
      "age".padStart(7)
    } ${"rate/s".padStart(8)}`,
  ];
  for (const e of entries) {
    const l = e.latest;
    const age = l ? `${((now - l.ts) / 1000).toFixed(1)}s` : "-";
    const rate = rates.get(e.meta.id) ?? 0;
    lines.push(
      `${e.meta.id.slice(0, width).padEnd(width)}  ${(l ? show(l.value) : "-").padStart(12)} ${
        (e.meta.unit ?? "").padEnd(6)
      } ${(l ? qualityName(l.quality) : "-").padEnd(9)} ${age.padStart(7)} ${rate.toFixed(0).padStart(8)}`,
    );
  }
  return lines;
}
