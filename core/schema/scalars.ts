/**
 * @module Scalar validators: string, number, boolean, enum, literal.
 */
import { type Ctx, describeValue, type Invalid, type JsonSchema, Schema } from "./types.ts";

/** Options for {@link StringSchema}. */
export interface StringOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  /** Explains the pattern in error messages, e.g. "an identifier (letters, digits, _ and -)". */
  readonly patternName?: string;
}

/** Validates strings. */
export class StringSchema extends Schema<string> {
  constructor(readonly options: StringOptions = {}) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): string | Invalid {
    if (typeof value !== "string") {
      return ctx.fail(path, `expected ${this.expected()}, got ${describeValue(value)}`);
    }
    const { minLength, maxLength, pattern, patternName } = this.options;
    if (minLength !== undefined && value.length < minLength) {
      return ctx.fail(
        path,
        minLength === 1 ? "must not be empty" : `must have at least ${minLength} characters`,
      );
    }
    if (maxLength !== undefined && value.length > maxLength) {
      return ctx.fail(path, `must have at most ${maxLength} characters, got ${value.length}`);
    }
    if (pattern && !pattern.test(value)) {
      return ctx.fail(
        path,
        `expected ${patternName ?? `a string matching ${pattern.source}`}, got ${describeValue(value)}`,
      );
    }
    return value;
  }
  expected(): string {
    return "a string";
  }
  toJson(): JsonSchema {
    const out: JsonSchema = { type: "string", ...this.baseJson() };
    if (this.options.minLength !== undefined) out.minLength = this.options.minLength;
    if (this.options.maxLength !== undefined) out.maxLength = this.options.maxLength;
    if (this.options.pattern) out.pattern = this.options.pattern.source;
    return out;
  }
}

/** Options for {@link NumberSchema}. */
export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly gt?: number;
  readonly integer?: boolean;
}

/** Validates finite numbers. */
export class NumberSchema extends Schema<number> {
  constructor(readonly options: NumberOptions = {}) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): number | Invalid {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return ctx.fail(path, `expected ${this.expected()}, got ${describeValue(value)}`);
    }
    const { min, max, gt, integer } = this.options;
    if (integer && !Number.isInteger(value)) return ctx.fail(path, `expected an integer, got ${value}`);
    if (min !== undefined && value < min) return ctx.fail(path, `must be >= ${min}, got ${value}`);
    if (gt !== undefined && value <= gt) return ctx.fail(path, `must be > ${gt}, got ${value}`);
    if (max !== undefined && value > max) return ctx.fail(path, `must be <= ${max}, got ${value}`);
    return value;
  }
  expected(): string {
    return this.options.integer ? "an integer" : "a number";
  }
  toJson(): JsonSchema {
    const out: JsonSchema = { type: this.options.integer ? "integer" : "number", ...this.baseJson() };
    if (this.options.min !== undefined) out.minimum = this.options.min;
    if (this.options.max !== undefined) out.maximum = this.options.max;
    if (this.options.gt !== undefined) out.exclusiveMinimum = this.options.gt;
    return out;
  }
}

/** Validates booleans. */
export class BooleanSchema extends Schema<boolean> {
  check(value: unknown, path: string, ctx: Ctx): boolean | Invalid {
    if (typeof value !== "boolean") {
      return ctx.fail(path, `expected true or false, got ${describeValue(value)}`);
    }
    return value;
  }
  expected(): string {
    return "true or false";
  }
  toJson(): JsonSchema {
    return { type: "boolean", ...this.baseJson() };
  }
}

/** Validates one of a fixed list of strings. */
export class EnumSchema<T extends string> extends Schema<T> {
  constructor(readonly values: readonly T[]) {
    super();
  }
  check(value: unknown, path: string, ctx: Ctx): T | Invalid {
    if (typeof value !== "string" || !(this.values as readonly string[]).includes(value)) {
      return ctx.fail(path, `expected ${this.expected()}, got ${describeValue(value)}`);
    }
    return value as T;
  }
  expected(): string {
    return `one of ${this.values.join(", ")}`;
  }
  toJson(): JsonSchema {
    return { type: "string", enum: [...this.values], ...this.baseJson() };
  }
}

/** Accepts anything (for free-form fields); still JSON-serialisable in docs. */
export class AnySchema extends Schema<unknown> {
  check(value: unknown): unknown {
    return value;
  }
  expected(): string {
    return "any value";
  }
  toJson(): JsonSchema {
    return { ...this.baseJson() };
  }
}
