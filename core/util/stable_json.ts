/**
 * @module JSON with sorted keys, for comparing configurations.
 */

/** Serialises with object keys sorted at every level, so equal configs give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}
