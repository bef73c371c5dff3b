/**
 * @module Subcommands: declared once with their options, registered by core and adapters alike.
 */

/** One option of a command. */
export interface OptionSpec {
  readonly type: "string" | "boolean" | "number";
  readonly description: string;
  readonly default?: string | boolean | number;
  readonly required?: boolean;
  /** Value placeholder shown in help, e.g. FILE. */
  readonly arg?: string;
  /** May be given several times (values collected into a list). */
  readonly multiple?: boolean;
}

/** Parsed arguments: options by name plus positional arguments. */
export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | boolean | number | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** A subcommand of `gateway`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line after the command name, e.g. `--config FILE`. */
  readonly usage?: string;
  /** Longer help text. */
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Nested subcommands (e.g. `trust list`). */
  readonly subcommands?: readonly Command[];
  /** Runs the command; the result is the process exit code. */
  run?(args: ParsedArgs): Promise<number> | number;
}

const commands = new Map<string, Command>();

/** Registers a top-level command. */
export function defineCommand(command: Command): void {
  if (commands.has(command.name)) throw new TypeError(`command "${command.name}" is registered twice`);
  commands.set(command.name, command);
}

/** A registered command by name. */
export function commandOf(name: string): Command | undefined {
  return commands.get(name);
}

/** All registered commands, sorted. */
export function registeredCommands(): Command[] {
  return [...commands.values()].sort((a, b) => a.name.localeCompare(b.name));
}
