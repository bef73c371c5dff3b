/**
 * @module The gateway process and its services.
 */
export * from "./service.ts";
export * from "./gateway.ts";
