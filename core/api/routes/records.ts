/**
 * @module Derived records from history: features, anomaly scores, alerts, events (paged, scope-filtered).
 */
import { type ListQuery, type Page, s } from "../../mod.ts";
import type { Access } from "../auth/access.ts";
import type { ApiContext } from "../context.ts";
import { badRequest, withTimeout } from "../http_error.ts";
import { timeParam, timeParamValue, timeRange } from "../params.ts";
import { type Route, route } from "../route.ts";
import { pageLimit } from "./shared.ts";

const listShape = {
  from: timeParam("Earliest record time (inclusive); default: no bound.").opt(),
  to: timeParam("Latest record time (exclusive); default: now.").opt(),
  asset: s.id().opt().describe("Only records of this asset."),
  limit: s.int({ min: 1 }).opt().describe("Page size (default http.limits.page_default, at most page_max)."),
  cursor: s.string({ minLength: 1, maxLength: 2_000 }).opt().describe(
    "The `next` value of the previous page.",
  ),
};
type ListParams = { from?: string; to?: string; asset?: string; limit?: number; cursor?: string };

/** The store's list query for these parameters, or undefined when the token can see nothing asked for. */
export function listQuery(api: ApiContext, access: Access, q: ListParams): ListQuery | undefined {
  const visible = access.visibleAssets();
  let assets: string[] | undefined = visible;
  if (q.asset !== undefined) {
    if (visible && !visible.includes(q.asset)) return undefined;
    assets = [q.asset];
  }
  if (assets && assets.length === 0) return undefined;
  const out: { -readonly [K in keyof ListQuery]: ListQuery[K] } = { limit: pageLimit(api, q.limit) };
  if (q.from !== undefined && q.to !== undefined) Object.assign(out, timeRange(q, api.now(), 0));
  else if (q.from !== undefined) out.from = timeParamValue("from", q.from, api.now());
  else if (q.to !== undefined) out.to = timeParamValue("to", q.to, api.now());
  if (assets) out.assets = assets;
  if (q.cursor !== undefined) out.cursor = q.cursor;
  return out;
}

/** Runs a list query under the timeout and drops anything the token may not see. */
export async function runList<T>(
  api: ApiContext,
  work: () => Promise<Page<T>>,
  visible: (item: T) => boolean,
): Promise<{ items: T[]; next?: string }> {
  let page: Page<T>;
  try {
    page = await withTimeout(
      work(),
      api.http().limits.query_timeout_ms,
      "history query timed out: narrow it with a shorter range or a smaller limit",
    );
  } catch (error) {
    // The store rejects a cursor it did not make (tampered, truncated, from another list) with a RangeError.
    if (error instanceof RangeError) {
      throw badRequest("query parameter", [{ path: "cursor", message: error.message }]);
    }
    throw error;
  }
  const items = page.items.filter(visible);
  return page.next === undefined ? { items } : { items, next: page.next };
}

const pageDoc = {
  200: { description: "`{ items, next? }`: pass `next` as `cursor` for the following page." },
};

/** Feature, score, alert and event list routes. */
export function recordRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/features",
      summary: "Feature vectors (RMS, band energies, ...) per asset and window",
      group: "analytics",
      auth: "viewer",
      query: s.object(listShape),
      responses: pageDoc,
      async handle({ c, api, query, access }) {
        const q = listQuery(api, access, query);
        if (!q) return c.json({ items: [] });
        const h = api.history();
        return c.json(await runList(api, () => h.features(q), (f) => access.asset(f.asset)));
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/anomalies",
      summary: "Anomaly scores per asset and detector",
      group: "analytics",
      auth: "viewer",
      query: s.object({ ...listShape, detector: s.id().opt().describe("Only scores of this detector.") }),
      responses: pageDoc,
      async handle({ c, api, query, access }) {
        const q = listQuery(api, access, query);
        if (!q) return c.json({ items: [] });
        const h = api.history();
        const full = query.detector === undefined ? q : { ...q, detector: query.detector };
        return c.json(await runList(api, () => h.scores(full), (x) => access.asset(x.asset)));
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/alerts",
      summary: "Alerts from history (active and cleared)",
      group: "alerts",
      auth: "viewer",
      query: s.object({
        ...listShape,
        state: s.enum(["active", "cleared"]).opt().describe("Only alerts in this state."),
      }),
      responses: pageDoc,
      async handle({ c, api, query, access }) {
        const q = listQuery(api, access, query);
        if (!q) return c.json({ items: [] });
        const h = api.history();
        const full = query.state === undefined ? q : { ...q, state: query.state };
        return c.json(await runList(api, () => h.alerts(full), (x) => access.asset(x.asset)));
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/events",
      summary: "Gateway events: connections, reloads, updates, data-quality events",
      description:
        "Events about a tag or asset (data.tag / data.asset) are shown to tokens scoped to it; other events " +
        "only to tokens that see the whole site.",
      group: "events",
      auth: "viewer",
      query: s.object({
        ...listShape,
        type: s.string({ minLength: 1, maxLength: 200 }).opt().describe("Only events of this type."),
      }),
      responses: pageDoc,
      async handle({ c, api, query, access }) {
        const { asset: _a, ...rest } = query;
        const q = listQuery(api, access, rest);
        if (!q) return c.json({ items: [] });
        const { assets: _drop, ...noAssets } = q;
        const h = api.history();
        const full = query.type === undefined ? noAssets : { ...noAssets, type: query.type };
        return c.json(
          await runList(api, () => h.events(full), (e) => {
            if (access.unrestricted) return query.asset === undefined || e.data?.asset === query.asset;
            const tag = typeof e.data?.tag === "string" ? e.data.tag : undefined;
            const asset = typeof e.data?.asset === "string" ? e.data.asset : undefined;
            if (query.asset !== undefined && asset !== query.asset) return false;
            if (tag !== undefined) return access.tag(tag);
            return asset !== undefined && access.asset(asset);
          }),
        );
      },
    }),
  ];
}
