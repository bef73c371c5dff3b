/**
 * @module Health, Prometheus metrics and the OpenAPI document.
 */
import {
  type ComponentHealth,
  HISTORY_CAPABILITY,
  s,
  UPDATER_CAPABILITY,
  type UpdaterControl,
} from "../../mod.ts";
import { openApiDocument } from "../openapi.ts";
import { httpConfigOf } from "../config.ts";
import { type Route, route } from "../route.ts";

const UPLINK = /mqtt|uplink|kafka|http_out|forward/i;
const STORE = /history|duckdb|store/i;

/** Health, metrics and OpenAPI routes; `all` is the full route list for the document. */
export function systemRoutes(all: () => readonly Route[]): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/health",
      summary: "Gateway health: sources, uplink, store, services, version",
      description: "Public unless http.auth.public_health is false. 503 when the gateway is stopped.",
      group: "system",
      auth: "health",
      query: s.object({}),
      responses: { 200: { description: "Health report." }, 503: { description: "Gateway stopped." } },
      handle({ c, api }) {
        const h = api.service.health();
        const types = new Map(api.service.config().sinks.map((k) => [k.name, k.type]));
        const pick = (re: RegExp) =>
          Object.fromEntries(
            Object.entries(h.sinks).filter(([n]) => re.test(types.get(n) ?? "") || re.test(n)),
          ) as Record<string, ComponentHealth>;
        const updater = api.lookup<UpdaterControl>(UPDATER_CAPABILITY);
        const body = {
          ...h,
          uplink: pick(UPLINK),
          store: { ...pick(STORE), history_available: api.lookup(HISTORY_CAPABILITY) !== undefined },
          api: {
            ...(api.listening ?? {}),
            streams: api.streams,
            tokens: api.verifier.size,
            // Lets the dashboard know whether it can read without a token (anonymous_role other than none).
            anonymous_role: httpConfigOf(api.service.config()).auth.anonymous_role,
            ...(api.verifier.lastError ? { tokens_error: api.verifier.lastError } : {}),
          },
          ...(updater ? { update: updater.status() } : {}),
        };
        return c.json(body, h.status === "stopped" ? 503 : 200);
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/metrics",
      summary: "Prometheus metrics (text exposition format)",
      description: "Includes gateway_http_requests_total and gateway_http_request_duration_seconds.",
      group: "system",
      auth: "metrics",
      responses: {
        200: {
          description: "Metrics.",
          contentType: "text/plain; version=0.0.4",
          schema: { type: "string" },
        },
      },
      handle({ api }) {
        return new Response(api.metrics.render(), {
          headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
        });
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/openapi.json",
      summary: "This API's OpenAPI 3.1 document",
      group: "system",
      auth: "public",
      responses: { 200: { description: "OpenAPI document." } },
      handle({ c, api }) {
        return c.json(openApiDocument(all(), api.service.version));
      },
    }),
  ];
}
