/**
 * @module The history sink: durable local history in DuckDB (raw samples, rollups, features, scores, alerts,
 * events, tag metadata), the "history" capability, and the `gateway export` command.
 */
import { defineSink } from "../../core/mod.ts";
import { historySchema } from "./schema.ts";
import { HistorySink } from "./sink.ts";
import "./cli.ts";

defineSink({
  type: "history",
  description:
    "Stores history in a local DuckDB file with retention, rollups and export; serves history queries.",
  schema: historySchema,
  create: (config) => new HistorySink(config),
});

export { HistorySink } from "./sink.ts";
export { StoreReader } from "./reader.ts";
export { DatabaseLockedError, openDb } from "./db.ts";
export { migrate, MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export { runExport } from "./cli.ts";
export { EXPORT_ROUTE } from "./export_remote.ts";
export type { HistoryConfig } from "./schema.ts";
