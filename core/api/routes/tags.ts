/**
 * @module Tags: list with metadata and latest value, one tag, latest values.
 */
import { s } from "../../mod.ts";
import { HttpError } from "../http_error.ts";
import { type Route, route } from "../route.ts";
import { decodeCursor, encodeCursor, tagView, valueView } from "../views.ts";
import { checkTagCount, pageLimit, tagList } from "./shared.ts";

const tagsQuery = s.object({
  asset: s.id().opt().describe("Only tags of this asset."),
  source: s.string({ minLength: 1 }).opt().describe("Only tags of this source."),
  q: s.string({ minLength: 1, maxLength: 200 }).opt().describe(
    "Only tags whose id or description contains this.",
  ),
  limit: s.int({ min: 1 }).opt().describe("Page size (default http.limits.page_default, at most page_max)."),
  cursor: s.string({ minLength: 1 }).opt().describe("The `next` value of the previous page."),
});

const latestQuery = s.object({
  tags: tagList("Tag ids (comma-separated or repeated); default: every visible tag."),
  asset: s.id().opt().describe("Only tags of this asset."),
});

/** Tag routes. */
export function tagRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/tags",
      summary: "Tags with metadata, asset, line and latest value",
      group: "tags",
      auth: "viewer",
      query: tagsQuery,
      responses: { 200: { description: "`{ items, next? }`, ordered by tag id." } },
      handle({ c, api, query, access }) {
        const limit = pageLimit(api, query.limit);
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        if (query.cursor !== undefined && after === undefined) {
          throw new HttpError(400, "invalid query parameter cursor: not a cursor this API issued", [
            { path: "cursor", message: "not a cursor this API issued" },
          ]);
        }
        const topo = api.topology();
        const needle = query.q?.toLowerCase();
        const entries = [...api.service.pipeline.tags.list()]
          .filter((e) => after === undefined || e.meta.id > after)
          .filter((e) => access.tag(e.meta.id))
          .filter((e) => query.asset === undefined || topo.assetOf(e.meta.id) === query.asset)
          .filter((e) => query.source === undefined || e.meta.source === query.source)
          .filter((e) =>
            needle === undefined || e.meta.id.toLowerCase().includes(needle) ||
            (e.meta.description ?? "").toLowerCase().includes(needle)
          )
          .sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
        const page = entries.slice(0, limit);
        const more = entries.length > limit;
        return c.json({
          items: page.map((e) => tagView(e, topo)),
          ...(more ? { next: encodeCursor(page[page.length - 1]!.meta.id) } : {}),
        });
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/tags/{id}",
      summary: "One tag: metadata, latest value, ring buffer state",
      group: "tags",
      auth: "viewer",
      params: { id: "Tag id (URL-encoded)." },
      responses: { 200: { description: "The tag." }, 404: { description: "Unknown tag (or not visible)." } },
      handle({ c, api, params, access }) {
        const id = params.id!;
        const entry = api.service.pipeline.tags.get(id);
        if (!entry || !access.tag(id)) throw new HttpError(404, `unknown tag "${id}"`);
        return c.json(tagView(entry, api.topology()));
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/latest",
      summary: "Latest value of every visible tag, or of the ones named",
      group: "tags",
      auth: "viewer",
      query: latestQuery,
      responses: { 200: { description: "`{ values: [...], unknown: [tag ids not found] }`." } },
      handle({ c, api, query, access }) {
        const tags = api.service.pipeline.tags;
        const topo = api.topology();
        if (query.tags) checkTagCount(api, query.tags);
        const wanted = query.tags ?? [...tags.list()].map((e) => e.meta.id).sort();
        const values = [];
        const unknown: string[] = [];
        for (const id of wanted) {
          const entry = tags.get(id);
          if (!entry || !access.tag(id)) {
            if (query.tags) unknown.push(id);
            continue;
          }
          if (query.asset !== undefined && topo.assetOf(id) !== query.asset) continue;
          if (entry.latest) values.push(valueView(entry.latest));
        }
        return c.json({ values, unknown });
      },
    }),
  ];
}
