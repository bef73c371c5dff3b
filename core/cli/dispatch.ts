/**
 * @module Runs `gateway <command> [subcommand] [options]` and returns the exit code.
 */
import { type Command, commandOf } from "./command.ts";
import { commandHelp, programHelp } from "./help.ts";
import { parseArgs, UsageError } from "./parse.ts";
import { ConfigError, errorMessage } from "../errors.ts";

/** Dispatches argv to a registered command. Exit codes: 0 ok, 1 failure, 2 usage error. */
export async function dispatch(argv: readonly string[], out = console): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    out.log(programHelp());
    return name === undefined ? 2 : 0;
  }
  let command: Command | undefined = commandOf(name);
  let prefix = "gateway";
  if (!command) {
    out.error(`unknown command "${name}"\n\n${programHelp()}`);
    return 2;
  }
  let args = rest;
  while (command.subcommands?.length && args[0] !== undefined && !args[0].startsWith("-")) {
    const sub: Command | undefined = command.subcommands.find((c) => c.name === args[0]);
    if (!sub) {
      out.error(`unknown subcommand "${args[0]}" of "${command.name}"\n\n${commandHelp(command, prefix)}`);
      return 2;
    }
    prefix = `${prefix} ${command.name}`;
    command = sub;
    args = args.slice(1);
  }
  if (args.includes("--help") || args.includes("-h") || !command.run) {
    out.log(commandHelp(command, prefix));
    return command.run ? 0 : 2;
  }
  try {
    return await command.run(parseArgs(command, args));
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`${error.message}\n\n${commandHelp(command, prefix)}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      out.error(error.message);
      return 1;
    }
    out.error(`${command.name} failed: ${errorMessage(error)}`);
    return 1;
  }
}
