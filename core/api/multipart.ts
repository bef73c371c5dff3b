/**
 * @module Streaming multipart/form-data parser: parts go to sinks as they arrive, nothing is buffered whole.
 */

/** Headers of one part. */
export interface PartInfo {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
}

/** Where a part's bytes go. */
export interface PartSink {
  write(chunk: Uint8Array): Promise<void> | void;
  close(): Promise<void> | void;
}

const enc = new TextEncoder();
const CRLF2 = enc.encode("\r\n\r\n");

/** The boundary of a multipart content type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  outer: for (
    let i = hay.indexOf(first, from);
    i >= 0 && i <= hay.length - needle.length;
    i = hay.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function parseHeaders(text: string): PartInfo {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === "content-disposition") {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === "content-type") contentType = value;
  }
  if (name === undefined) throw new TypeError("multipart part without a name in Content-Disposition");
  return {
    name,
    ...(filename === undefined ? {} : { filename }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}

/**
 * Reads a multipart body, handing each part to the sink `open` returns (undefined skips the part).
 * Throws TypeError for malformed bodies.
 */
export async function parseMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  open: (part: PartInfo) => Promise<PartSink | undefined> | PartSink | undefined,
): Promise<void> {
  const delim = enc.encode(`\r\n--${boundary}`);
  let buf: Uint8Array = enc.encode("\r\n");
  let state = "preamble" as "preamble" | "after" | "headers" | "body" | "done";
  let sink: PartSink | undefined;
  const step = async (final: boolean): Promise<boolean> => {
    if (state === "preamble" || state === "body") {
      const at = indexOf(buf, delim);
      if (at < 0) {
        const keep = final ? 0 : delim.length - 1;
        if (state === "body" && buf.length > keep) await sink?.write(buf.slice(0, buf.length - keep));
        if (buf.length > keep) buf = buf.slice(buf.length - keep);
        return false;
      }
      if (state === "body") {
        if (at > 0) await sink?.write(buf.slice(0, at));
        await sink?.close();
        sink = undefined;
      }
      buf = buf.slice(at + delim.length);
      state = "after";
      return true;
    }
    if (state === "after") {
      if (buf.length < 2) return false;
      if (buf[0] === 0x2d && buf[1] === 0x2d) {
        state = "done";
        return false;
      }
      const eol = indexOf(buf, enc.encode("\r\n"));
      if (eol < 0) return false;
      buf = buf.slice(eol + 2);
      state = "headers";
      return true;
    }
    if (state === "headers") {
      const end = indexOf(buf, CRLF2);
      if (end < 0) {
        if (buf.length > 16_384) throw new TypeError("multipart part headers exceed 16 KiB");
        return false;
      }
      const info = parseHeaders(new TextDecoder().decode(buf.slice(0, end)));
      buf = buf.slice(end + 4);
      sink = await open(info);
      state = "body";
      return true;
    }
    return false;
  };
  for await (const chunk of body) {
    buf = concat(buf, chunk);
    while (await step(false));
    if (state === "done") break;
  }
  while (state !== "done" && (await step(true)));
  if (state !== "done") throw new TypeError("multipart body ended before its closing boundary");
}
