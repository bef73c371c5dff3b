/**
 * @module Serves the operator dashboard from assets compiled into the program (no files, no CDN).
 */
import type { Context, Hono } from "hono";
import { DASHBOARD_ASSETS } from "../../dashboard/assets.ts";
import type { ApiEnv } from "./middleware.ts";

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0") + text.length.toString(16);
}

/** Adds `/` and `/assets/<file>` to the app. */
export function serveDashboard(app: Hono<ApiEnv>): void {
  const etags = new Map(Object.entries(DASHBOARD_ASSETS).map(([name, a]) => [name, `"${fnv1a(a.body)}"`]));
  const serve = (c: Context<ApiEnv>, name: string): Response => {
    c.set("route", name === "index.html" ? "/" : "/assets/{file}");
    const asset = DASHBOARD_ASSETS[name];
    if (!asset) return c.json({ error: `no dashboard asset "${name}"` }, 404);
    const etag = etags.get(name)!;
    const headers = { "etag": etag, "cache-control": "no-cache", "content-type": asset.type };
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(asset.body, { headers });
  };
  app.get("/", (c) => serve(c, "index.html"));
  app.get("/index.html", (c) => serve(c, "index.html"));
  app.get("/assets/:file", (c) => serve(c, c.req.param("file")));
}
