/**
 * @module Composite validators: arrays, objects with unknown-key rejection and defaults, records.
 */
import {
  childPath,
  type Ctx,
  describeValue,
  type Infer,
  INVALID,
  type Invalid,
  type JsonSchema,
  type OptionalSchema,
  Schema,
} from "./types.ts";

/** Options for {@link ArraySchema}. */
export interface ArrayOptions {
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Validates lists, reporting every bad item with its index. */
export class ArraySchema<T> extends Schema<T[]> {
  constructor(readonly item: Schema<T>, readonly options: ArrayOptions = {}) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): T[] | Invalid {
    if (!Array.isArray(value)) return ctx.fail(path, `expected a list, got ${describeValue(value)}`);
    const { minItems, maxItems } = this.options;
    if (minItems !== undefined && value.length < minItems) {
      return ctx.fail(
        path,
        `expected at least ${minItems} item${minItems === 1 ? "" : "s"}, got ${value.length}`,
      );
    }
    if (maxItems !== undefined && value.length > maxItems) {
      return ctx.fail(path, `expected at most ${maxItems} items, got ${value.length}`);
    }
    const out: T[] = [];
    let bad = false;
    value.forEach((entry, i) => {
      const r = this.item.check(entry, childPath(path, i), ctx);
      if (r === INVALID) bad = true;
      else out.push(r);
    });
    return bad ? INVALID : out;
  }
  expected(): string {
    return "a list";
  }
  toJson(): JsonSchema {
    const out: JsonSchema = { type: "array", items: this.item.toJson(), ...this.baseJson() };
    if (this.options.minItems !== undefined) out.minItems = this.options.minItems;
    if (this.options.maxItems !== undefined) out.maxItems = this.options.maxItems;
    return out;
  }
}

/** The properties of an object schema. */
export type Shape = { readonly [key: string]: Schema<unknown> };

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] } & unknown;

/** The value type of an object schema: defaulted properties are present, `.opt()` ones may be absent. */
export type InferShape<S extends Shape> = Flatten<
  & { -readonly [K in RequiredKeys<S>]: Infer<S[K]> }
  & { -readonly [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** Validates mappings: rejects unknown keys, reports missing ones, applies defaults. */
export class ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  /** Cross-field checks run after the properties validated; kept by `extend`. */
  checks: readonly ((value: unknown, path: string, ctx: Ctx) => void)[] = [];

  constructor(readonly shape: S) {
    super();
  }

  /** Returns a copy with a cross-field check; it reports issues itself with `ctx.fail(path, ...)`. */
  withCheck(check: (value: InferShape<S>, path: string, ctx: Ctx) => void): this {
    const copy = this.clone();
    copy.checks = [...this.checks, check as (value: unknown, path: string, ctx: Ctx) => void];
    return copy;
  }
  check(value: unknown, path: string, ctx: Ctx): InferShape<S> | Invalid {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return ctx.fail(path, `expected a mapping, got ${describeValue(value)}`);
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(this.shape, key)) {
        const known = Object.keys(this.shape);
        const hint = suggest(key, known);
        ctx.fail(
          childPath(path, key),
          `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; allowed keys: ${known.join(", ")}`,
        );
        bad = true;
      }
    }
    for (const [key, schema] of Object.entries(this.shape)) {
      const raw = input[key];
      if (raw === undefined) {
        if (schema.defaultValue) out[key] = structuredClone(schema.defaultValue.value);
        else if (!schema.optional) {
          ctx.fail(childPath(path, key), `missing required key (expected ${schema.expected()})`);
          bad = true;
        }
        continue;
      }
      const r = schema.check(raw, childPath(path, key), ctx);
      if (r === INVALID) bad = true;
      else out[key] = r;
    }
    if (bad) return INVALID;
    const before = ctx.issues.length;
    for (const check of this.checks) check(out, path, ctx);
    return ctx.issues.length > before ? INVALID : (out as InferShape<S>);
  }
  expected(): string {
    return "a mapping";
  }
  toJson(): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, schema] of Object.entries(this.shape)) {
      properties[key] = schema.toJson();
      if (!schema.optional) required.push(key);
    }
    const out: JsonSchema = { type: "object", properties, additionalProperties: false, ...this.baseJson() };
    if (required.length > 0) out.required = required;
    return out;
  }
  /** A new object schema with extra properties (later ones win). */
  extend<E extends Shape>(extra: E): ObjectSchema<Omit<S, keyof E> & E> {
    const next = new ObjectSchema({ ...this.shape, ...extra } as Omit<S, keyof E> & E);
    next.checks = this.checks;
    next.description = this.description;
    return next;
  }
}

/** Validates mappings with arbitrary keys and uniform values. */
export class RecordSchema<T> extends Schema<Record<string, T>> {
  constructor(readonly value: Schema<T>) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): Record<string, T> | Invalid {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return ctx.fail(path, `expected a mapping, got ${describeValue(value)}`);
    }
    const out: Record<string, T> = {};
    let bad = false;
    for (const [key, raw] of Object.entries(value)) {
      const r = this.value.check(raw, childPath(path, key), ctx);
      if (r === INVALID) bad = true;
      else out[key] = r;
    }
    return bad ? INVALID : out;
  }
  expected(): string {
    return "a mapping";
  }
  toJson(): JsonSchema {
    return { type: "object", additionalProperties: this.value.toJson(), ...this.baseJson() };
  }
}

/** The closest known key within edit distance 2, for "did you mean" hints. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    // A known key that extends the typed one (tick -> tick_ms) is the likeliest intent.
    if (lower.length >= 3 && (c.startsWith(lower) || lower.startsWith(c))) return candidate;
    const d = editDistance(lower, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
