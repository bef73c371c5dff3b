/**
 * @module API authentication and authorisation: hashed bearer tokens, roles and plant scopes.
 */
export * from "./roles.ts";
export * from "./token_format.ts";
export * from "./token_file.ts";
export * from "./verifier.ts";
export * from "./access.ts";
