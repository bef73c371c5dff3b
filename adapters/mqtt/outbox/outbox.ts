/**
 * @module The durable outbox: everything to be uplinked is appended here first and removed only once the
 * broker acknowledged it. Four lanes (raw, rollups, features, critical) share one sequence; the publisher
 * reads them by priority (critical, features, rollups, raw; see `priority.ts`), in sequence order within a
 * lane. Each lane persists its own ack cursor, so acknowledgements out of global order are safe. A disk
 * budget drops whole oldest segments of the cheapest lane first and never touches alerts and events.
 */
import { type CursorState, readCursor, writeCursor } from "./cursor_file.ts";
import { Lane, type Loaded, type Repair } from "./lane.ts";
import { BULK_LANES, type Pick, PRIORITY_ORDER, PriorityPicker } from "./priority.ts";
import { encodeRecord, type OutboxRecord, type RecordClass } from "./record.ts";
import { DropNotices } from "./drop_notices.ts";

/** Lane of each class; the budget sacrifices lanes in this order, never "critical". */
const LANE_OF: Readonly<Record<RecordClass, string>> = {
  raw: "raw",
  rollups: "rollups",
  features: "features",
  scores: "features",
  alerts: "critical",
  events: "critical",
};
const LANES = PRIORITY_ORDER;
const DROP_ORDER = ["raw", "rollups", "features"] as const;

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  readonly dir: string;
  /** Disk budget for all segment files, bytes. */
  readonly maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  readonly segmentBytes: number;
  /** `batch`: fdatasync before append() returns; `interval`: every `fsyncIntervalMs`. */
  readonly fsync: "batch" | "interval";
  readonly fsyncIntervalMs: number;
  /** How often the ack cursor is persisted (and acknowledged segments deleted). */
  readonly cursorIntervalMs: number;
  /**
   * Share of the messages guaranteed to lower-priority lanes while a higher lane has a backlog (0: strict
   * priority; default 0.05, at most 0.5).
   */
  readonly lowerShare?: number;
  readonly clock?: () => number;
  /** `outbox.dropped` notices of one lane at most this often, summed (default 10 s; the first comes at once). */
  readonly dropNoticeMs?: number;
  /** Policy and recovery events (budget exceeded, records dropped, torn tail truncated). */
  readonly onEvent?: (e: OutboxEvent) => void;
}

/** Something the outbox did that operators must know about. */
export interface OutboxEvent {
  readonly type: "outbox.repaired" | "outbox.dropped" | "outbox.full" | "outbox.recovered";
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A record to append; the outbox assigns `seq` and `enqueuedAt`. */
export type NewRecord = Omit<OutboxRecord, "seq" | "enqueuedAt">;

/** Backlog figures for health and metrics. */
export interface OutboxStats {
  /** Records not yet acknowledged. */
  readonly count: number;
  readonly bytes: number;
  /** Bytes of segment files on disk. */
  readonly diskBytes: number;
  /** Age of the oldest unacknowledged record, ms (0 when empty). */
  readonly oldestAgeMs: number;
  readonly refusing: boolean;
  /** Per lane, in delivery priority order; `oldestAgeMs` is 0 when the lane is empty. */
  readonly lanes: Readonly<Record<string, LaneStats>>;
}

/** Backlog of one lane. */
export interface LaneStats {
  readonly count: number;
  readonly bytes: number;
  readonly segments: number;
  readonly oldestAgeMs: number;
}

/** Options of {@link Outbox.next} and {@link Outbox.peek}. */
export interface TakeOptions {
  /** false: only alerts, events, features and scores may be taken (the in-flight reserve is reached). */
  readonly bulk?: boolean;
}

/** The on-disk queue. */
export class Outbox {
  readonly #lanes = new Map<string, Lane>();
  /** The lanes in delivery priority order. */
  readonly #order: Lane[] = [];
  readonly #picker: PriorityPicker;
  readonly #clock: () => number;
  readonly #dropNotices: DropNotices;
  #lastSeq: number;
  #lock: Promise<unknown> = Promise.resolve();
  #cursorDirty = false;
  #refusing = false;
  #timers: ReturnType<typeof setInterval>[] = [];
  #closed = false;
  /** Records dropped by the budget policy, per class. */
  readonly dropped = new Map<RecordClass, number>();
  /** Records refused because only alerts/events were left to drop, per class. */
  readonly refused = new Map<RecordClass, number>();
  /** Torn/corrupt tails repaired at open. */
  readonly repairs: Repair[] = [];

