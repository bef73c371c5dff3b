/**
 * @module Live alerts and acknowledgement (operator role): the live alert manager first, history too.
 */
import {
  type Alert,
  type AlertControl,
  ALERTS_CAPABILITY,
  HISTORY_CAPABILITY,
  type HistoryReader,
  s,
} from "../../mod.ts";
import type { Access } from "../auth/access.ts";
import type { ApiContext } from "../context.ts";
import { HttpError, withTimeout } from "../http_error.ts";
import { type Route, route } from "../route.ts";

/** Finds an alert the token may see, live or in history (scoped search), or undefined. */
async function findVisible(api: ApiContext, access: Access, id: string): Promise<Alert | undefined> {
  const live = api.lookup<AlertControl>(ALERTS_CAPABILITY)?.active().find((a) => a.id === id);
  if (live) return access.asset(live.asset) ? live : undefined;
  const history = api.lookup<HistoryReader>(HISTORY_CAPABILITY);
  if (!history) return undefined;
  const assets = access.visibleAssets();
  if (assets && assets.length === 0) return undefined;
  let cursor: string | undefined;
  // Bounded scan: at most 20 pages of the store's largest page size.
  for (let page = 0; page < 20; page++) {
    const q = {
      limit: api.http().limits.page_max,
      ...(assets ? { assets } : {}),
      ...(cursor ? { cursor } : {}),
    };
    const r = await withTimeout(
      history.alerts(q),
      api.http().limits.query_timeout_ms,
      "alert lookup timed out",
    );
    const hit = r.items.find((a) => a.id === id);
    if (hit) return access.asset(hit.asset) ? hit : undefined;
    if (r.next === undefined) return undefined;
    cursor = r.next;
  }
  return undefined;
}

/** Active alerts and acknowledgement. */
export function alertRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/alerts/active",
      summary: "Alerts active right now (from the live alert manager, else from history)",
      group: "alerts",
      auth: "viewer",
      query: s.object({ asset: s.id().opt().describe("Only alerts of this asset.") }),
      responses: { 200: { description: "`{ items, source: live | history }`." } },
      async handle({ c, api, query, access }) {
        const keep = (a: Alert) =>
          access.asset(a.asset) && (query.asset === undefined || a.asset === query.asset);
        const live = api.lookup<AlertControl>(ALERTS_CAPABILITY);
        if (live) return c.json({ items: live.active().filter(keep), source: "live" });
        const h = api.history();
        const assets = access.visibleAssets();
        if (assets && assets.length === 0) return c.json({ items: [], source: "history" });
        const page = await withTimeout(
          h.alerts({ state: "active", limit: api.http().limits.page_max, ...(assets ? { assets } : {}) }),
          api.http().limits.query_timeout_ms,
          "history query timed out",
        );
        return c.json({
          items: page.items.filter(keep),
          source: "history",
          ...(page.next ? { truncated: true } : {}),
        });
      },
    }),
    route({
      method: "POST",
      path: "/api/v1/alerts/{id}/acknowledge",
      summary: "Acknowledge an alert (operator); recorded in history with who and when",
      group: "alerts",
      auth: "operator",
      params: { id: "Alert id." },
      body: s.object({
        comment: s.string({ maxLength: 1_000 }).opt().describe(
          "Free text kept in the gateway log and event.",
        ),
      }),
      responses: {
        200: { description: "The acknowledged alert." },
        404: { description: "Unknown alert (or not visible to the token)." },
        503: { description: "Neither the live alert manager nor the history store runs." },
      },
      async handle({ c, api, params, principal, access, body }) {
        const id = params.id!;
        const live = api.lookup<AlertControl>(ALERTS_CAPABILITY);
        const history = api.lookup<HistoryReader>(HISTORY_CAPABILITY);
        if (!live && !history) {
          throw new HttpError(
            503,
            "alerts cannot be acknowledged: neither the alert manager nor the history store runs",
          );
        }
        const found = await findVisible(api, access, id);
        if (!found) throw new HttpError(404, `unknown alert "${id}"`);
        const by = principal.name;
        const at = api.now();
        let result: Alert | undefined = live?.acknowledge(id, by);
        if (history) {
          const recorded = await withTimeout(
            history.acknowledgeAlert(id, by, at),
            api.http().limits.query_timeout_ms,
            "recording the acknowledgement timed out",
          );
          result ??= recorded;
        }
        result ??= { ...found, acknowledged: true };
        api.service.pipeline.event({
          type: "alert.acknowledged",
          component: "http",
          level: "info",
          message: `alert ${id} (${found.asset}) acknowledged by ${by}${
            body.comment ? `: ${body.comment}` : ""
          }`,
          data: { alert: id, asset: found.asset, by, at, ...(body.comment ? { comment: body.comment } : {}) },
        });
        return c.json(result);
      },
    }),
  ];
}
