/**
 * @module A small validation library: one schema validates config and API input, reports every issue
 * with its path, applies defaults, and emits JSON Schema for OpenAPI and docs.
 */
import {
  AnySchema,
  BooleanSchema,
  EnumSchema,
  type NumberOptions,
  NumberSchema,
  type StringOptions,
  StringSchema,
} from "./scalars.ts";
import { type ArrayOptions, ArraySchema, ObjectSchema, RecordSchema, type Shape } from "./composite.ts";
import { RefinedSchema, type Refinement, TaggedSchema } from "./union.ts";
import type { Schema } from "./types.ts";

export * from "./types.ts";
export * from "./scalars.ts";
export * from "./composite.ts";
export * from "./union.ts";
export { formatIssues } from "./format.ts";

/** Schema builders. */
export const s = {
  string: (options?: StringOptions): StringSchema => new StringSchema(options),
  number: (options?: NumberOptions): NumberSchema => new NumberSchema(options),
  int: (options: Omit<NumberOptions, "integer"> = {}): NumberSchema =>
    new NumberSchema({ ...options, integer: true }),
  boolean: (): BooleanSchema => new BooleanSchema(),
  enum: <const T extends string>(values: readonly T[]): EnumSchema<T> => new EnumSchema(values),
  any: (): AnySchema => new AnySchema(),
  array: <T>(item: Schema<T>, options?: ArrayOptions): ArraySchema<T> => new ArraySchema(item, options),
  object: <S extends Shape>(shape: S): ObjectSchema<S> => new ObjectSchema(shape),
  record: <T>(value: Schema<T>): RecordSchema<T> => new RecordSchema(value),
  tagged: <T>(key: string, variants: () => ReadonlyMap<string, Schema<unknown>>): TaggedSchema<T> =>
    new TaggedSchema<T>(key, variants),
  refine: <T>(inner: Schema<T>, refinement: Refinement<T>): RefinedSchema<T> =>
    new RefinedSchema(inner, refinement),
  /** An identifier: letters, digits, `_` and `-`, starting with a letter. */
  id: (): StringSchema =>
    new StringSchema({
      minLength: 1,
      maxLength: 128,
      pattern: /^[A-Za-z][A-Za-z0-9_.-]*$/,
      patternName: "an identifier (a letter, then letters, digits, _ . -)",
    }),
};
