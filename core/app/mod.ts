/**
 * @module The gateway process and its services.
 */
export * from "./service.ts";
export * from "./gateway.ts";
export * from "./control.ts";
