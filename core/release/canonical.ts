/**
 * @module Canonical JSON for signing: sorted keys, no whitespace, integers only, no duplicate meaning.
 * Signer and verifier serialise the same value to the same bytes regardless of key order or formatting.
 */

/**
 * The canonical text of `value`: object keys sorted by UTF-16 code units, no insignificant whitespace,
 * strings escaped as JSON.stringify does. Only null, booleans, safe integers, strings, arrays and plain
 * objects are allowed (floats have no single canonical form); anything else is a TypeError naming its path.
 */
export function canonicalJson(value: unknown, path = "$"): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`${path}: only safe integers can be signed, got ${value}`);
    }
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(",")}]`;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${
      entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(",")
    }}`;
  }
  throw new TypeError(`${path}: cannot be signed (${typeof value})`);
}

/** The canonical bytes of `value` (UTF-8 of {@link canonicalJson}). */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
