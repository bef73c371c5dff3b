/**
 * @module `gateway config-sample`: print the commented sample configuration (every option at its default).
 */
import { sampleConfig } from "../../config/sample.ts";
import { defineCommand } from "../command.ts";

defineCommand({
  name: "config-sample",
  summary: "Print a commented configuration listing every option at its default",
  options: { out: { type: "string", arg: "FILE", description: "Write to FILE instead of standard output." } },
  async run({ options }) {
    const text = sampleConfig();
    if (typeof options.out === "string") await Deno.writeTextFile(options.out, text);
    else console.log(text.trimEnd());
    return 0;
  },
});
