/**
 * @module The core data model: tags, assets, samples, quality, derived records and pipeline messages.
 */
export * from "./quality.ts";
export * from "./tag.ts";
export * from "./sample.ts";
export * from "./records.ts";
export * from "./message.ts";
export * from "./tag_schema.ts";
