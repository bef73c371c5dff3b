/**
 * @module A sink's write-ahead journal for the messages the pipeline never drops (features, alerts, events):
 * appended before they are queued, acknowledged once the sink wrote them, replayed after a crash.
 */
import type { Message } from "../model/message.ts";
import { type JournalDisk, realDisk, writeAllSync } from "./journal_disk.ts";
import {
  DEFAULT_JOURNAL_FSYNC,
  type JournalFsyncPolicy,
  JournalSyncer,
  type SyncHooks,
  type SyncStats,
} from "./journal_fsync.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NEWLINE = 0x0a;
/** Rewrite the journal once everything in it is acknowledged and it is larger than this. */
const COMPACT_BYTES = 256 * 1024;

/** JSON cannot carry NaN/Infinity (features may be NaN): they travel as `{ "$nf": "NaN" }`. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? { $nf: String(value) } : value;
}
function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && "$nf" in value) {
    return Number((value as { $nf: string }).$nf);
  }
  return value;
}

/** Options of {@link SinkJournal.open}. */
export interface JournalOptions extends SyncHooks {
  /** When appends reach the disk; default `interval` every 1000 ms (the configuration defaults). */
  readonly fsync?: JournalFsyncPolicy;
  /** The durability system calls; a seam for tests. */
  readonly disk?: JournalDisk;
}

/** What {@link SinkJournal.stats} reports for health. */
export interface JournalStats extends SyncStats {
  readonly unacked: number;
}

/**
 * Append-only file of `{"id":n,"m":message}` lines plus an `ack` file holding the last id the sink wrote.
 *
 * Durability: an append is a synchronous write, so once `append` returns the line is in the kernel and a
 * `kill -9` cannot lose it. A power loss can lose what the kernel had not written back yet; the fsync policy
 * bounds that (see `journal_fsync.ts`): `always` loses nothing that was appended before the current task
 * ended, `interval` at most the last `intervalMs` of appends, `never` whatever the OS had not flushed.
 *
 * Acknowledgements and compaction never lose an unacknowledged line, even on power loss: the `ack` file is
 * replaced atomically (temp file + rename; if a power loss leaves an older or unreadable one, the lines it
 * covered are written again — duplicates, never a loss); a compaction writes the unacknowledged lines to a
 * temp file, fdatasyncs it, renames it over the journal and fsyncs the directory, whatever the policy.
 */
export class SinkJournal {
  #file: Deno.FsFile;
  #nextId: number;
  #acked: number;
  #size: number;
  readonly #pending: { id: number; message: Message }[];
  /** Lines not yet acknowledged, oldest first: what a compaction keeps. */
  readonly #tail: { id: number; bytes: Uint8Array }[];
  readonly #disk: JournalDisk;
  readonly #syncer: JournalSyncer;

