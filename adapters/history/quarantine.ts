/**
 * @module The quarantine: records the database refuses, each kept whole as one JSON line (fsync'd) in
 * `<dir>/<YYYY-MM-DD>.jsonl` (then `<YYYY-MM-DD>.1.jsonl` … once a file holds a quarter of the cap), within a
 * disk cap that removes the oldest file first; counted as metrics and health details.
 */
import { type ComponentContext, type Counter, errorMessage, type HealthTracker } from "../../core/mod.ts";
import type { UnitRecord } from "./units.ts";

const FILE = /^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl$/;

interface QuarantineFile {
  readonly name: string;
  readonly date: string;
  readonly part: number;
  readonly size: number;
}

/**
 * JSON of any value, whole: typed arrays as arrays, non-finite numbers as "NaN"/"Infinity"/"-Infinity",
 * BigInts as strings, a repeated object (a cycle) as "[Circular]".
 */
export function wholeJson(value: unknown): string {
  const plain = (_key: string, v: unknown): unknown => {
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    if (typeof v === "bigint") return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<unknown>);
    }
    return v;
  };
  try {
    return JSON.stringify(value, plain) ?? "null";
  } catch {
    const seen = new WeakSet<object>();
    try {
      return JSON.stringify(value, (key, v) => {
        const p = plain(key, v);
        if (typeof p === "object" && p !== null) {
          if (seen.has(p)) return "[Circular]";
          seen.add(p);
        }
        return p;
      }) ?? "null";
    } catch (error) {
      return JSON.stringify(`unserialisable record: ${errorMessage(error)}`);
    }
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
}

/** The quarantine directory of one history sink. */
export class Quarantine {
  readonly #labels: { sink: string };
  readonly #sink: string;
  readonly #maxBytes: number;
  readonly #partBytes: number;
  readonly #quarantined: Counter;
  readonly #removedFiles: Counter;
  #count = 0;
  #removed = 0;

  /** `maxMb`: cap of all files together, MiB (the file being written is never removed). */
  constructor(
    readonly dir: string,
    maxMb: number,
    ctx: Pick<ComponentContext, "name" | "metrics">,
    private readonly health: HealthTracker,
  ) {
    if (typeof dir !== "string" || dir.length === 0) throw new TypeError("dir must be a non-empty path");
    if (!(maxMb > 0) || !Number.isFinite(maxMb)) throw new RangeError(`maxMb must be positive, got ${maxMb}`);
    this.#sink = ctx.name;
    this.#labels = { sink: ctx.name };
    this.#maxBytes = maxMb * 1024 * 1024;
    this.#partBytes = Math.max(1, Math.floor(this.#maxBytes / 4));
    this.#quarantined = ctx.metrics.counter(
      "gateway_history_quarantined_total",
      "Records the database refused (the rest of their batch was stored), kept in the quarantine files",
    );
    this.#removedFiles = ctx.metrics.counter(
      "gateway_history_quarantine_files_removed_total",
      "Quarantine files removed (oldest first) to keep the quarantine within quarantine.max_mb",
    );
    health.detail("quarantined", 0);
  }

  /** Records quarantined since start. */
  get count(): number {
    return this.#count;
  }

  /**
   * Appends `record` with the error that refused it (durable when this resolves) and returns the file written;
   * throws when the line cannot be written (nothing is half-written: a partial line is cut off again).
   */
  async put(record: UnitRecord, error: unknown, at: number): Promise<string> {
    await Deno.mkdir(this.dir, { recursive: true });
    const date = new Date(at).toISOString().slice(0, 10);
    const sameDay = (await this.#files()).filter((f) => f.date === date);
    const last = sameDay[sameDay.length - 1];
    const part = last === undefined ? 0 : last.size < this.#partBytes ? last.part : last.part + 1;
    const name = part === 0 ? `${date}.jsonl` : `${date}.${part}.jsonl`;
    const head = JSON.stringify({
      quarantined_at: new Date(at).toISOString(),
      sink: this.#sink,
      origin: record.origin,
      kind: record.message.kind,
      error: errorMessage(error),
    });
    const line = `${head.slice(0, -1)},"message":${wholeJson(record.message)}}\n`;
    const path = `${this.dir}/${name}`;
    const file = await Deno.open(path, { append: true, create: true });
    try {
      const before = (await file.stat()).size;
      try {
        await writeAll(file, new TextEncoder().encode(line));
        await file.syncData();
      } catch (writeError) {
        await file.truncate(before).catch(() => {});
        throw writeError;
      }
    } finally {
      file.close();
    }
    this.#count++;
    this.#quarantined.inc(this.#labels);
    this.health.detail("quarantined", this.#count);
    try {
      await this.#enforceCap(name);
    } catch (capError) {
      // The record is durable; a file that cannot be removed now is tried again with the next record.
      this.health.error(`quarantine ${this.dir} over its cap: ${errorMessage(capError)}`);
    }
    return path;
  }

  /** Removes the oldest files (never `keep`) while all together exceed the cap. */
  async #enforceCap(keep: string): Promise<void> {
    const files = await this.#files();
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (total <= this.#maxBytes) break;
      if (f.name === keep) continue;
      try {
        await Deno.remove(`${this.dir}/${f.name}`);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      total -= f.size;
      this.#removed++;
      this.#removedFiles.inc(this.#labels);
    }
    this.health.detail("quarantine_files_removed", this.#removed);
    this.health.detail("quarantine_bytes", total);
  }

  /** Quarantine files, oldest first. */
  async #files(): Promise<QuarantineFile[]> {
    const out: QuarantineFile[] = [];
    for await (const e of Deno.readDir(this.dir)) {
      const m = e.isFile ? FILE.exec(e.name) : null;
      if (!m) continue;
      const size = (await Deno.stat(`${this.dir}/${e.name}`)).size;
      out.push({ name: e.name, date: m[1]!, part: Number(m[2] ?? 0), size });
    }
    return out.sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : a.part - b.part);
  }
}
