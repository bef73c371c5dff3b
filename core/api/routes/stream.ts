/**
 * @module `GET /api/v1/stream`: live values, alerts and scores as Server-Sent Events.
 */
import { s } from "../../mod.ts";
import { HttpError } from "../http_error.ts";
import { liveStream } from "../live_stream.ts";
import { type Route, route } from "../route.ts";
import { visibleTags } from "./history.ts";
import { checkTagCount, tagList } from "./shared.ts";

/** The live stream route. */
export function streamRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/stream",
      summary: "Live values (event `values`), alerts (`alert`) and scores (`score`) as Server-Sent Events",
      description:
        "Each tag is sent at most max_rate_hz times per second (the newest value wins); idle streams get a " +
        "comment line every http.stream.heartbeat_s. Browsers: read with fetch() to send the bearer token.",
      group: "live",
      auth: "viewer",
      query: s.object({
        tags: tagList("Tag ids; default: every tag the token may see."),
        asset: s.id().opt().describe("Only tags, alerts and scores of this asset."),
        max_rate_hz: s.number({ gt: 0, max: 1_000 }).opt().describe(
          "Updates per second per tag; capped at http.stream.max_rate_hz.",
        ),
      }),
      responses: {
        200: {
          description: "An event stream.",
          contentType: "text/event-stream",
          schema: { type: "string" },
        },
      },
      handle({ api, query, access, signal }) {
        const cfg = api.http();
        if (query.tags) {
          checkTagCount(api, query.tags);
          visibleTags(access, query.tags);
        }
        if (api.streams >= cfg.limits.max_streams) {
          throw new HttpError(
            503,
            `too many live streams (${api.streams}; http.limits.max_streams)`,
            undefined,
            {
              headers: { "retry-after": "5" },
            },
          );
        }
        api.streams++;
        let open = true;
        const body = liveStream({
          pipeline: api.service.pipeline,
          access,
          ...(query.tags ? { tags: new Set(query.tags) } : {}),
          ...(query.asset ? { asset: query.asset } : {}),
          rateHz: Math.min(query.max_rate_hz ?? cfg.stream.max_rate_hz, cfg.stream.max_rate_hz),
          heartbeatMs: cfg.stream.heartbeat_s * 1000,
          signal,
          onClose: () => {
            if (open) api.streams--;
            open = false;
          },
        });
        return new Response(body, {
          headers: {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-store",
            "x-accel-buffering": "no",
          },
        });
      },
    }),
  ];
}