  private constructor(
    private readonly dir: string,
    file: Deno.FsFile,
    state: { nextId: number; acked: number; size: number; pending: { id: number; message: Message }[] },
    tail: { id: number; bytes: Uint8Array }[],
    options: JournalOptions,
  ) {
    this.#file = file;
    this.#nextId = state.nextId;
    this.#acked = state.acked;
    this.#size = state.size;
    this.#pending = state.pending;
    this.#tail = tail;
    this.#disk = options.disk ?? realDisk;
    this.#syncer = new JournalSyncer(
      options.fsync ?? DEFAULT_JOURNAL_FSYNC,
      this.#disk,
      () => this.#file,
      options,
    );
  }

  /** Opens (or creates) the journal in `dir`, reading what a previous run left unacknowledged. */
  static async open(dir: string, options: JournalOptions = {}): Promise<SinkJournal> {
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/journal.jsonl`;
    const acked = await Deno.readTextFile(`${dir}/ack`).then((t) => Number(t.trim()) || 0, () => 0);
    const bytes = await Deno.readFile(path).catch(() => new Uint8Array());
    // A torn last line (killed mid-write, or zeros after a power loss) is cut off, so the next append starts
    // a line of its own; it was never acknowledged and never reached the sink's writer.
    const whole = bytes.lastIndexOf(NEWLINE) + 1;
    const pending: { id: number; message: Message }[] = [];
    const tail: { id: number; bytes: Uint8Array }[] = [];
    let nextId = acked + 1;
    for (const raw of decoder.decode(bytes.subarray(0, whole)).split("\n")) {
      // A valid line never holds a raw NUL (JSON escapes it): NULs are blocks a power loss left unwritten. What
      // follows the last of them is a whole line or the end of a damaged one (never valid JSON: it closes
      // more objects than it opens).
      const line = raw.slice(raw.lastIndexOf("\0") + 1);
      if (line.trim() === "") continue;
      let entry: { id: number; m: Message };
      try {
        entry = JSON.parse(line, reviver);
      } catch {
        continue; // damaged by a power loss: lines after it are still read
      }
      if (typeof entry?.id !== "number" || typeof entry.m !== "object" || entry.m === null) continue;
      nextId = Math.max(nextId, entry.id + 1);
      if (entry.id > acked) {
        pending.push({ id: entry.id, message: entry.m });
        tail.push({ id: entry.id, bytes: encoder.encode(line + "\n") });
      }
    }
    const disk = options.disk ?? realDisk;
    const file = await Deno.open(path, { create: true, append: true });
    try {
      if (whole < bytes.length) {
        await file.truncate(whole);
        disk.syncDataSync(file);
      }
      if ((options.fsync ?? DEFAULT_JOURNAL_FSYNC).fsync !== "never") {
        // The file's directory entry (and the directory's own) must be durable too, or a synced file can
        // vanish with a power loss.
        disk.syncDirSync(dir);
        disk.syncDirSync(`${dir}/..`);
      }
    } catch (error) {
      file.close();
      throw error;
    }
    return new SinkJournal(dir, file, { nextId, acked, size: whole, pending }, tail, options);
  }

  /** Messages a previous run journaled but its sink never confirmed, oldest first (returned once). */
  takePending(): { id: number; message: Message }[] {
    return this.#pending.splice(0);
  }

  /** Appends a message; returns its journal id. When it reaches the disk depends on the fsync policy. */
  append(message: Message): number {
    const id = this.#nextId++;
    const bytes = encoder.encode(JSON.stringify({ id, m: message }, replacer) + "\n");
    writeAllSync(this.#file, bytes);
    this.#size += bytes.length;
    this.#tail.push({ id, bytes });
    this.#syncer.appended();
    return id;
  }

  /** Records that every message up to `id` was written by the sink; compacts when all are done. */
  ack(id: number): void {
    if (id <= this.#acked) return;
    this.#acked = id;
    Deno.writeTextFileSync(`${this.dir}/ack.tmp`, String(id));
    Deno.renameSync(`${this.dir}/ack.tmp`, `${this.dir}/ack`);
    let done = 0;
    while (done < this.#tail.length && this.#tail[done]!.id <= id) done++;
    this.#tail.splice(0, done);
    if (this.#size > COMPACT_BYTES) this.#compact();
  }

  /** Applies a new fsync policy (configuration reload). */
  setFsync(policy: JournalFsyncPolicy): void {
    this.#syncer.setPolicy(policy);
  }

  get fsync(): JournalFsyncPolicy {
    return this.#syncer.policy;
  }

  /**
   * Rewrites the journal with only the unacknowledged lines: temp file, fdatasync, rename, directory fsync.
   * A crash or power loss at any point leaves either the old journal or the complete new one; a failed
   * write or sync throws before the rename and leaves the old journal in use.
   */
  #compact(): void {
    const tmp = `${this.dir}/journal.tmp`;
    const out = Deno.openSync(tmp, { create: true, write: true, truncate: true });
    let size = 0;
    try {
      for (const { bytes } of this.#tail) {
        writeAllSync(out, bytes);
        size += bytes.length;
      }
      this.#syncer.timed("compact", () => this.#disk.syncDataSync(out));
    } finally {
      out.close();
    }
    Deno.renameSync(tmp, `${this.dir}/journal.jsonl`);
    this.#file.close();
    this.#file = Deno.openSync(`${this.dir}/journal.jsonl`, { append: true });
    this.#size = size;
    this.#syncer.timed("compact", () => this.#disk.syncDirSync(this.dir));
    this.#syncer.covered(); // every unacknowledged line is in the synced rewrite
  }

  /** Entries appended but not yet acknowledged. */
  get unacked(): number {
    return this.#nextId - 1 - this.#acked;
  }

  /** Policy, unsynced appends, syncs and failures, unacknowledged entries. */
  stats(): JournalStats {
    return { ...this.#syncer.stats(), unacked: this.unacked };
  }

  /** Syncs what is left (unless the policy is `never`) and closes the file. */
  async close(): Promise<void> {
    try {
      await this.#syncer.close();
    } finally {
      this.#file.close();
    }
  }
}
