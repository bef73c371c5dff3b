/**
 * @module Signed A/B updates: the `updater` service (capability "updater", section `update`), the
 * `gateway supervise` command (health window, automatic rollback), and their building blocks.
 * Importing this module registers the service, the section and the command.
 */
import "./service.ts";
import "./supervise_command.ts";
import "./healthcheck_command.ts";

export * from "./layout.ts";
export * from "./journal.ts";
export * from "./state.ts";
export * from "./tar.ts";
export * from "./receive.ts";
export * from "./stage.ts";
export * from "./switch.ts";
export * from "./backup.ts";
export * from "./transitions.ts";
export * from "./trust_store.ts";
export * from "./health_file.ts";
export * from "./child.ts";
export * from "./updater.ts";
export * from "./supervisor.ts";
export * from "./section.ts";
