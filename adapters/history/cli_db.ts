/**
 * @module Finds the history database file of a gateway configuration (for `gateway export --config`).
 */
import { loadConfig } from "../../core/mod.ts";

/** The database path of the (single, or named) history sink of the configuration at `configPath`. */
export async function historyPathFromConfig(configPath: string, sinkName?: string): Promise<string> {
  const config = await loadConfig(configPath);
  const sinks = config.sinks.filter((s) =>
    s.type === "history" && (sinkName === undefined || s.name === sinkName)
  );
  if (sinks.length === 0) {
    throw new RangeError(
      `${configPath} has no history sink${
        sinkName ? ` named "${sinkName}"` : ""
      }; give the file with --db PATH`,
    );
  }
  if (sinks.length > 1) {
    throw new RangeError(
      `${configPath} has ${sinks.length} history sinks (${
        sinks.map((s) => s.name).join(", ")
      }): choose one with --sink`,
    );
  }
  const sink = sinks[0]! as { name: string; path?: string };
  return sink.path ?? `${config.gateway.data_dir}/state/${sink.name}/history.duckdb`;
}
