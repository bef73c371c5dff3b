/**
 * @module One outbox lane: an append-only chain of segment files for one priority level, a reader that
 * loads records ahead of the publisher, the in-flight list, and the ack cursor.
 */
import { Deque } from "../../../core/mod.ts";
import { type OutboxRecord, readFrame } from "./record.ts";
import { readAt, syncDir, writeAll } from "./io.ts";
import { listSegments, scanSegment, segmentFileName, type SegmentInfo } from "./segment.ts";

/** A record loaded from the lane with its size on disk. */
export interface Loaded {
  readonly record: OutboxRecord;
  readonly size: number;
  acked?: boolean;
}

/** What the startup scan found wrong. */
export interface Repair {
  readonly path: string;
  readonly bytes: number;
  readonly reason: string;
}

const READ_CHUNK = 256 * 1024;
/** Records kept in memory ahead of the publisher. */
export const PREFETCH = 2048;

/** A lane of the outbox. Callers serialise appends; reads and acks may interleave with them. */
export class Lane {
  readonly segments: SegmentInfo[] = [];
  readonly pending = new Deque<Loaded>();
  readonly inflight = new Deque<Loaded>();
  readonly #inflightBySeq = new Map<number, Loaded>();
  cursor: number;
  unackedCount = 0;
  unackedBytes = 0;
  #writer: Deno.FsFile | undefined;
  #reader: { seg: SegmentInfo; offset: number } | undefined;
  #readHandle: { seg: SegmentInfo; file: Deno.FsFile } | undefined;
  #filling: Promise<void> | undefined;
  #gen = 0;
  #dirty = false;

  private constructor(readonly name: string, readonly dir: string, cursor: number) {
    this.cursor = cursor;
  }

