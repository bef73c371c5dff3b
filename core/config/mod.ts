/**
 * @module Configuration: schema, sections, loading with environment substitution and path-located errors.
 */
export * from "./schema.ts";
export * from "./sections.ts";
export * from "./load.ts";
export * from "./env.ts";
export { crossCheck } from "./cross_check.ts";
export { sampleConfig } from "./sample.ts";
