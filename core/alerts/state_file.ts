/**
 * @module The alert state file in a component's state directory (`<stateDir>/alerts.json`), written
 * atomically (temp file, fsync, rename) like the baseline store. A file that cannot be read or parsed is
 * renamed to `<file>.corrupt-<ts>` and reported; it never stops the caller from starting.
 */
import { type AlertSnapshot, encodeAlertState, parseAlertState } from "./alert_state.ts";
import { errorMessage } from "../errors.ts";

/** Outcome of loading: the state (undefined when there is none) and, for a bad file, why it was set aside. */
export interface AlertStateLoad {
  readonly state?: AlertSnapshot;
  readonly discarded?: {
    readonly reason: string;
    /** Where the bad file now is; absent when it could not be moved (see `moveError`). */
    readonly movedTo?: string;
    readonly moveError?: string;
  };
}

/** Reads and writes one alert state file. */
export class AlertStateFile {
  /** `path` is the file itself, e.g. `<stateDir>/alerts.json`. */
  constructor(readonly path: string) {
    if (path.length === 0) throw new TypeError("alert state path must not be empty");
  }

  /**
   * Loads the stored state. Synchronous on purpose: the manager must hold its restored alerts before it
   * sees its first observation. `now` stamps the name of a set-aside file.
   */
  load(now: number): AlertStateLoad {
    let text: string;
    try {
      text = Deno.readTextFileSync(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return {};
      return { discarded: this.#setAside(`cannot read it: ${errorMessage(e)}`, now) };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return { discarded: this.#setAside(`not valid JSON: ${errorMessage(e)}`, now) };
    }
    try {
      return { state: parseAlertState(doc) };
    } catch (e) {
      return { discarded: this.#setAside(errorMessage(e), now) };
    }
  }

  /** Writes the state atomically: a reader (or a restart after `kill -9`) sees the old or the new file. */
  async save(snapshot: AlertSnapshot, savedAt: number): Promise<void> {
    const dir = this.path.slice(0, Math.max(0, this.path.lastIndexOf("/")));
    if (dir) await Deno.mkdir(dir, { recursive: true });
    const tmp = `${this.path}.tmp`;
    const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    try {
      await file.write(new TextEncoder().encode(encodeAlertState(snapshot, savedAt)));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, this.path);
  }

  #setAside(reason: string, now: number): NonNullable<AlertStateLoad["discarded"]> {
    const movedTo = `${this.path}.corrupt-${now}`;
    try {
      Deno.renameSync(this.path, movedTo);
      return { reason, movedTo };
    } catch (e) {
      return { reason, moveError: errorMessage(e) };
    }
  }
}