  /** Opens (or creates) a lane directory, validating every segment; `nextSeq` names a new segment. */
  static async open(
    name: string,
    dir: string,
    cursor: number,
    nextSeq: number,
  ): Promise<{ lane: Lane; repairs: Repair[]; maxSeq: number }> {
    await Deno.mkdir(dir, { recursive: true });
    const lane = new Lane(name, dir, cursor);
    const repairs: Repair[] = [];
    let maxSeq = 0;
    for (const segName of await listSegments(dir)) {
      const path = `${dir}/${segmentFileName(segName)}`;
      const scan = await scanSegment(path, segName, cursor);
      if (scan.truncated) repairs.push({ path, ...scan.truncated });
      lane.segments.push(scan.info);
      lane.unackedCount += scan.unackedCount;
      lane.unackedBytes += scan.unackedBytes;
      maxSeq = Math.max(maxSeq, scan.info.lastSeq, segName - 1);
      if (!lane.#reader && scan.firstUnackedOffset >= 0) {
        lane.#reader = { seg: scan.info, offset: scan.firstUnackedOffset };
      }
    }
    await lane.#openActive(Math.max(nextSeq, maxSeq + 1));
    if (!lane.#reader) lane.#reader = { seg: lane.active, offset: lane.active.size };
    return { lane, repairs, maxSeq };
  }

  /** The segment appended to. */
  get active(): SegmentInfo {
    return this.segments[this.segments.length - 1]!;
  }

  /** Bytes of all segment files. */
  get bytes(): number {
    let b = 0;
    for (const s of this.segments) b += s.size;
    return b;
  }

  /** Enqueue time of the oldest unacknowledged record loaded in memory. */
  get headEnqueuedAt(): number | undefined {
    return (this.inflight.peek() ?? this.pending.peek())?.record.enqueuedAt;
  }

  async #openActive(nextSeq: number): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    if (!last) {
      const info = {
        name: nextSeq,
        path: `${this.dir}/${segmentFileName(nextSeq)}`,
        size: 0,
        count: 0,
        lastSeq: 0,
      };
      this.#writer = await Deno.open(info.path, { write: true, create: true, append: true });
      this.segments.push(info);
      await syncDir(this.dir);
      return;
    }
    this.#writer = await Deno.open(last.path, { write: true, append: true });
  }

  /** Appends encoded frames (one write); records join the in-memory queue when the reader is caught up. */
  async append(frames: Uint8Array, records: readonly Loaded[]): Promise<void> {
    const seg = this.active;
    const before = seg.size;
    await writeAll(this.#writer!, frames);
    this.#dirty = true;
    seg.size += frames.length;
    seg.count += records.length;
    seg.lastSeq = records[records.length - 1]!.record.seq;
    this.unackedCount += records.length;
    for (const r of records) this.unackedBytes += r.size;
    const reader = this.#reader!;
    if (!this.#filling && reader.seg === seg && reader.offset === before && this.pending.length < PREFETCH) {
      for (const r of records) this.pending.push(r);
      reader.offset = seg.size;
    }
  }

  /** fsyncs the active segment if something was written since the last sync. */
  async sync(): Promise<void> {
    if (!this.#dirty || !this.#writer) return;
    this.#dirty = false;
    await this.#writer.syncData();
  }

  /** Starts a new active segment named `nextSeq` (the old one is synced and closed). */
  async rotate(nextSeq: number): Promise<void> {
    await this.sync();
    this.#writer?.close();
    const info = {
      name: nextSeq,
      path: `${this.dir}/${segmentFileName(nextSeq)}`,
      size: 0,
      count: 0,
      lastSeq: 0,
    };
    this.#writer = await Deno.open(info.path, { write: true, create: true, append: true });
    this.segments.push(info);
    await syncDir(this.dir);
    const reader = this.#reader!;
    if (reader.offset >= reader.seg.size && reader.seg !== info) this.#reader = { seg: info, offset: 0 };
  }

  /** Loads records from disk until `max` are pending or the reader reaches the end. */
  fill(max = PREFETCH): Promise<void> {
    if (!this.#filling) {
      this.#filling = this.#fill(max).finally(() => (this.#filling = undefined));
    }
    return this.#filling;
  }

  async #fill(max: number): Promise<void> {
    while (this.pending.length < max) {
      const reader = this.#reader!;
      const { seg } = reader;
      if (reader.offset >= seg.size) {
        const i = this.segments.indexOf(seg);
        if (i < 0 || i === this.segments.length - 1) return;
        this.#reader = { seg: this.segments[i + 1]!, offset: 0 };
        continue;
      }
      const gen = this.#gen;
      if (this.#readHandle?.seg !== seg) {
        this.#readHandle?.file.close();
        this.#readHandle = { seg, file: await Deno.open(seg.path, { read: true }) };
      }
      let buf: Uint8Array;
      let first;
      try {
        buf = await readAt(
          this.#readHandle.file,
          reader.offset,
          Math.min(READ_CHUNK, seg.size - reader.offset),
        );
        first = readFrame(buf, 0);
        if (first.status === "incomplete" && first.need <= seg.size - reader.offset) {
          buf = await readAt(this.#readHandle.file, reader.offset, first.need);
          first = readFrame(buf, 0);
        }
      } catch (error) {
        if (gen !== this.#gen) return; // the segment was removed while being read
        throw error;
      }
      if (gen !== this.#gen || this.#reader !== reader) return;
      let o = 0;
      while (o < buf.length && this.pending.length < max) {
        const r = o === 0 ? first : readFrame(buf, o);
        if (r.status === "incomplete") break;
        if (r.status === "corrupt") {
          throw new Error(`${seg.path}: ${r.reason} at offset ${reader.offset + o} after a clean scan`);
        }
        if (r.record.seq > this.cursor) this.pending.push({ record: r.record, size: r.size });
        o += r.size;
      }
      reader.offset += o;
      if (o === 0) return;
    }
  }

  /** Moves the next pending record in flight. */
  take(): Loaded | undefined {
    const l = this.pending.shift();
    if (l) {
      this.inflight.push(l);
      this.#inflightBySeq.set(l.record.seq, l);
    }
    return l;
  }

  /** Marks `seq` acknowledged; returns true when the cursor advanced. */
  ack(seq: number): boolean {
    const l = this.#inflightBySeq.get(seq);
    if (!l) return false;
    this.#inflightBySeq.delete(seq);
    l.acked = true;
    let advanced = false;
    while (this.inflight.peek()?.acked) {
      const done = this.inflight.shift()!;
      this.cursor = Math.max(this.cursor, done.record.seq);
      this.unackedCount--;
      this.unackedBytes -= done.size;
      advanced = true;
    }
    return advanced;
  }

  /** After a disconnect: everything in flight and not acknowledged goes back to the front, in order. */
  rewind(): void {
    const back: Loaded[] = [];
    this.#inflightBySeq.clear();
    while (this.inflight.length > 0) {
      const l = this.inflight.shift()!;
      l.acked = false;
      back.push(l);
    }
    for (let i = back.length - 1; i >= 0; i--) this.pending.unshift(back[i]!);
  }

  /** Deletes segments whose records are all acknowledged (never the active one). */
  async deleteAcked(): Promise<number> {
    let removed = 0;
    while (this.segments.length > 1 && this.segments[0]!.lastSeq <= this.cursor) {
      await this.#remove(this.segments[0]!);
      removed++;
    }
    if (removed > 0) await syncDir(this.dir);
    return removed;
  }

  /**
   * Drops the oldest segment to free disk space (rotating first when it is the active one). Returns the
   * unacknowledged records it held, per class, for counting.
   */
  async dropOldest(nextSeq: number): Promise<Map<string, number>> {
    if (this.segments.length === 1) {
      if (this.active.size === 0) return new Map();
      await this.rotate(nextSeq);
    }
    const seg = this.segments[0]!;
    const lost = new Map<string, number>();
    const buf = await Deno.readFile(seg.path);
    const inflight = new Set<number>();
    for (let i = 0, n = this.inflight.length; i < n; i++) {
      const l = this.inflight.shift()!;
      if (l.record.seq > seg.lastSeq) this.inflight.push(l);
      else {
        this.#inflightBySeq.delete(l.record.seq);
        if (!l.acked) inflight.add(l.record.seq);
      }
    }
    for (let o = 0; o < buf.length;) {
      const r = readFrame(buf, o, true);
      if (r.status !== "ok") break;
      if (r.record.seq > this.cursor) {
        this.unackedCount--;
        this.unackedBytes -= r.size;
        if (!inflight.has(r.record.seq)) lost.set(r.record.cls, (lost.get(r.record.cls) ?? 0) + 1);
      }
      o += r.size;
    }
    this.cursor = Math.max(this.cursor, seg.lastSeq);
    while (this.pending.peek() && this.pending.peek()!.record.seq <= seg.lastSeq) this.pending.shift();
    await this.#remove(seg);
    await syncDir(this.dir);
    return lost;
  }

  async #remove(seg: SegmentInfo): Promise<void> {
    this.#gen++;
    if (this.#readHandle?.seg === seg) {
      this.#readHandle.file.close();
      this.#readHandle = undefined;
    }
    const i = this.segments.indexOf(seg);
    this.segments.splice(i, 1);
    if (this.#reader!.seg === seg) this.#reader = { seg: this.segments[i] ?? this.active, offset: 0 };
    await Deno.remove(seg.path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /** Syncs and closes files. */
  async close(): Promise<void> {
    await this.#filling?.catch(() => {});
    await this.sync();
    this.#writer?.close();
    this.#writer = undefined;
    this.#readHandle?.file.close();
    this.#readHandle = undefined;
  }
}
