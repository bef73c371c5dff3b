/**
 * @module Segment files of one outbox lane: naming, and the startup scan that validates every frame and
 * truncates a torn or corrupt tail (power loss in the middle of a write).
 */
import { readFrame } from "./record.ts";

/** What is known about one segment file without keeping its records in memory. */
export interface SegmentInfo {
  /** Sequence the lane was at when the segment was created (also the file name). */
  readonly name: number;
  readonly path: string;
  /** Bytes of valid frames. */
  size: number;
  count: number;
  /** Highest sequence in the segment, 0 when empty. */
  lastSeq: number;
}

/** Startup scan result of one segment. */
export interface SegmentScan {
  readonly info: SegmentInfo;
  /** Records with seq > cursor, their bytes, the offset of the first one and its enqueue time. */
  readonly unackedCount: number;
  readonly unackedBytes: number;
  readonly firstUnackedOffset: number;
  /** Bytes cut off the end (torn or corrupt tail), with the reason. */
  readonly truncated?: { readonly bytes: number; readonly reason: string };
}

/** File name of a segment. */
export function segmentFileName(name: number): string {
  return `${String(name).padStart(16, "0")}.seg`;
}

/** Segment names (first sequences) found in a lane directory, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names: number[] = [];
  for await (const e of Deno.readDir(dir)) {
    const m = /^(\d{16})\.seg$/.exec(e.name);
    if (e.isFile && m) names.push(Number(m[1]));
  }
  return names.sort((a, b) => a - b);
}

/**
 * Reads a segment, checks every frame's length and CRC, and truncates the file after the last good frame
 * when the tail is torn or corrupt. Frames with seq <= `cursor` were acknowledged already.
 */
export async function scanSegment(path: string, name: number, cursor: number): Promise<SegmentScan> {
  const buf = await Deno.readFile(path);
  const info: SegmentInfo = { name, path, size: 0, count: 0, lastSeq: 0 };
  let unackedCount = 0;
  let unackedBytes = 0;
  let firstUnackedOffset = -1;
  let offset = 0;
  let problem: string | undefined;
  while (offset < buf.length) {
    const r = readFrame(buf, offset, true);
    if (r.status === "incomplete") {
      problem = `torn record at offset ${offset} (${buf.length - offset} of ${r.need} bytes written)`;
      break;
    }
    if (r.status === "corrupt") {
      problem = `corrupt record at offset ${offset}: ${r.reason}`;
      break;
    }
    info.count++;
    info.lastSeq = r.record.seq;
    if (r.record.seq > cursor) {
      if (firstUnackedOffset < 0) firstUnackedOffset = offset;
      unackedCount++;
      unackedBytes += r.size;
    }
    offset += r.size;
  }
  info.size = offset;
  const scan: SegmentScan = { info, unackedCount, unackedBytes, firstUnackedOffset };
  if (problem === undefined) return scan;
  await Deno.truncate(path, offset);
  return { ...scan, truncated: { bytes: buf.length - offset, reason: problem } };
}
