/**
 * @module Opaque page cursors: the sort key of the last item returned, base64url-encoded.
 */

/** Position after which the next page starts (lists are newest first). */
export interface CursorKey {
  /** Timestamp in µs, as a decimal string. */
  readonly t: string;
  /** Tie-breaker: row id (number) or alert id (string). */
  readonly i: number | string;
}

/** Encodes a cursor. */
export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify([key.t, key.i])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a cursor made by {@link encodeCursor}; RangeError when it was not. */
export function decodeCursor(cursor: string): CursorKey {
  try {
    const json = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(json) as unknown;
    if (
      Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && /^-?\d+$/.test(v[0]) &&
      (typeof v[1] === "number" || typeof v[1] === "string")
    ) return { t: v[0], i: v[1] };
  } catch {
    // fall through
  }
  throw new RangeError(
    `cursor ${JSON.stringify(cursor.slice(0, 40))} is not valid: pass the "next" value of a previous page`,
  );
}
