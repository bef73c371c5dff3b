/**
 * @module Keeps the gateway running when node-opcua leaves a promise rejected with nobody listening (seen when
 * a request times out on an overloaded server): such rejections are logged, not fatal. Others are untouched.
 */
import type { Logger } from "../../core/mod.ts";

let installed = false;
let log: Logger | undefined;

/** Whether a rejection reason comes from node-opcua (its stack runs through a node-opcua-* package). */
export function fromNodeOpcua(reason: unknown): boolean {
  const stack = reason instanceof Error ? reason.stack ?? "" : "";
  return /node-opcua-/.test(stack);
}

/** Installs the guard once; later calls only change where it logs. */
export function guardNodeOpcuaRejections(logger: Logger): void {
  log = logger;
  if (installed) return;
  installed = true;
  globalThis.addEventListener("unhandledrejection", (event) => {
    if (!fromNodeOpcua(event.reason)) return;
    event.preventDefault();
    log?.warn("node-opcua left a request failure unhandled; the connection supervisor recovers", {
      error: event.reason instanceof Error ? event.reason.message : String(event.reason),
    });
  });
}
