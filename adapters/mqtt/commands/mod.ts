/**
 * @module Downlink commands of the MQTT uplink: Ed25519-authenticated parsing and execution.
 */
export { CommandHandler, type CommandResult } from "./handler.ts";
export { fromBase64, importPublicKey, KeyRing } from "./keys.ts";
export { type Command, CommandRefused, parseCommand } from "./parse.ts";
