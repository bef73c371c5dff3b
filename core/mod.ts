/**
 * @module The gateway core: data model, configuration, plugin kinds, ring buffers, pipeline, CLI.
 * Adapters import from here; the core never imports an adapter.
 */
export * from "./errors.ts";
export * from "./version.ts";
export * from "./model/mod.ts";
export * from "./schema/mod.ts";
export * from "./log/mod.ts";
export * from "./metrics/mod.ts";
export * from "./plugin/mod.ts";
export * from "./ring/mod.ts";
export * from "./config/mod.ts";
export * from "./pipeline/mod.ts";
export * from "./app/mod.ts";
export * from "./cli/mod.ts";
export * from "./util/mod.ts";
export * from "./history/mod.ts";
