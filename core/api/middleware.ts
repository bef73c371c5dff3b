/**
 * @module Cross-cutting middleware: request metrics, security headers and CORS.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import type { ApiContext } from "./context.ts";

/** Hono environment of the API app. */
export type ApiEnv = { Variables: { route: string } };

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Counts requests by route and status and observes their latency (to response headers). */
export function requestMetrics(api: ApiContext): MiddlewareHandler<ApiEnv> {
  const requests = api.metrics.counter(
    "gateway_http_requests_total",
    "HTTP API requests by route and status",
  );
  const latency = api.metrics.histogram(
    "gateway_http_request_duration_seconds",
    "HTTP API time to response headers, by route",
    BUCKETS,
  );
  return async (c: Context<ApiEnv>, next: Next) => {
    const t0 = performance.now();
    await next();
    const route = c.get("route") ?? "unmatched";
    requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    latency.observe((performance.now() - t0) / 1000, { route });
  };
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Headers every response carries; HSTS when served over TLS. */
export function securityHeaders(tls: () => boolean): MiddlewareHandler<ApiEnv> {
  return async (c: Context<ApiEnv>, next: Next) => {
    await next();
    const h = c.res.headers;
    h.set("x-content-type-options", "nosniff");
    h.set("x-frame-options", "DENY");
    h.set("referrer-policy", "no-referrer");
    h.set("cross-origin-opener-policy", "same-origin");
    h.set("content-security-policy", CSP);
    h.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
    if (!h.has("cache-control")) h.set("cache-control", "no-store");
    if (tls()) h.set("strict-transport-security", "max-age=31536000");
  };
}

/** CORS for the configured origins only; everything else gets no CORS headers. */
export function cors(api: ApiContext): MiddlewareHandler<ApiEnv> {
  return async (c: Context<ApiEnv>, next: Next) => {
    const origin = c.req.header("origin");
    const cfg = api.http().cors;
    const allowed = origin !== undefined && cfg.allowed_origins.includes(origin);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      if (!allowed) {
        return c.json(
          { error: `origin ${origin ?? "(none)"} is not allowed (http.cors.allowed_origins)` },
          403,
        );
      }
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin!,
          "access-control-allow-methods": "GET, POST, DELETE",
          "access-control-allow-headers": "authorization, content-type",
          "access-control-max-age": String(cfg.max_age_s),
          "vary": "origin",
        },
      });
    }
    await next();
    if (allowed) {
      c.res.headers.set("access-control-allow-origin", origin!);
      c.res.headers.append("vary", "origin");
    }
  };
}
