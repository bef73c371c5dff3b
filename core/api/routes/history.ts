/**
 * @module Time series from the history store (raw or rollup tables, chosen by the store) with limits.
 */
import {
  type Aggregation,
  AGGREGATIONS,
  errorMessage,
  HISTORY_CAPABILITY,
  type HistoryReader,
  type Issue,
  s,
} from "../../mod.ts";
import type { Access } from "../auth/access.ts";
import { HttpError, withTimeout } from "../http_error.ts";
import { durationParam, parseDuration, timeParam, timeRange } from "../params.ts";
import { ringSeries, type SeriesColumns } from "../ring_series.ts";
import { type Route, route } from "../route.ts";
import type { ApiContext } from "../context.ts";
import { checkTagCount } from "./shared.ts";

const historyQuery = s.object({
  tags: s.array(s.string({ minLength: 1, maxLength: 200 }), { minItems: 1 }).describe(
    "Tag ids, comma-separated or repeated.",
  ),
  from: timeParam("Start (inclusive); default: one hour before `to`.").opt(),
  to: timeParam("End (exclusive); default: now.").opt(),
  step: durationParam("Bucket size; without it raw points are returned.").opt(),
  agg: s.enum(AGGREGATIONS).opt().describe("Aggregation per bucket (needs step); default avg."),
});

/** Tags the principal may read; 404 for the first that is unknown or not visible (same answer for both). */
export function visibleTags(access: Access, tags: readonly string[]): void {
  for (const t of tags) if (!access.tag(t)) throw new HttpError(404, `unknown tag "${t}"`);
}

function tooMany(points: number, max: number, detail: string): HttpError {
  return new HttpError(
    400,
    `query would return ${points} points, more than the limit of ${max} (http.limits.max_points): ` +
      `narrow it with a larger step, a shorter range or fewer tags${detail}`,
    [{ path: "step", message: `too many points (${points} > ${max})` }],
  );
}

async function series(
  api: ApiContext,
  q: { tags: string[]; from: number; to: number; step?: number; agg: Aggregation },
): Promise<{ source: "history" | "ring"; series: SeriesColumns[] }> {
  const limits = api.http().limits;
  const maxPoints = Math.max(1, Math.floor(limits.max_points / q.tags.length));
  const reader = api.lookup<HistoryReader>(HISTORY_CAPABILITY);
  try {
    if (!reader) {
      return { source: "ring", series: ringSeries(api.service.pipeline.tags, { ...q, maxPoints }) };
    }
    const query = {
      tags: q.tags,
      from: q.from,
      to: q.to,
      maxPoints,
      ...(q.step ? { step: q.step, agg: q.agg } : {}),
    };
    const result = await withTimeout(
      reader.series(query),
      limits.query_timeout_ms,
      "history query timed out: narrow it with a shorter range, a larger step or fewer tags",
    );
    return {
      source: "history",
      series: result.map((r) => ({
        tag: r.tag,
        table: r.table,
        ts: r.points.map((p) => p.ts),
        values: r.points.map((p) => (p.value === null || Number.isFinite(p.value) ? p.value : null)),
        ...(r.points.some((p) => p.quality !== undefined)
          ? { quality: r.points.map((p) => p.quality ?? 0) }
          : {}),
      })),
    };
  } catch (error) {
    if (error instanceof RangeError) {
      throw new HttpError(
        400,
        `query returns too many points (more than ${maxPoints} per tag; http.limits.max_points is ` +
          `${limits.max_points} across tags): narrow it with a larger step, a shorter range or fewer tags ` +
          `(${errorMessage(error)})`,
        [{ path: "step", message: "too many points: use a larger step, a shorter range or fewer tags" }],
        { cause: error },
      );
    }
    throw error;
  }
}

/** The history route. */
export function historyRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/history",
      summary: "Time series of tags: raw points, or avg/min/max/last/count/p95 per step",
      description:
        "Answered by the history store (which picks the raw or a rollup table), or from the live ring buffers " +
        "when no store runs (`source: ring`). Points are columns: `ts`, `values` (and `quality` for raw).",
      group: "history",
      auth: "viewer",
      query: historyQuery,
      responses: {
        200: {
          description: "`{ from, to, step?, agg?, source, series: [{ tag, table, ts, values, quality? }] }`.",
        },
        404: { description: "A tag is unknown or not visible to the token." },
        504: { description: "The query took longer than http.limits.query_timeout_ms." },
      },
      async handle({ c, api, query, access }) {
        checkTagCount(api, query.tags);
        visibleTags(access, query.tags);
        const { from, to } = timeRange(query, api.now(), 3_600_000);
        const issues: Issue[] = [];
        const step = query.step === undefined ? undefined : parseDuration(query.step);
        if (step !== undefined && step <= 0) issues.push({ path: "step", message: "must be greater than 0" });
        if (query.agg !== undefined && step === undefined) {
          issues.push({ path: "agg", message: "needs step (e.g. step=1m&agg=max)" });
        }
        if (issues.length > 0) {
          throw new HttpError(
            400,
            `invalid query parameter ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
            issues,
          );
        }
        const max = api.http().limits.max_points;
        if (step !== undefined) {
          const points = Math.ceil((to - from) / step) * query.tags.length;
          if (points > max) {
            const minStep = Math.ceil(((to - from) * query.tags.length) / max);
            throw tooMany(points, max, ` (step of at least ${minStep} ms for this range and tag count)`);
          }
        }
        const agg = query.agg ?? "avg";
        const result = await series(api, { tags: query.tags, from, to, agg, ...(step ? { step } : {}) });
        const total = result.series.reduce((n, r) => n + r.ts.length, 0);
        if (total > max) throw tooMany(total, max, "");
        return c.json({
          from,
          to,
          ...(step ? { step, agg } : {}),
          source: result.source,
          series: result.series,
        });
      },
    }),
  ];
}
