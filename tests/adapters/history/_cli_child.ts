/**
 * @module Child process for CLI tests: `gateway <args>` with only the history adapter registered.
 */
import { dispatch } from "../../../core/cli/dispatch.ts";
import "../../../adapters/history/mod.ts";

Deno.exit(await dispatch(Deno.args));
