/**
 * @module Routes node-opcua's console output (warnings, errors) into the gateway's structured log.
 */
import { setErrorLogger, setWarningLogger } from "node-opcua-client";
import type { Logger } from "../../core/mod.ts";

const loggers = new Set<Logger>();
let installed = false;

function line(args: unknown[]): string {
  return args
    .map((
      a,
    ) => (typeof a === "string" || typeof a === "number" ? String(a) : a instanceof Error ? a.message : ""))
    .filter((a) => a !== "")
    .join(" ")
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "")
    .trim();
}

/** Sends node-opcua warnings to `logger` at debug level and its errors at warn level until the returned fn. */
export function bridgeNodeOpcuaLog(logger: Logger): () => void {
  if (!installed) {
    installed = true;
    setWarningLogger((...args: unknown[]) => {
      for (const l of loggers) l.debug(line(args), { lib: "node-opcua" });
    });
    setErrorLogger((...args: unknown[]) => {
      for (const l of loggers) l.warn(line(args), { lib: "node-opcua" });
    });
  }
  loggers.add(logger);
  return () => loggers.delete(logger);
}
