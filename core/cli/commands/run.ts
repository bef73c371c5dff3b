/**
 * @module `gateway run --config FILE`: run the gateway until SIGINT/SIGTERM; SIGHUP reloads the file.
 */
import { Gateway } from "../../app/gateway.ts";
import { defineCommand } from "../command.ts";

defineCommand({
  name: "run",
  summary: "Run the gateway with a configuration file",
  usage: "--config FILE",
  details:
    "Stops gracefully on SIGINT/SIGTERM (sources first, queued data drained). SIGHUP re-reads the file\n" +
    "and restarts only the components whose configuration changed.",
  options: {
    config: { type: "string", arg: "FILE", description: "Configuration file (YAML).", required: true },
  },
  async run({ options }) {
    const gateway = await Gateway.fromFile(options.config as string);
    let exit!: (code: number) => void;
    const done = new Promise<number>((resolve) => (exit = resolve));
    const remove = gateway.installSignalHandlers(exit);
    await gateway.start();
    const code = await done;
    remove();
    return code;
  },
});
