/**
 * @module The gateway executable as the proof runs use it: everything `main.ts` registers, plus modules that
 * may not be wired into `main.ts` yet (features transform, HTTP API, event-loop lag gauge, and the anomaly
 * transform when its module exists). Importing a module `main.ts` already imports is a no-op, so this stays
 * correct once they are wired in.
 */
import "../../main.ts";
import "../../core/features/mod.ts";
import "../../core/api/mod.ts";
import "../../core/app/event_loop_lag.ts";
import { dispatch } from "../../core/mod.ts";

/** Modules still being written by other engineers: loaded when present (a variable specifier keeps them out of
 * the type-check graph of this file). */
const OPTIONAL = ["../../core/anomaly/mod.ts"];

/** Loads the optional modules that exist; returns the ones loaded. */
export async function loadOptional(): Promise<string[]> {
  const loaded: string[] = [];
  for (const rel of OPTIONAL) {
    const url = new URL(rel, import.meta.url);
    try {
      await Deno.stat(url);
    } catch {
      continue;
    }
    await import(url.href);
    loaded.push(rel);
  }
  return loaded;
}

if (import.meta.main) {
  await loadOptional();
  Deno.exit(await dispatch(Deno.args));
}
