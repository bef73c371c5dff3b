/**
 * @module `GET /api/v1/export`: a range of history as Parquet or CSV, written to a temporary file and streamed.
 */
import { s } from "../../mod.ts";
import { HttpError, withTimeout } from "../http_error.ts";
import { timeParam, timeRange } from "../params.ts";
import { type Route, route } from "../route.ts";
import { visibleTags } from "./history.ts";
import { checkTagCount, tagList } from "./shared.ts";

const MAX_CONCURRENT = 2;
let running = 0;

/** The export route. */
export function exportRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/export",
      summary: "Download history as Parquet or CSV",
      description:
        "The store writes the file to a temporary location; it is streamed and removed. Tokens restricted to " +
        "assets or lines export only their tags. At most two exports run at a time (429 otherwise).",
      group: "history",
      auth: "viewer",
      query: s.object({
        from: timeParam("Start (inclusive); default: 24 h before `to`.").opt(),
        to: timeParam("End (exclusive); default: now.").opt(),
        tags: tagList("Tag ids; default: every tag the token may see."),
        format: s.enum(["parquet", "csv"]).default("parquet").describe("File format."),
      }),
      responses: {
        200: {
          description: "The file.",
          contentType: "application/octet-stream",
          schema: { type: "string", format: "binary" },
        },
        429: { description: "Two exports are already running." },
        503: { description: "No history store." },
        504: { description: "Export took longer than http.limits.export_timeout_ms." },
      },
      async handle({ api, query, access }) {
        const history = api.history();
        const { from, to } = timeRange(query, api.now(), 86_400_000);
        let tags: string[] | undefined = query.tags;
        if (tags) {
          checkTagCount(api, tags);
          visibleTags(access, tags);
        } else if (!access.unrestricted) {
          tags = [...api.service.pipeline.tags.list()].map((e) => e.meta.id).filter((t) => access.tag(t))
            .sort();
          if (tags.length === 0) throw new HttpError(404, "no tags visible to this token to export");
        }
        if (running >= MAX_CONCURRENT) {
          throw new HttpError(429, `${running} exports are running; retry when one finished`, undefined, {
            headers: { "retry-after": "10" },
          });
        }
        running++;
        await Deno.mkdir(api.tmpDir, { recursive: true });
        const path = `${api.tmpDir}/export-${crypto.randomUUID()}.${query.format}`;
        let file: Deno.FsFile | undefined;
        try {
          const result = await withTimeout(
            history.exportRange({ from, to, format: query.format, path, ...(tags ? { tags } : {}) }),
            api.http().limits.export_timeout_ms,
            "export timed out: export a shorter range or fewer tags",
          );
          file = await Deno.open(path, { read: true });
          const size = (await file.stat()).size;
          // Unlinked now: the open descriptor keeps the data readable until the stream closes it.
          await Deno.remove(path);
          const name = `export-${new Date(from).toISOString().replace(/[:.]/g, "")}-${
            new Date(to).toISOString().replace(/[:.]/g, "")
          }.${query.format}`;
          const body = file.readable;
          file = undefined;
          return new Response(body, {
            headers: {
              "content-type": query.format === "csv"
                ? "text/csv; charset=utf-8"
                : "application/vnd.apache.parquet",
              "content-length": String(size),
              "content-disposition": `attachment; filename="${name}"`,
              "x-export-rows": String(result.rows),
            },
          });
        } finally {
          running--;
          file?.close();
          await Deno.remove(path).catch(() => {});
        }
      },
    }),
  ];
}
