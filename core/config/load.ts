/**
 * @module Loads a YAML configuration: parse, substitute environment variables, validate, cross-check.
 */
import YAML, { LineCounter } from "yaml";
import { ConfigError } from "../errors.ts";
import { formatIssues, type Issue } from "../schema/mod.ts";
import { configSchema, type GatewayConfig } from "./schema.ts";
import { crossCheck } from "./cross_check.ts";
import { substituteEnv } from "./env.ts";

/** Options for {@link parseConfig}. */
export interface ParseOptions {
  /** Environment lookup (defaults to Deno.env, which needs --allow-env). */
  readonly env?: (name: string) => string | undefined;
  /** Shown before messages, usually the file name. */
  readonly sourceName?: string;
}

/** Validates configuration text; throws ConfigError listing every problem as `path (line N): reason`. */
export function parseConfig(text: string, options: ParseOptions = {}): GatewayConfig {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const sourceName = options.sourceName;
  if (doc.errors.length > 0) {
    // The first few errors locate the problem; the rest are usually consequences of it.
    const problems = doc.errors.slice(0, 3).map((e) => {
      const pos = e.linePos?.[0];
      return `${pos ? `line ${pos.line}, column ${pos.col}` : "YAML"}: ${e.message.split("\n")[0]}`;
    });
    if (/[{[,][^\n]*\$\{/.test(text)) {
      problems.push(
        'hint: inside { } or [ ] write "${VAR}" in quotes; ${VAR} is only bare-safe in block style',
      );
    }
    throw new ConfigError(
      problems,
      sourceName === undefined ? { cause: doc.errors[0] } : { cause: doc.errors[0], source: sourceName },
    );
  }
  let raw: unknown;
  try {
    // Aliases are resolved here; an unknown alias or an alias bomb throws.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [`YAML: ${message}`],
      sourceName === undefined ? { cause: error } : { cause: error, source: sourceName },
    );
  }
  const issues: Issue[] = [];
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const substituted = substituteEnv(raw, env, issues);
  const locate = (path: string) => {
    const node = doc.getIn(pathSegments(path), true) as { range?: [number, number, number] } | undefined;
    const offset = node && typeof node === "object" && "range" in node ? node.range?.[0] : undefined;
    if (offset === undefined) return undefined;
    return `line ${lineCounter.linePos(offset).line}`;
  };
  if (issues.length === 0) {
    const result = configSchema().parse(substituted);
    if (!result.ok) issues.push(...result.issues);
    else issues.push(...crossCheck(result.value as GatewayConfig));
    if (issues.length === 0 && result.ok) return result.value as GatewayConfig;
  }
  throw new ConfigError(formatIssues(issues, locate), sourceName === undefined ? {} : { source: sourceName });
}

/** Reads and validates a configuration file. */
export async function loadConfig(
  path: string,
  options: Omit<ParseOptions, "sourceName"> = {},
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new ConfigError(
      [`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`],
      {
        cause: error,
      },
    );
  }
  return parseConfig(text, { ...options, sourceName: path });
}

/** `sources[2].registers[5].type` → ["sources", 2, "registers", 5, "type"]. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]"]+)|\[(\d+)\]|"((?:[^"\\]|\\.)*)"/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`));
  }
  return out;
}
