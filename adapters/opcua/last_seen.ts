/**
 * @module Last-seen source timestamp per node, persisted in the source's state directory so a gap while the
 * gateway was down can be backfilled after a restart.
 */

/** Remembers the newest live timestamp of each node id; `save()` writes it atomically. */
export class LastSeen {
  readonly #ts = new Map<string, number>();
  #dirty = false;

  constructor(private readonly file: string) {}

  /** Loads the file; a missing file is an empty table, a corrupt one is reported and then ignored. */
  async load(): Promise<string | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      return `cannot read ${this.file}: ${(error as Error).message}`;
    }
    try {
      const data = JSON.parse(text) as { nodes?: Record<string, unknown> };
      for (const [node, ts] of Object.entries(data.nodes ?? {})) {
        if (typeof ts === "number" && Number.isFinite(ts)) this.#ts.set(node, ts);
      }
      return undefined;
    } catch (error) {
      return `ignoring corrupt ${this.file}: ${(error as Error).message}`;
    }
  }

  get(nodeId: string): number | undefined {
    return this.#ts.get(nodeId);
  }

  /** The newest timestamp of any node. */
  newest(): number | undefined {
    let max: number | undefined;
    for (const ts of this.#ts.values()) if (max === undefined || ts > max) max = ts;
    return max;
  }

  /** Records a live timestamp (older ones are ignored). */
  see(nodeId: string, ts: number): void {
    const prev = this.#ts.get(nodeId);
    if (prev === undefined || ts > prev) {
      this.#ts.set(nodeId, ts);
      this.#dirty = true;
    }
  }

  /** Writes the table if it changed (temp file + rename, so a crash never leaves half a file). */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    const dir = this.file.slice(0, this.file.lastIndexOf("/"));
    if (dir) await Deno.mkdir(dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ version: 1, nodes: Object.fromEntries(this.#ts) }));
    await Deno.rename(tmp, this.file);
  }
}
