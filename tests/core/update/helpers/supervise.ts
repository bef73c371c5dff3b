/**
 * @module Test helper process: `gateway supervise` alone (no adapters), so tests can SIGKILL it at a step.
 */
import "../../../../core/update/supervise_command.ts";
import { dispatch } from "../../../../core/cli/dispatch.ts";

Deno.exit(await dispatch(["supervise", ...Deno.args]));
