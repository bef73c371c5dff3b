/**
 * @module A sink's write-ahead journal for the messages the pipeline never drops (features, alerts, events):
 * appended before they are queued, acknowledged once the sink wrote them, replayed after a crash.
 */
import type { Message } from "../model/message.ts";

const encoder = new TextEncoder();
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

/**
 * Append-only file of `{"id":n,"m":message}` lines plus an `ack` file holding the last id the sink wrote.
 * Appends are synchronous writes: once `append` returns the line is in the kernel, so a `kill -9` cannot lose
 * it (power loss can, until the OS flushes; the MQTT outbox covers that case for the uplink).
 */
export class SinkJournal {
  #file: Deno.FsFile;
  #nextId: number;
  #acked: number;
  #size: number;
  readonly #pending: { id: number; message: Message }[];
  /** Lines not yet acknowledged, oldest first: what a compaction keeps. */
  #tail: { id: number; bytes: Uint8Array }[] = [];

  private constructor(
    private readonly dir: string,
    file: Deno.FsFile,
    nextId: number,
    acked: number,
    size: number,
    pending: { id: number; message: Message }[],
  ) {
    this.#file = file;
    this.#nextId = nextId;
    this.#acked = acked;
    this.#size = size;
    this.#pending = pending;
  }

  /** Opens (or creates) the journal in `dir`, reading what a previous run left unacknowledged. */
  static async open(dir: string): Promise<SinkJournal> {
    await Deno.mkdir(dir, { recursive: true });
    const acked = await Deno.readTextFile(`${dir}/ack`).then((t) => Number(t.trim()) || 0, () => 0);
    const text = await Deno.readTextFile(`${dir}/journal.jsonl`).catch(() => "");
    const pending: { id: number; message: Message }[] = [];
    const tail: { id: number; bytes: Uint8Array }[] = [];
    let nextId = acked + 1;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let entry: { id: number; m: Message };
      try {
        entry = JSON.parse(line, reviver);
      } catch {
        continue; // a torn last line: it was never acknowledged and never reached the sink's writer
      }
      nextId = Math.max(nextId, entry.id + 1);
      if (entry.id > acked) {
        pending.push({ id: entry.id, message: entry.m });
        tail.push({ id: entry.id, bytes: encoder.encode(line + "\n") });
      }
    }
    const file = await Deno.open(`${dir}/journal.jsonl`, { create: true, append: true });
    const journal = new SinkJournal(dir, file, nextId, acked, encoder.encode(text).length, pending);
    journal.#tail = tail;
    return journal;
  }

  /** Messages a previous run journaled but its sink never confirmed, oldest first (returned once). */
  takePending(): { id: number; message: Message }[] {
    return this.#pending.splice(0);
  }

  /** Appends a message; returns its journal id. */
  append(message: Message): number {
    const id = this.#nextId++;
    const bytes = encoder.encode(JSON.stringify({ id, m: message }, replacer) + "\n");
    let written = 0;
    while (written < bytes.length) written += this.#file.writeSync(bytes.subarray(written));
    this.#size += bytes.length;
    this.#tail.push({ id, bytes });
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

  /** Rewrites the journal with only the unacknowledged lines (atomic rename). */
  #compact(): void {
    const tmp = `${this.dir}/journal.tmp`;
    const out = Deno.openSync(tmp, { create: true, write: true, truncate: true });
    let size = 0;
    try {
      for (const { bytes } of this.#tail) {
        let written = 0;
        while (written < bytes.length) written += out.writeSync(bytes.subarray(written));
        size += bytes.length;
      }
    } finally {
      out.close();
    }
    this.#file.close();
    Deno.renameSync(tmp, `${this.dir}/journal.jsonl`);
    this.#file = Deno.openSync(`${this.dir}/journal.jsonl`, { append: true });
    this.#size = size;
  }

  /** Entries appended but not yet acknowledged. */
  get unacked(): number {
    return this.#nextId - 1 - this.#acked;
  }

  close(): void {
    this.#file.close();
  }
}
