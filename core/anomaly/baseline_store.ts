/**
 * @module Persists learned baselines to the transform's state directory (atomic write: temp file + rename),
 * one JSON file per asset × detector, with a file format version.
 */
import type { DetectorState } from "./detector.ts";

const FILE_FORMAT = 1;

/** Reads and writes baselines under `<stateDir>/baselines`. */
export class BaselineStore {
  constructor(private readonly dir: string) {}

  #path(asset: string, detector: string): string {
    const safe = (x: string) => x.replace(/[^A-Za-z0-9_.-]/g, "_");
    return `${this.dir}/baselines/${safe(asset)}__${safe(detector)}.json`;
  }

  /**
   * The stored state, undefined when none; throws TypeError naming the file when it is unreadable.
   * Synchronous on purpose: a detector must not start learning from vectors a stored baseline would score.
   */
  load(asset: string, detector: string): DetectorState | undefined {
    const path = this.#path(asset, detector);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw new TypeError(`cannot read baseline ${path}`, { cause: e });
    }
    let doc: { format?: unknown; state?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new TypeError(`baseline ${path} is not valid JSON`, { cause: e });
    }
    if (doc.format !== FILE_FORMAT) {
      throw new TypeError(`baseline ${path} has file format ${doc.format}, expected ${FILE_FORMAT}`);
    }
    return doc.state as DetectorState;
  }

  async save(asset: string, detector: string, state: DetectorState, savedAt: number): Promise<void> {
    const path = this.#path(asset, detector);
    await Deno.mkdir(`${this.dir}/baselines`, { recursive: true });
    const tmp = `${path}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ format: FILE_FORMAT, savedAt, asset, detector, state }));
    await Deno.rename(tmp, path);
  }

  async remove(asset: string, detector: string): Promise<void> {
    await Deno.remove(this.#path(asset, detector)).catch(() => {});
  }
}
