/**
 * @module `gateway check --config FILE`: validate a configuration and print every problem with its path.
 */
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../errors.ts";
import { defineCommand } from "../command.ts";

defineCommand({
  name: "check",
  summary: "Validate a configuration file and print every error with its path",
  usage: "--config FILE",
  options: {
    config: { type: "string", arg: "FILE", description: "Configuration file (YAML).", required: true },
    quiet: { type: "boolean", description: "Print nothing when the file is valid.", default: false },
  },
  async run({ options }) {
    const path = options.config as string;
    try {
      const config = await loadConfig(path);
      if (!options.quiet) {
        console.log(
          `${path}: valid (${config.sources.length} sources, ${config.transforms.length} transforms, ` +
            `${config.sinks.length} sinks, ${config.assets.length} assets)`,
        );
      }
      return 0;
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
  },
});
