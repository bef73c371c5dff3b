/**
 * @module Structured logging (logfmt or JSON lines) with levels and child loggers carrying fields.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = typeof LOG_LEVELS[number];
export type LogFormat = "logfmt" | "json";
export type LogFields = Readonly<Record<string, unknown>>;

/** Where formatted lines go (stderr by default; tests capture them). */
export type LogWriter = (line: string, level: LogLevel) => void;

/** A logger; `child` adds fields such as `component=opcua-1` to every line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  enabled(level: LogLevel): boolean;
}

const encoder = new TextEncoder();
const stderrWriter: LogWriter = (line) => {
  try {
    Deno.stderr.writeSync(encoder.encode(line + "\n"));
  } catch {
    // stderr closed: logging must never take the gateway down.
  }
};

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly format?: LogFormat;
  readonly writer?: LogWriter;
  readonly fields?: LogFields;
  readonly clock?: () => number;
}

/** Creates a logger. Lines below `level` cost one comparison. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const format = options.format ?? "logfmt";
  const writer = options.writer ?? stderrWriter;
  const clock = options.clock ?? Date.now;
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(level) < min) return;
      const record = { ts: new Date(clock()).toISOString(), level, msg, ...base, ...fields };
      writer(format === "json" ? JSON.stringify(record, jsonReplacer) : logfmt(record), level);
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (fields) => make({ ...base, ...fields }),
      enabled: (level) => LOG_LEVELS.indexOf(level) >= min,
    };
  };
  return make(options.fields ?? {});
}

/** A logger that discards everything. */
export const silentLogger: Logger = createLogger({ writer: () => {}, level: "error" });

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Formats a record as logfmt: `key=value` pairs, quoting values with spaces or quotes. */
export function logfmt(record: LogFields): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    let value: string;
    if (raw instanceof Error) value = raw.message;
    else if (typeof raw === "object" && raw !== null) value = JSON.stringify(raw, jsonReplacer);
    else value = String(raw);
    parts.push(`${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  return parts.join(" ");
}
