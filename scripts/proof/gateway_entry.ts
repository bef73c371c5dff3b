/**
 * @module The gateway executable as the proof runs start it: exactly what `main.ts` registers (adapters,
 * transforms, HTTP API, event-loop lag gauge, updater), dispatched from here so the runs can point at one file.
 */
import "../../main.ts";
import { dispatch } from "../../core/mod.ts";

if (import.meta.main) {
  Deno.exit(await dispatch(Deno.args));
}
