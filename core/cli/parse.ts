/**
 * @module Argument parsing: `--name value`, `--name=value`, `--flag`, `--no-flag`, `--` ends options.
 */
import type { Command, OptionSpec, ParsedArgs } from "./command.ts";

/** A usage error; the message names the offending argument. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `argv` for `command`; throws UsageError for unknown options, missing values and bad numbers. */
export function parseArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options: Record<string, string | boolean | number | string[] | undefined> = {};
  const positionals: string[] = [];
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.default !== undefined) options[name] = spec.default;
    else if (spec.multiple) options[name] = [];
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let inline: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let spec: OptionSpec | undefined = command.options[name];
    if (!spec && name.startsWith("no-") && command.options[name.slice(3)]?.type === "boolean") {
      name = name.slice(3);
      spec = command.options[name];
      inline = "false";
    }
    if (!spec) {
      const known = Object.keys(command.options).map((k) => `--${k}`).join(", ") || "none";
      throw new UsageError(`unknown option ${arg} for "${command.name}" (options: ${known})`);
    }
    if (spec.type === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new UsageError(`--${name} takes no value or true/false, got "${inline}"`);
      }
      options[name] = inline !== "false";
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value (${spec.arg ?? spec.type})`);
    let value: string | number = raw;
    if (spec.type === "number") {
      value = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(value)) {
        throw new UsageError(`--${name} expects a number, got "${raw}"`);
      }
    }
    if (spec.multiple) options[name] = [...(options[name] as string[]), String(value)];
    else options[name] = value;
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && options[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return { options, positionals };
}
