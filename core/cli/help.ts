/**
 * @module Help text for the program and each command.
 */
import { type Command, registeredCommands } from "./command.ts";

/** Help for one command, including its options and subcommands. */
export function commandHelp(command: Command, prefix = "gateway"): string {
  const lines = [
    `${command.summary}`,
    "",
    `Usage: ${prefix} ${command.name}${command.usage ? ` ${command.usage}` : ""}`,
  ];
  if (command.details) lines.push("", command.details);
  if (command.subcommands?.length) {
    lines.push("", "Subcommands:");
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(14)} ${sub.summary}`);
  }
  const opts = Object.entries(command.options);
  if (opts.length > 0) {
    lines.push("", "Options:");
    for (const [name, spec] of opts) {
      const flag = spec.type === "boolean" ? `--${name}` : `--${name} ${spec.arg ?? spec.type.toUpperCase()}`;
      const extra = spec.required
        ? " (required)"
        : spec.default !== undefined
        ? ` (default: ${spec.default})`
        : "";
      lines.push(`  ${flag.padEnd(26)} ${spec.description}${extra}`);
    }
  }
  lines.push(`  ${"--help".padEnd(26)} Show this help.`);
  return lines.join("\n");
}

/** Help for the program: every command with its summary. */
export function programHelp(): string {
  const lines = ["Industrial IoT edge gateway", "", "Usage: gateway <command> [options]", "", "Commands:"];
  for (const c of registeredCommands()) lines.push(`  ${c.name.padEnd(14)} ${c.summary}`);
  lines.push("", 'Run "gateway <command> --help" for the options of a command.');
  return lines.join("\n");
}
