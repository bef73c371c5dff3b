/**
 * @module The gateway executable: `gateway <command> [options]` (run, demo, check, version, ...).
 */
import "./adapters/mod.ts";
import "./core/cli/commands/mod.ts";
import "./core/api/mod.ts";
import "./core/transforms/mod.ts";
import "./core/app/event_loop_lag.ts";
import "./core/app/process_memory.ts";
import "./core/app/memory_trim.ts";
import "./demo/mod.ts";
import "./core/release/commands.ts";
import "./core/update/mod.ts";
import { dispatch } from "./core/mod.ts";

if (import.meta.main) {
  // node-opcua-crypto saves and restores OPENSSL_CONF around its certificate work; when the variable is unset
  // it "restores" undefined, which Node warns about (DEP0104) and which becomes the string "undefined" for any
  // later child process. Giving it a value keeps the restore exact; the gateway itself never runs openssl.
  if (Deno.env.get("OPENSSL_CONF") === undefined) Deno.env.set("OPENSSL_CONF", "/dev/null");
  const code = await dispatch(Deno.args);
  Deno.exit(code);
}
