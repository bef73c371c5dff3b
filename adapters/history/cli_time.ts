/**
 * @module Time arguments of the CLI: ISO 8601, ms since epoch, `now`, or relative like `-24h`, `-7d`, `-15m`.
 */

const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses a time argument; RangeError naming the option when it is not understood. */
export function parseTime(option: string, text: string, now: number): number {
  const t = text.trim();
  if (t === "now") return now;
  const rel = /^-(\d+(?:\.\d+)?)([smhdw])$/.exec(t);
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw new RangeError(
    `--${option} ${
      JSON.stringify(text)
    } is not a time: use ISO 8601 (2026-11-23T08:00:00Z), ms since epoch, ` +
      "now, or a relative time like -24h, -7d, -15m",
  );
}