  private constructor(private readonly options: OutboxOptions, state: CursorState) {
    this.#clock = options.clock ?? Date.now;
    this.#dropNotices = new DropNotices(options.dropNoticeMs ?? 10_000, this.#clock, (n) => {
      const window = n.sinceMs === undefined
        ? ""
        : ` in the last ${Math.round((this.#clock() - n.sinceMs) / 1000)} s`;
      options.onEvent?.({
        type: "outbox.dropped",
        level: "warn",
        message:
          `outbox over its ${options.maxBytes}-byte disk budget: dropped the ${n.records} oldest ${n.lane} ` +
          `records${window}`,
        data: { lane: n.lane, records: n.records, max_bytes: options.maxBytes },
      });
    });
    this.#lastSeq = state.lastSeq;
    this.#picker = new PriorityPicker(options.lowerShare ?? 0.05);
  }

  /** Opens the outbox in `options.dir`, scanning and repairing every segment. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    if (options.segmentBytes < 1024) {
      throw new RangeError(`segmentBytes must be >= 1024, got ${options.segmentBytes}`);
    }
    if (options.maxBytes < options.segmentBytes * 2) {
      throw new RangeError(
        `maxBytes (${options.maxBytes}) must be at least twice segmentBytes (${options.segmentBytes})`,
      );
    }
    await Deno.mkdir(options.dir, { recursive: true });
    const state = await readCursor(
      `${options.dir}/cursor.json`,
      (m) => options.onEvent?.({ type: "outbox.repaired", level: "warn", message: m, data: {} }),
    );
    const box = new Outbox(options, state);
    for (const name of LANES) {
      const { lane, repairs, maxSeq } = await Lane.open(
        name,
        `${options.dir}/${name}`,
        state.lanes[name] ?? 0,
        box.#lastSeq + 1,
      );
      box.#lanes.set(name, lane);
      box.#order.push(lane);
      box.#lastSeq = Math.max(box.#lastSeq, maxSeq);
      box.repairs.push(...repairs);
      for (const r of repairs) {
        options.onEvent?.({
          type: "outbox.repaired",
          level: "warn",
          message: `outbox segment repaired: ${r.reason}; ${r.bytes} trailing bytes cut`,
          data: { path: r.path, bytes: r.bytes },
        });
      }
    }
    for (const lane of box.#lanes.values()) await lane.fill();
    await box.#persistCursor(true);
    if (options.fsync === "interval") {
      box.#timers.push(setInterval(() => void box.#locked(() => box.#syncAll()), options.fsyncIntervalMs));
    }
    box.#timers.push(setInterval(() => void box.flushCursor().catch(() => {}), options.cursorIntervalMs));
    return box;
  }

  /** Last sequence handed out. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Appends records (durably when fsync is `batch`). Returns the appended records; records of droppable
   * classes are refused (and counted) while only alerts and events are left over the disk budget.
   */
  append(items: readonly NewRecord[]): Promise<OutboxRecord[]> {
    return this.#locked(async () => {
      if (this.#closed) throw new Error("outbox is closed");
      const now = this.#clock();
      const byLane = new Map<Lane, { frames: Uint8Array[]; loaded: Loaded[]; bytes: number }>();
      const out: OutboxRecord[] = [];
      for (const item of items) {
        if (this.#refusing && item.cls !== "alerts" && item.cls !== "events") {
          this.refused.set(item.cls, (this.refused.get(item.cls) ?? 0) + 1);
          continue;
        }
        const record: OutboxRecord = { ...item, seq: this.#lastSeq + 1, enqueuedAt: now };
        const frame = encodeRecord(record);
        this.#lastSeq++;
        out.push(record);
        const lane = this.#lanes.get(LANE_OF[item.cls])!;
        let group = byLane.get(lane);
        if (!group) byLane.set(lane, group = { frames: [], loaded: [], bytes: 0 });
        group.frames.push(frame);
        group.loaded.push({ record, size: frame.length });
        group.bytes += frame.length;
      }
      for (const [lane, g] of byLane) {
        const buf = new Uint8Array(g.bytes);
        let o = 0;
        for (const f of g.frames) {
          buf.set(f, o);
          o += f.length;
        }
        await lane.append(buf, g.loaded);
        if (this.options.fsync === "batch") await lane.sync();
        if (lane.active.size >= this.options.segmentBytes) {
          await lane.rotate(this.#lastSeq + 1);
          this.#cursorDirty = true;
        }
      }
      await this.#enforceBudget();
      return out;
    });
  }

  /**
   * Takes the next record to publish: from the highest-priority lane with records (but see `lowerShare`),
   * in sequence order within the lane, loading from disk as needed.
   */
  async next(options: TakeOptions = {}): Promise<Loaded | undefined> {
    const pick = await this.#pick(options);
    if (!pick) return undefined;
    this.#picker.commit(pick);
    return this.#order[pick.lane]!.take();
  }

  /** The record {@link next} would take now, without taking it. */
  async peek(options: TakeOptions = {}): Promise<Loaded | undefined> {
    const pick = await this.#pick(options);
    return pick && this.#order[pick.lane]!.pending.peek();
  }

  async #pick(options: TakeOptions): Promise<Pick | undefined> {
    const ready: boolean[] = [];
    for (const lane of this.#order) {
      if (options.bulk === false && BULK_LANES.has(lane.name)) {
        ready.push(false);
        continue;
      }
      if (lane.pending.length === 0 && lane.unackedCount > lane.inflight.length) await lane.fill();
      ready.push(lane.pending.length > 0);
    }
    const pick = this.#picker.pick(ready);
    // A fill awaited above may have raced with a budget drop emptying a lane: check again.
    return pick && this.#order[pick.lane]!.pending.length > 0 ? pick : undefined;
  }

  /** Whether records are waiting to be taken (loaded or on disk). */
  get hasPending(): boolean {
    for (const lane of this.#lanes.values()) {
      if (lane.pending.length > 0 || lane.unackedCount > lane.inflight.length) return true;
    }
    return false;
  }

  /** Records taken and not yet acknowledged. */
  get inflight(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.inflight.length;
    return n;
  }

  /** The broker acknowledged (QoS 1) or the socket took (QoS 0) a record. */
  ack(record: OutboxRecord): void {
    if (this.#lanes.get(LANE_OF[record.cls])!.ack(record.seq)) this.#cursorDirty = true;
  }

  /** The connection dropped: unacknowledged records will be sent again, in order. */
  rewind(): void {
    for (const lane of this.#lanes.values()) lane.rewind();
  }

  /** Persists the ack cursor now (if it moved) and deletes fully acknowledged segments. */
  flushCursor(): Promise<void> {
    return this.#locked(async () => {
      if (this.#closed) return;
      await this.#persistCursor(false);
      for (const lane of this.#lanes.values()) await lane.deleteAcked();
    });
  }

  stats(): OutboxStats {
    let count = 0, bytes = 0, diskBytes = 0, oldest = Infinity;
    const now = this.#clock();
    const lanes: Record<string, LaneStats> = {};
    for (const [name, lane] of this.#lanes) {
      count += lane.unackedCount;
      bytes += lane.unackedBytes;
      const disk = lane.bytes;
      diskBytes += disk;
      const head = lane.unackedCount > 0 ? lane.headEnqueuedAt : undefined;
      if (head !== undefined) oldest = Math.min(oldest, head);
      lanes[name] = {
        count: lane.unackedCount,
        bytes: lane.unackedBytes,
        segments: lane.segments.length,
        oldestAgeMs: head === undefined ? 0 : Math.max(0, now - head),
      };
    }
    const oldestAgeMs = oldest === Infinity ? 0 : Math.max(0, now - oldest);
    return { count, bytes, diskBytes, oldestAgeMs, refusing: this.#refusing, lanes };
  }

  /** Syncs, persists the cursor and closes every file. */
  close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    return this.#locked(async () => {
      if (this.#closed) return;
      this.#dropNotices.flush(true);
      await this.#persistCursor(false);
      for (const lane of this.#lanes.values()) await lane.close();
      this.#closed = true;
    });
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => {});
    return run;
  }

  async #syncAll(): Promise<void> {
    if (this.#closed) return;
    for (const lane of this.#lanes.values()) await lane.sync();
  }

  async #persistCursor(force: boolean): Promise<void> {
    if (!force && !this.#cursorDirty) return;
    this.#cursorDirty = false;
    const lanes: Record<string, number> = {};
    for (const [name, lane] of this.#lanes) lanes[name] = lane.cursor;
    await writeCursor(`${this.options.dir}/cursor.json`, { lastSeq: this.#lastSeq, lanes });
  }

  #diskBytes(): number {
    let b = 0;
    for (const lane of this.#lanes.values()) b += lane.bytes;
    return b;
  }

  async #enforceBudget(): Promise<void> {
    const max = this.options.maxBytes;
    if (this.#diskBytes() <= max) {
      this.#dropNotices.flush(false);
      if (this.#refusing) {
        this.#refusing = false;
        this.options.onEvent?.({
          type: "outbox.recovered",
          level: "info",
          message: "outbox back under its disk budget; accepting all data again",
          data: { disk_bytes: this.#diskBytes(), max_bytes: max },
        });
      }
      return;
    }
    for (const lane of this.#lanes.values()) await lane.deleteAcked();
    for (const name of DROP_ORDER) {
      const lane = this.#lanes.get(name)!;
      while (this.#diskBytes() > max && lane.bytes > 0) {
        const lost = await lane.dropOldest(this.#lastSeq + 1);
        this.#cursorDirty = true;
        let n = 0;
        for (const [cls, count] of lost) {
          this.dropped.set(cls as RecordClass, (this.dropped.get(cls as RecordClass) ?? 0) + count);
          n += count;
        }
        this.#dropNotices.dropped(name, n);
      }
    }
    await this.#persistCursor(false);
    if (this.#diskBytes() > max && !this.#refusing) {
      this.#refusing = true;
      this.options.onEvent?.({
        type: "outbox.full",
        level: "error",
        message: `outbox disk budget (${max} bytes) is taken by alerts and events only: ` +
          "refusing new raw data, rollups and features until the broker takes the backlog",
        data: { disk_bytes: this.#diskBytes(), max_bytes: max },
      });
    }
  }
}
