/**
 * @module JSON shapes of tags and samples as the API serves them.
 */
import { qualityName, type Sample, type TagEntry } from "../mod.ts";
import type { Topology } from "./auth/access.ts";

/** A live value. */
export interface ValueView {
  readonly tag: string;
  readonly value: number | boolean | string | null;
  readonly ts: number;
  readonly quality: string;
  readonly status: number;
  readonly reason?: string;
}

/** JSON-safe value: non-finite numbers become null. */
export function jsonValue(v: number | boolean | string): number | boolean | string | null {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

/** A sample as served. */
export function valueView(s: Sample): ValueView {
  const out: ValueView = {
    tag: s.tag,
    value: jsonValue(s.value),
    ts: s.ts,
    quality: qualityName(s.quality),
    status: s.status,
  };
  return s.reason ? { ...out, reason: s.reason } : out;
}

/** A tag with its metadata, place in the plant, latest value and buffer state. */
export function tagView(entry: TagEntry, topology: Topology): Record<string, unknown> {
  const asset = entry.meta.asset ?? topology.assetOf(entry.meta.id);
  const line = topology.lineOf(asset);
  return {
    ...entry.meta,
    ...(asset === undefined ? {} : { asset }),
    ...(line === undefined ? {} : { line }),
    site: topology.site,
    latest: entry.latest ? valueView(entry.latest) : null,
    buffer: {
      capacity: entry.ring.capacity,
      held: entry.ring.length,
      received: entry.received,
      dropped: entry.ring.dropped,
    },
  };
}

/** Opaque cursor for offset paging over an ordered list. */
export function encodeCursor(key: string): string {
  return btoa(unescape(encodeURIComponent(key))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes {@link encodeCursor}; undefined when malformed. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    return decodeURIComponent(escape(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))));
  } catch {
    return undefined;
  }
}
