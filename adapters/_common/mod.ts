/**
 * @module Helpers shared by protocol adapters: clock audit.
 */
export * from "./clock_audit.ts";
