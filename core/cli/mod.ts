/**
 * @module The command line: command registry, argument parsing, help and dispatch.
 */
export * from "./command.ts";
export * from "./parse.ts";
export * from "./help.ts";
export * from "./dispatch.ts";
