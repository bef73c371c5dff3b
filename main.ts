/**
 * @module The gateway executable: `gateway <command> [options]` (run, demo, check, version, ...).
 */
import "./adapters/mod.ts";
import "./core/cli/commands/mod.ts";
import "./core/api/mod.ts";
import "./core/transforms/mod.ts";
import "./core/app/event_loop_lag.ts";
import "./demo/mod.ts";
import "./core/release/commands.ts";
import "./core/update/mod.ts";
import { dispatch } from "./core/mod.ts";

if (import.meta.main) {
  const code = await dispatch(Deno.args);
  Deno.exit(code);
}
