/**
 * @module Walks one tag's ring buffer window by window, by sequence number (sample windows) or by
 * timestamp (time windows), so no sample is skipped or read twice beyond the configured overlap.
 */
import type { RingBuffer, WindowView } from "../ring/ring_buffer.ts";

/** How a window is cut. */
export interface WindowCut {
  readonly length?: number;
  readonly hop?: number;
  readonly length_s?: number;
  readonly hop_s?: number;
}

/** A finished window with its event-time span [start, end). */
export interface CutWindow {
  readonly view: WindowView;
  readonly start: number;
  readonly end: number;
}

/** Produces consecutive windows of one ring. */
export class WindowCursor {
  #nextSeq: number | undefined;
  #nextStart: number | undefined;
  /** Samples overwritten in the ring before a window could read them. */
  lost = 0;

  constructor(private readonly cut: WindowCut) {}

  #beginSeq = 0;

  /** Starts at sequence `seq` (e.g. the ring's end when the transform started): earlier samples are not windowed. */
  begin(seq: number): void {
    this.#nextSeq = seq;
    this.#nextStart = undefined;
    this.#beginSeq = seq;
  }

  /** The next complete window, or undefined when it is not complete yet. */
  next(ring: RingBuffer): CutWindow | undefined {
    return this.cut.length !== undefined ? this.#bySamples(ring, this.cut.length) : this.#byTime(ring);
  }

  #bySamples(ring: RingBuffer, length: number): CutWindow | undefined {
    const hop = this.cut.hop ?? length;
    let start = this.#nextSeq ?? ring.seq;
    this.#nextSeq ??= start;
    if (start < ring.oldestSeq) {
      // Overrun: the ring overwrote samples we had not read. Realign so windows stay on the hop grid.
      const behind = ring.oldestSeq - start;
      const jump = Math.ceil(behind / hop) * hop;
      this.lost += Math.min(jump, behind + length);
      start += jump;
      this.#nextSeq = start;
    }
    if (start + length > ring.seq) return undefined;
    const view = ring.bySeq(start, length);
    this.#nextSeq = start + hop;
    const t0 = at(view.timestamps, 0);
    const tl = at(view.timestamps, length - 1);
    const dt = length > 1 ? (tl - t0) / (length - 1) : 0;
    return { view, start: t0, end: tl + dt };
  }

  #byTime(ring: RingBuffer): CutWindow | undefined {
    const len = this.cut.length_s! * 1000;
    const hop = (this.cut.hop_s ?? this.cut.length_s!) * 1000;
    if (ring.seq === 0 || ring.seq <= this.#beginSeq) return undefined;
    const newest = ring.at(ring.seq - 1)!.ts;
    if (this.#nextStart === undefined) {
      const first = ring.at(Math.max(this.#beginSeq, ring.oldestSeq))?.ts;
      if (first === undefined) return undefined;
      this.#nextStart = Math.floor(first / hop) * hop;
    }
    const start = this.#nextStart;
    // Complete once a sample at or after the end has arrived (the watermark passed it).
    if (newest < start + len) return undefined;
    const oldest = ring.at(ring.oldestSeq)!.ts;
    if (oldest > start && ring.dropped > 0) this.lost += 1;
    const view = ring.range(start, start + len);
    this.#nextStart = start + hop;
    return { view, start, end: start + len };
  }
}

function at(seg: { first: Float64Array; second: Float64Array }, i: number): number {
  return i < seg.first.length ? seg.first[i]! : seg.second[i - seg.first.length]!;
}
