/**
 * @module `gateway version`: print the version, runtime and release form.
 */
import { VERSION } from "../../version.ts";
import { defineCommand } from "../command.ts";

defineCommand({
  name: "version",
  summary: "Print the gateway version",
  options: { json: { type: "boolean", description: "Print as JSON.", default: false } },
  run({ options }) {
    const info = {
      version: VERSION,
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      os: Deno.build.os,
      arch: Deno.build.arch,
    };
    console.log(
      options.json ? JSON.stringify(info) : `gateway ${VERSION} (deno ${info.deno}, ${info.os}/${info.arch})`,
    );
    return 0;
  },
});
