/**
 * @module Top-level configuration sections contributed by subsystems (http, history, ...).
 */
import type { ObjectSchema, Shape } from "../schema/mod.ts";

const sections = new Map<string, ObjectSchema<Shape>>();

/**
 * Registers a top-level config section. Its schema must default every key, so an absent section
 * validates to its defaults.
 */
export function defineSection(name: string, schema: ObjectSchema<Shape>): void {
  if (sections.has(name)) throw new TypeError(`config section "${name}" is registered twice`);
  sections.set(name, schema);
}

/** Registered sections by name. */
export function registeredSections(): ReadonlyMap<string, ObjectSchema<Shape>> {
  return sections;
}
