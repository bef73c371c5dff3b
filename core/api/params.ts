/**
 * @module Query parameters: coerced from strings by the schema's types, then validated by the same schema
 * that documents them in OpenAPI; time and duration syntax.
 */
import {
  ArraySchema,
  BooleanSchema,
  type InferShape,
  type Issue,
  NumberSchema,
  type ObjectSchema,
  RefinedSchema,
  s,
  type Schema,
  type Shape,
} from "../mod.ts";
import { badRequest } from "./http_error.ts";

function unwrap(schema: Schema<unknown>): Schema<unknown> {
  let cur = schema;
  while (cur instanceof RefinedSchema) cur = cur.inner as Schema<unknown>;
  return cur;
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function coerceScalar(schema: Schema<unknown>, raw: string): unknown {
  const inner = unwrap(schema);
  if (inner instanceof NumberSchema) return NUMERIC.test(raw.trim()) ? Number(raw) : raw;
  if (inner instanceof BooleanSchema) {
    if (raw === "true" || raw === "1" || raw === "") return true;
    if (raw === "false" || raw === "0") return false;
  }
  return raw;
}

/** Validates URL query parameters against an object schema; throws a 400 HttpError naming each parameter. */
export function parseQuery<S extends Shape>(schema: ObjectSchema<S>, params: URLSearchParams): InferShape<S> {
  const raw: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const field = schema.shape[key];
    if (field && unwrap(field) instanceof ArraySchema) {
      const item = (unwrap(field) as ArraySchema<unknown>).item as Schema<unknown>;
      raw[key] = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "")
        .map((v) => coerceScalar(item, v));
    } else if (values.length > 1) {
      issues.push({ path: key, message: `given ${values.length} times; give it once` });
    } else {
      raw[key] = field ? coerceScalar(field, values[0]!) : values[0];
    }
  }
  const r = schema.parse(raw);
  if (!r.ok) issues.push(...r.issues);
  if (issues.length > 0 || !r.ok) throw badRequest("query parameter", issues);
  return r.value;
}

const TIME_PATTERN =
  /^(now|now-\d+(\.\d+)?(ms|s|m|h|d|w)|-\d+(\.\d+)?(ms|s|m|h|d|w)|\d{10,16}|\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)$/;
const DURATION_PATTERN = /^(\d+(\.\d+)?)(ms|s|m|h|d|w)?$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A time parameter: epoch ms, ISO 8601, `now`, or relative to now (`-15m`, `now-2h`). */
export const timeParam = (what: string): ReturnType<typeof s.string> =>
  s.string({
    pattern: TIME_PATTERN,
    patternName:
      "a time: epoch milliseconds, ISO 8601 (2026-11-23T08:00:00Z), now, or relative (-15m, now-2h)",
  }).describe(what);

/** A duration parameter: milliseconds or a number with unit ms/s/m/h/d/w. */
export const durationParam = (what: string): ReturnType<typeof s.string> =>
  s.string({
    pattern: DURATION_PATTERN,
    patternName: "a duration such as 500, 10s, 1m, 1h (ms when no unit)",
  })
    .describe(what);

/** Converts a validated time parameter to epoch ms. */
export function parseTime(text: string, now: number): number {
  if (text === "now") return now;
  const rel = /^(?:now)?-(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text.includes("T") || text.length === 10 ? text : text.replace(" ", "T"));
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid date: ${text}`);
  return ms;
}

/** Converts a validated duration parameter to ms. */
export function parseDuration(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[3] ?? "ms"]!;
}

/** One time parameter as epoch ms; 400 naming it when the date does not exist. */
export function timeParamValue(name: string, text: string, now: number): number {
  try {
    return parseTime(text, now);
  } catch (e) {
    throw badRequest("query parameter", [{ path: name, message: (e as Error).message }]);
  }
}

/** Resolves `from`/`to` parameters (default: the last `defaultSpanMs` up to now); 400 when from >= to. */
export function timeRange(
  q: { from?: string; to?: string },
  now: number,
  defaultSpanMs: number,
): { from: number; to: number } {
  const issues: Issue[] = [];
  let to = now;
  let from = now - defaultSpanMs;
  try {
    if (q.to !== undefined) to = parseTime(q.to, now);
  } catch (e) {
    issues.push({ path: "to", message: (e as Error).message });
  }
  try {
    from = q.from !== undefined ? parseTime(q.from, now) : to - defaultSpanMs;
  } catch (e) {
    issues.push({ path: "from", message: (e as Error).message });
  }
  if (issues.length === 0 && from >= to) {
    issues.push({ path: "from", message: `must be before to (${new Date(to).toISOString()})` });
  }
  if (issues.length > 0) throw badRequest("query parameter", issues);
  return { from, to };
}
