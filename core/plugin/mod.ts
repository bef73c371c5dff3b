/**
 * @module Plugin kinds (source, transform, sink), their contexts, health and the adapter registry.
 */
export * from "./health.ts";
export * from "./context.ts";
export * from "./source.ts";
export * from "./sink.ts";
export * from "./transform.ts";
export * from "./registry.ts";
export * from "./capabilities.ts";
