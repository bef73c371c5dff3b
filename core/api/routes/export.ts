/**
 * @module `GET /api/v1/export`: a range of one stored kind (raw samples, rollups, features, scores, alerts,
 * events) as Parquet or CSV, written to a temporary file and streamed.
 */
import { EXPORT_KINDS, FEATURE_LAYOUTS, ROLLUP_INTERVALS, s } from "../../mod.ts";
import { badRequest, HttpError, withTimeout } from "../http_error.ts";
import { timeParam, timeRange } from "../params.ts";
import { type Route, route } from "../route.ts";
import { exportScope } from "./export_scope.ts";
import { tagList } from "./shared.ts";

const MAX_CONCURRENT = 2;
let running = 0;

/** The export route. */
export function exportRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/export",
      summary: "Download history (samples, rollups, features, scores, alerts, events) as Parquet or CSV",
      description:
        "The store writes the file to a temporary location; it is streamed and removed. `kind` chooses the " +
        "table: raw `samples` (default), `rollups` of an `interval`, `features` (one row per feature vector, " +
        "one column per feature name in sorted order, or one JSON column with `layout=json`), `scores`, " +
        "`alerts` (raised in the range), `events`. Tokens restricted to assets or lines export only rows of " +
        "their tags and assets, for every kind. At most two exports run at a time (429 otherwise).",
      group: "history",
      auth: "viewer",
      query: s.object({
        from: timeParam("Start (inclusive); default: 24 h before `to`.").opt(),
        to: timeParam("End (exclusive); default: now.").opt(),
        kind: s.enum(EXPORT_KINDS).default("samples").describe(
          "What to export: samples (raw values), rollups, features, scores, alerts or events.",
        ),
        interval: s.enum(ROLLUP_INTERVALS).opt().describe("kind=rollups only: the rollup table; default 1m."),
        layout: s.enum(FEATURE_LAYOUTS).opt().describe(
          "kind=features only: one DOUBLE column per feature name (columns, default) or one JSON column (json).",
        ),
        tags: tagList(
          "Tag ids (samples, rollups, events about these tags); default: every tag the token may see.",
        ),
        assets: s.array(s.id(), { minItems: 1 }).opt().describe(
          "Asset ids: only rows of these assets (every kind); default: every asset the token may see.",
        ),
        format: s.enum(["parquet", "csv"]).default("parquet").describe("File format."),
      }),
      responses: {
        200: {
          description: "The file.",
          contentType: "application/octet-stream",
          schema: { type: "string", format: "binary" },
        },
        400: { description: "Invalid parameter, or one that does not apply to the kind." },
        404: { description: "A tag or asset the token may not see, or nothing visible to export." },
        429: { description: "Two exports are already running." },
        503: { description: "No history store." },
        504: { description: "Export took longer than http.limits.export_timeout_ms." },
      },
      async handle({ api, query, access }) {
        const history = api.history();
        const { from, to } = timeRange(query, api.now(), 86_400_000);
        const kind = query.kind;
        if (query.interval !== undefined && kind !== "rollups") {
          throw badRequest("query parameter", [{
            path: "interval",
            message: "applies only to kind=rollups",
          }]);
        }
        if (query.layout !== undefined && kind !== "features") {
          throw badRequest("query parameter", [{ path: "layout", message: "applies only to kind=features" }]);
        }
        const scope = exportScope(api, access, kind, query);
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
            history.exportRange({
              from,
              to,
              format: query.format,
              path,
              ...scope,
              kind,
              ...(query.interval ? { interval: query.interval } : {}),
              ...(query.layout ? { layout: query.layout } : {}),
            }),
            api.http().limits.export_timeout_ms,
            "export timed out: export a shorter range or fewer tags",
          );
          file = await Deno.open(path, { read: true });
          const size = (await file.stat()).size;
          // Unlinked now: the open descriptor keeps the data readable until the stream closes it.
          await Deno.remove(path);
          const name = `export-${kind === "samples" ? "" : `${kind}-`}${
            new Date(from).toISOString().replace(/[:.]/g, "")
          }-${new Date(to).toISOString().replace(/[:.]/g, "")}.${query.format}`;
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
        } catch (error) {
          // The store refuses what the data cannot satisfy (e.g. too many feature names for columns).
          if (error instanceof RangeError) {
            throw new HttpError(400, error.message, undefined, { cause: error });
          }
          throw error;
        } finally {
          running--;
          file?.close();
          await Deno.remove(path).catch(() => {});
        }
      },
    }),
  ];
}
