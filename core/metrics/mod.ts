/**
 * @module Prometheus-style metrics.
 */
export * from "./registry.ts";
