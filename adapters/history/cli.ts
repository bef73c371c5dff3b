/**
 * @module `gateway export`: one stored kind of history (raw samples, rollups, features, scores, alerts, events)
 * for a time range and tag or asset set to Parquet or CSV, from the database file (gateway stopped) or through
 * a running gateway's HTTP API (`--url`).
 */
import { defineCommand, errorMessage } from "../../core/mod.ts";
import { historyPathFromConfig } from "./cli_db.ts";
import { kindOptions, listOption } from "./cli_kind.ts";
import { parseTime } from "./cli_time.ts";
import { DatabaseLockedError, openDb } from "./db.ts";
import { exportRange } from "./export.ts";
import { exportRemote } from "./export_remote.ts";
import { progressBar } from "./progress.ts";

/** Runs the export; returns the exit code. */
export async function runExport(
  options: Readonly<Record<string, unknown>>,
  err: (line: string) => void = console.error,
  now = Date.now(),
): Promise<number> {
  const out = String(options.out);
  const format = typeof options.format === "string"
    ? options.format
    : out.toLowerCase().endsWith(".csv")
    ? "csv"
    : "parquet";
  if (format !== "parquet" && format !== "csv") {
    err(`--format must be parquet or csv, got "${format}"`);
    return 2;
  }
  let from: number, to: number;
  try {
    from = parseTime("from", String(options.from), now);
    to = parseTime("to", String(options.to ?? "now"), now);
  } catch (error) {
    err(errorMessage(error));
    return 2;
  }
  const tags = listOption(options.tags);
  let what;
  try {
    what = kindOptions(options, tags !== undefined);
  } catch (error) {
    err(errorMessage(error));
    return 2;
  }
  let db = options.db as string | undefined;
  const url = options.url as string | undefined;
  const configPath = options.config as string | undefined;
  if ([db, url, configPath].filter((x) => x !== undefined).length !== 1) {
    err(
      "give exactly one of --db PATH or --config FILE (gateway stopped) or --url http://gateway:port (gateway running)",
    );
    return 2;
  }
  if (configPath !== undefined) {
    try {
      db = await historyPathFromConfig(configPath, options.sink as string | undefined);
    } catch (error) {
      err(errorMessage(error));
      return 2;
    }
  }
  const bar = progressBar(`exporting to ${out}`);
  try {
    if (url !== undefined) {
      const token = (options.token as string | undefined) ?? Deno.env.get("GATEWAY_TOKEN");
      const r = await exportRemote({
        url,
        ...(token ? { token } : {}),
        from,
        to,
        ...what,
        ...(tags ? { tags } : {}),
        format,
        out,
        onProgress: bar.update,
      });
      bar.done(`${r.rows !== undefined ? `${r.rows} rows, ` : ""}${r.bytes} bytes`);
      return 0;
    }
    let open;
    try {
      open = await openDb(db!, { readOnly: true, threads: 2 });
    } catch (error) {
      if (error instanceof DatabaseLockedError) {
        err(
          `${error.message}.\nWhile the gateway runs it holds the database lock: export through its HTTP API ` +
            `instead, e.g.\n  gateway export --url http://127.0.0.1:8080 --token TOKEN --from ... --to ... --out ${out}`,
        );
        return 1;
      }
      throw error;
    }
    try {
      const r = await exportRange(open.instance, {
        from,
        to,
        ...what,
        ...(tags ? { tags } : {}),
        format,
        path: out,
        onProgress: bar.update,
      });
      bar.done(`${r.rows} rows, ${r.bytes} bytes`);
      if (r.rows === 0) {
        err(
          `note: no stored ${
            what.kind === "rollups" ? `${what.interval ?? "1m"} rollups` : what.kind
          } between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}${
            tags ? ` for ${tags.join(", ")}` : ""
          }${what.assets ? ` of ${what.assets.join(", ")}` : ""}`,
        );
      }
      return 0;
    } finally {
      open.close();
    }
  } catch (error) {
    err(`\nexport failed: ${errorMessage(error)}`);
    return 1;
  }
}

defineCommand({
  name: "export",
  summary: "Export stored history (samples, rollups, features, scores, alerts, events) to Parquet or CSV",
  usage: "--from TIME [--to TIME] [--kind KIND [--interval 1s|1m|1h] [--layout columns|json]]\n" +
    "  [--tags a,b] [--assets a,b] --out FILE [--format csv] [--db PATH | --config FILE | --url URL --token T]",
  details:
    "TIME is ISO 8601, ms since epoch, now, or relative (-24h, -7d). Without --url the database file is opened\n" +
    "read-only; a running gateway holds its lock, so then use --url (the token may also come from GATEWAY_TOKEN).\n" +
    "Columns per --kind:\n" +
    "  samples   tag, asset, unit, ts, recv, server_ts, value, text, quality, status, reason, historical,\n" +
    "            decimated_block\n" +
    "  rollups   tag, asset, unit, start, count, mean, std, min, max, p95, last, bad_share, origin\n" +
    "            (--interval 1s, 1m or 1h; default 1m)\n" +
    "  features  asset, window_start, window_end, computed_at, schema_version, quality_worst, good_share,\n" +
    "            then one column per feature name in sorted order (--layout json: one features JSON column)\n" +
    "  scores    asset, detector, version, ts, score, threshold, anomalous, contributions\n" +
    "  alerts    id, asset, kind, severity, state, raised_at, cleared_at, updated_at, acknowledged, acked_by,\n" +
    "            acked_at, message, detector, score, contributions (alerts raised in the range)\n" +
    "  events    ts, type, component, level, message, asset, tag, data\n" +
    "--tags applies to samples, rollups and events, --assets to every kind. Progress is drawn on stderr.",
  options: {
    from: { type: "string", arg: "TIME", description: "Start of the range (inclusive).", required: true },
    to: { type: "string", arg: "TIME", description: "End of the range (exclusive).", default: "now" },
    kind: {
      type: "string",
      arg: "KIND",
      description: "What to export: samples (default), rollups, features, scores, alerts or events.",
    },
    interval: {
      type: "string",
      arg: "INTERVAL",
      description: "With --kind rollups: 1s, 1m (default) or 1h.",
    },
    layout: {
      type: "string",
      arg: "LAYOUT",
      description: "With --kind features: columns (one per feature name, default) or json (one JSON column).",
    },
    tags: {
      type: "string",
      arg: "IDS",
      description: "Tag ids, comma-separated or repeated; all tags when absent.",
      multiple: true,
    },
    assets: {
      type: "string",
      arg: "IDS",
      description: "Asset ids, comma-separated or repeated; all assets when absent.",
      multiple: true,
    },
    out: { type: "string", arg: "FILE", description: "Output file.", required: true },
    format: {
      type: "string",
      arg: "FORMAT",
      description: "parquet or csv (default: from the file extension, else parquet).",
    },
    db: { type: "string", arg: "PATH", description: "History database file (gateway stopped)." },
    config: {
      type: "string",
      arg: "FILE",
      description: "Gateway configuration: export from its history sink's database file (gateway stopped).",
    },
    sink: {
      type: "string",
      arg: "NAME",
      description: "With --config: the history sink, when there are several.",
    },
    url: { type: "string", arg: "URL", description: "Base URL of a running gateway's HTTP API." },
    token: { type: "string", arg: "TOKEN", description: "API token for --url." },
  },
  run: ({ options }) => runExport(options),
});
