/**
 * @module The schema contract: every validator collects issues with a path instead of throwing.
 */

/** One validation problem, located by a path such as `sources[2].registers[5].type`. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** A JSON Schema fragment (draft 2020-12 subset) produced from a schema, for OpenAPI and docs. */
export type JsonSchema = { [key: string]: unknown };

/** Marker returned by validators when the value is invalid (issues were recorded). */
export const INVALID: unique symbol = Symbol("invalid");
export type Invalid = typeof INVALID;

/** Validation state threaded through nested validators. */
export class Ctx {
  readonly issues: Issue[] = [];
  /** Records an issue at `path` and returns the invalid marker. */
  fail(path: string, message: string): Invalid {
    this.issues.push({ path, message });
    return INVALID;
  }
}

/** A validator producing values of type `T`. */
export abstract class Schema<T> {
  /** Human description, used in generated docs and the sample config. */
  description: string | undefined;
  /** Whether an object property of this schema may be absent. */
  optional = false;
  /** Default used when the property is absent (already validated). */
  defaultValue: { value: T } | undefined;

  /** Validates `value`, recording issues under `path`. */
  abstract check(value: unknown, path: string, ctx: Ctx): T | Invalid;
  /** JSON Schema of this validator. */
  abstract toJson(): JsonSchema;
  /** A short human-readable name of the expected type, used in messages. */
  abstract expected(): string;

  /** Returns a copy carrying a description. */
  describe(text: string): this {
    const copy = this.clone();
    copy.description = text;
    return copy;
  }

  /** Returns a copy that uses `value` when the property is absent. */
  default(value: T): this {
    const copy = this.clone();
    copy.defaultValue = { value };
    copy.optional = true;
    return copy;
  }

  /** Returns a copy whose absence is allowed (the property stays absent). */
  opt(): OptionalSchema<T> {
    const copy = this.clone() as unknown as OptionalSchema<T>;
    copy.optional = true;
    return copy;
  }

  /** Validates `value` and returns the result or the list of issues. */
  parse(value: unknown, path = ""): { ok: true; value: T } | { ok: false; issues: Issue[] } {
    const ctx = new Ctx();
    const result = this.check(value, path, ctx);
    if (result === INVALID || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
    return { ok: true, value: result };
  }

  protected clone(): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this)), this);
  }

  protected baseJson(): JsonSchema {
    const out: JsonSchema = {};
    if (this.description) out.description = this.description;
    if (this.defaultValue) out.default = this.defaultValue.value;
    return out;
  }
}

/** A schema whose property may be absent; the brand drives type inference of objects. */
export type OptionalSchema<T> = Schema<T> & { readonly __optional: true };

/** The value type a schema produces. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Joins a parent path and a key (`a.b`, `a[3]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return parent === "" ? safe : `${parent}.${safe}`;
}

/** Describes a received value for an error message without dumping it whole. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}
