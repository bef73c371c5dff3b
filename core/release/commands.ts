/**
 * @module `gateway release keygen | root | sign | verify`: the release side of signed updates.
 */
import { defineCommand } from "../cli/command.ts";
import { keygenCommand, rootCommand } from "./cli_keys.ts";
import { signCommand } from "./cli_sign.ts";
import { verifyCommand } from "./cli_verify.ts";

defineCommand({
  name: "release",
  summary: "Release keys, root metadata, signing and verification of release manifests",
  usage: "<keygen | root | sign | verify> [options]",
  options: {},
  subcommands: [keygenCommand, rootCommand, signCommand, verifyCommand],
});
