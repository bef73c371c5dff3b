/**
 * @module Which rows an export may contain for a token: the tag and asset filters of the request checked
 * against the token's scopes, and the visible tags and assets the store applies to every kind.
 */
import type { ExportKind, ExportRequest } from "../../mod.ts";
import type { Access } from "../auth/access.ts";
import type { ApiContext } from "../context.ts";
import { badRequest, HttpError } from "../http_error.ts";
import { visibleTags } from "./history.ts";
import { checkTagCount } from "./shared.ts";

/** Kinds whose rows belong to a tag: the `tags` filter applies. */
const TAG_KINDS: readonly ExportKind[] = ["samples", "rollups", "events"];

/** What the route passes to the store besides time range, format and path. */
export type ExportScope = Pick<ExportRequest, "tags" | "assets" | "visible">;

/** Tags a restricted token may read: the live tags and those listed under the configured assets. */
function readableTags(api: ApiContext, access: Access): string[] {
  const all = new Set([...api.service.pipeline.tags.list()].map((e) => e.meta.id));
  for (const a of api.service.config().assets) for (const t of a.tags) all.add(t);
  return [...all].filter((t) => access.tag(t)).sort();
}

/**
 * The filters and visibility for an export of `kind`: 400 for a filter that does not apply to the kind, 404
 * for a tag or asset the token may not see (the same answer as for an unknown one), 404 when a restricted
 * token sees nothing of the kind.
 */
export function exportScope(
  api: ApiContext,
  access: Access,
  kind: ExportKind,
  query: { readonly tags?: string[]; readonly assets?: string[] },
): ExportScope {
  const { tags, assets } = query;
  if (tags !== undefined && !TAG_KINDS.includes(kind)) {
    throw badRequest("query parameter", [{
      path: "tags",
      message: `does not apply to kind=${kind} (its rows belong to assets): filter with assets`,
    }]);
  }
  if (tags) {
    checkTagCount(api, tags);
    visibleTags(access, tags);
  }
  if (assets) {
    const max = api.http().limits.max_tags;
    if (assets.length > max) {
      throw badRequest("query parameter", [{
        path: "assets",
        message: `at most ${max} assets per request (http.limits.max_tags); got ${assets.length}`,
      }]);
    }
    for (const a of assets) if (!access.asset(a)) throw new HttpError(404, `unknown asset "${a}"`);
  }
  const filters: ExportScope = { ...(tags ? { tags } : {}), ...(assets ? { assets } : {}) };
  if (access.unrestricted) return filters;
  const visible = {
    tags: readableTags(api, access),
    assets: access.visibleAssets() ?? [],
  };
  if (kind === "samples" || kind === "rollups") {
    // The tag list is what a restricted token always sent for samples; `visible` repeats it for the store.
    const own = tags ?? visible.tags;
    if (own.length === 0) throw new HttpError(404, "no tags visible to this token to export");
    return { ...filters, tags: own, visible };
  }
  if (kind === "events") {
    if (visible.tags.length === 0 && visible.assets.length === 0) {
      throw new HttpError(404, "no tags or assets visible to this token to export events of");
    }
    return { ...filters, visible };
  }
  if (visible.assets.length === 0) {
    throw new HttpError(404, `no assets visible to this token to export ${kind} of`);
  }
  return { ...filters, visible };
}
