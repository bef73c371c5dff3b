/**
 * @module The API application: middleware, every declared route (auth, validation) and error mapping.
 */
import { Hono } from "hono";
import { errorMessage } from "../mod.ts";
import { Access } from "./auth/access.ts";
import { authenticate } from "./authenticate.ts";
import { jsonBody } from "./body.ts";
import type { ApiContext } from "./context.ts";
import { HttpError } from "./http_error.ts";
import { type ApiEnv, cors, requestMetrics, securityHeaders } from "./middleware.ts";
import { parseQuery } from "./params.ts";
import type { Route } from "./route.ts";

/** Converts `/tags/{id}` to hono's `/tags/:id`. */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}

/** Builds the application serving `routes` (and any extra handlers `extend` adds, e.g. the dashboard). */
export function buildApp(
  api: ApiContext,
  routes: readonly Route[],
  extend?: (app: Hono<ApiEnv>) => void,
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use("*", requestMetrics(api));
  app.use("*", securityHeaders(() => api.http().tls.cert_file !== ""));
  app.use("*", cors(api));
  for (const r of routes) {
    app.on(r.method, honoPath(r.path), async (c) => {
      c.set("route", r.path);
      const principal = await authenticate(api, c.req.header("authorization"), r.auth);
      const limits = api.http().limits;
      const query = r.query ? parseQuery(r.query, new URL(c.req.url).searchParams) : {};
      const body = r.body && r.bodyKind !== "raw"
        ? await jsonBody(c.req.raw, r.body, limits.max_body_bytes)
        : undefined;
      // Not the request's signal: Deno.serve aborts it once the response starts, which would end streams.
      const signal = api.closing.signal;
      return await r.handle({
        c,
        api,
        query,
        body,
        params: c.req.param() as Record<string, string>,
        principal,
        access: new Access(principal, api.topology()),
        signal,
      });
    });
  }
  extend?.(app);
  app.notFound((c) =>
    c.json(
      { error: `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /api/v1/openapi.json` },
      404,
    )
  );
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
      return c.json(error.body(), error.status as 400);
    }
    api.logger.error("API request failed", {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: errorMessage(error),
    });
    return c.json({ error: `internal error: ${errorMessage(error)}` }, 500);
  });
  return app;
}
