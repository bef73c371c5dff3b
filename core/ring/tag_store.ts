/**
 * @module The live tag table: metadata, ring buffer and latest sample of every tag.
 */
import type { TagMeta } from "../model/tag.ts";
import { numericValue, type Sample, type SampleBlock } from "../model/sample.ts";
import { RingBuffer } from "./ring_buffer.ts";

/** One tag's live state. */
export interface TagEntry {
  meta: TagMeta;
  ring: RingBuffer;
  /** Newest sample (for string tags the only value kept). */
  latest: Sample | undefined;
  /** Samples received in total (including ones the ring has since overwritten). */
  received: number;
}

/** Read access to live tags, given to sinks, transforms and the API. */
export interface TagReader {
  get(id: string): TagEntry | undefined;
  list(): Iterable<TagEntry>;
  readonly size: number;
}

/** Holds every tag's ring buffer; sources write through the pipeline, everyone else reads. */
export class TagStore implements TagReader {
  readonly #tags = new Map<string, TagEntry>();
  constructor(private defaultCapacity: number) {}

  get size(): number {
    return this.#tags.size;
  }
  get(id: string): TagEntry | undefined {
    return this.#tags.get(id);
  }
  list(): Iterable<TagEntry> {
    return this.#tags.values();
  }

  /** Declares or updates a tag; a changed capacity resizes its ring keeping the newest samples. */
  define(meta: TagMeta): TagEntry {
    const capacity = meta.bufferCapacity ?? this.defaultCapacity;
    const existing = this.#tags.get(meta.id);
    if (existing) {
      existing.meta = meta;
      if (existing.ring.capacity !== capacity) existing.ring = existing.ring.resized(capacity);
      return existing;
    }
    const entry: TagEntry = { meta, ring: new RingBuffer(capacity), latest: undefined, received: 0 };
    this.#tags.set(meta.id, entry);
    return entry;
  }

  /** Changes the default capacity, resizing tags that use it. */
  setDefaultCapacity(capacity: number): void {
    this.defaultCapacity = capacity;
    for (const entry of this.#tags.values()) {
      if (entry.meta.bufferCapacity === undefined && entry.ring.capacity !== capacity) {
        entry.ring = entry.ring.resized(capacity);
      }
    }
  }

  /** Forgets a tag (its source was removed). */
  remove(id: string): void {
    this.#tags.delete(id);
  }

  /** Appends a sample; unknown tags are created with inferred metadata so nothing is lost. */
  append(sample: Sample, source: string): void {
    const entry = this.#tags.get(sample.tag) ??
      this.define({ id: sample.tag, source, dataType: inferType(sample.value) });
    if (!sample.historical) {
      entry.ring.push(numericValue(sample.value), sample.ts, sample.quality);
      if (!entry.latest || sample.ts >= entry.latest.ts) entry.latest = sample;
    }
    entry.received++;
  }

  /** Appends a block of uniformly sampled values. */
  appendBlock(block: SampleBlock, source: string): void {
    const entry = this.#tags.get(block.tag) ?? this.define({ id: block.tag, source, dataType: "float" });
    if (block.values.length === 0) return;
    entry.ring.pushBlock(block.values, block.t0, block.dt, block.quality);
    const n = block.values.length;
    entry.latest = {
      tag: block.tag,
      value: block.values[n - 1]!,
      ts: block.t0 + (n - 1) * block.dt,
      recv: block.recv,
      quality: block.quality,
      status: block.status,
    };
    entry.received += n;
  }
}

function inferType(value: Sample["value"]): TagMeta["dataType"] {
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "string";
  return "float";
}
