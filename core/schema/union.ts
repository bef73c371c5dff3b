/**
 * @module Discriminated unions (`type: opcua | modbus | ...`) and refinements.
 */
import {
  childPath,
  type Ctx,
  describeValue,
  INVALID,
  type Invalid,
  type JsonSchema,
  Schema,
} from "./types.ts";

/**
 * Validates a mapping whose `key` property picks the schema for the rest. The variants are looked up at
 * validation time, so a registry that grows (adapters registering themselves) is always current.
 */
export class TaggedSchema<T> extends Schema<T> {
  constructor(readonly key: string, readonly variants: () => ReadonlyMap<string, Schema<unknown>>) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): T | Invalid {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return ctx.fail(path, `expected a mapping, got ${describeValue(value)}`);
    }
    const variants = this.variants();
    const tag = (value as Record<string, unknown>)[this.key];
    const kinds = [...variants.keys()].join(", ");
    if (tag === undefined) {
      return ctx.fail(childPath(path, this.key), `missing required key (expected one of ${kinds})`);
    }
    const schema = typeof tag === "string" ? variants.get(tag) : undefined;
    if (!schema) {
      return ctx.fail(childPath(path, this.key), `expected one of ${kinds}, got ${describeValue(tag)}`);
    }
    return schema.check(value, path, ctx) as T | Invalid;
  }
  expected(): string {
    return `a mapping with ${this.key}: ${[...this.variants().keys()].join(" | ")}`;
  }
  toJson(): JsonSchema {
    return { oneOf: [...this.variants().values()].map((s) => s.toJson()), ...this.baseJson() };
  }
}

/** A check over an already valid value; it reports issues itself with `ctx.fail(path, ...)`. */
export type Refinement<T> = (value: T, path: string, ctx: Ctx) => void;

/** Wraps a schema with cross-field checks that run after it succeeds. */
export class RefinedSchema<T> extends Schema<T> {
  constructor(readonly inner: Schema<T>, readonly refinement: Refinement<T>) {
    super();
    this.optional = inner.optional;
    this.defaultValue = inner.defaultValue;
    this.description = inner.description;
  }
  check(value: unknown, path: string, ctx: Ctx): T | Invalid {
    const r = this.inner.check(value, path, ctx);
    if (r === INVALID) return r;
    const before = ctx.issues.length;
    this.refinement(r, path, ctx);
    return ctx.issues.length > before ? INVALID : r;
  }
  expected(): string {
    return this.inner.expected();
  }
  toJson(): JsonSchema {
    return this.inner.toJson();
  }
}
