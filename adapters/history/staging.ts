/**
 * @module Column buffers for raw samples collected from one batch before they are appended.
 */

/** Growable columnar rows of the `samples` table; the tag is an index into `tags`. */
export class SampleRows {
  length = 0;
  readonly tags: string[] = [];
  readonly #tagIndex = new Map<string, number>();
  tag = new Uint32Array(256);
  ts = new Float64Array(256);
  recv = new Float64Array(256);
  value = new Float64Array(256);
  quality = new Uint8Array(256);
  status = new Uint32Array(256);
  serverTs = new Float64Array(256);
  flags = new Uint8Array(256);
  /** Sparse string columns (most rows have none). */
  readonly text = new Map<number, string>();
  readonly reason = new Map<number, string>();

  /** Index of a tag in this batch. */
  tagRef(tag: string): number {
    let i = this.#tagIndex.get(tag);
    if (i === undefined) {
      i = this.tags.length;
      this.tags.push(tag);
      this.#tagIndex.set(tag, i);
    }
    return i;
  }

  /** Makes room for `n` more rows. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.tag.length) return;
    let cap = this.tag.length;
    while (cap < need) cap *= 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.tag = grow(this.tag, (n) => new Uint32Array(n));
    this.ts = grow(this.ts, (n) => new Float64Array(n));
    this.recv = grow(this.recv, (n) => new Float64Array(n));
    this.value = grow(this.value, (n) => new Float64Array(n));
    this.quality = grow(this.quality, (n) => new Uint8Array(n));
    this.status = grow(this.status, (n) => new Uint32Array(n));
    this.serverTs = grow(this.serverTs, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }

  /** Appends one row (call {@link reserve} first). `value` NaN and `serverTs` NaN are stored as NULL. */
  push(
    tagRef: number,
    ts: number,
    recv: number,
    value: number,
    quality: number,
    status: number,
    serverTs: number,
    flags: number,
  ): number {
    const i = this.length++;
    this.tag[i] = tagRef;
    this.ts[i] = ts;
    this.recv[i] = recv;
    this.value[i] = value;
    this.quality[i] = quality;
    this.status[i] = status >>> 0;
    this.serverTs[i] = serverTs;
    this.flags[i] = flags;
    return i;
  }

  /** A copy of rows `from` (inclusive) to `to` (exclusive), with their own tag list. */
  slice(from: number, to: number): SampleRows {
    const out = new SampleRows();
    out.reserve(Math.max(0, to - from));
    for (let i = from; i < to; i++) {
      const j = out.push(
        out.tagRef(this.tags[this.tag[i]!]!),
        this.ts[i]!,
        this.recv[i]!,
        this.value[i]!,
        this.quality[i]!,
        this.status[i]!,
        this.serverTs[i]!,
        this.flags[i]!,
      );
      const text = this.text.get(i);
      if (text !== undefined) out.text.set(j, text);
      const reason = this.reason.get(i);
      if (reason !== undefined) out.reason.set(j, reason);
    }
    return out;
  }
}
