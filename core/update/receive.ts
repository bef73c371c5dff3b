/**
 * @module Receiving an artifact: streamed to disk with a size cap equal to the manifest's size and hashed on
 * the way; overflow aborts at once, a short or altered artifact is rejected and its file removed.
 */
import { Sha256 } from "../release/file_hash.ts";
import { ReleaseRejectedError } from "../release/rejection.ts";

/** What the artifact must be. */
export interface ExpectedArtifact {
  readonly size: number;
  readonly sha256: string;
}

/** Streams `stream` into `path` (created, must not exist); throws ReleaseRejectedError and removes the file. */
export async function receiveArtifact(
  stream: ReadableStream<Uint8Array>,
  path: string,
  expected: ExpectedArtifact,
): Promise<void> {
  const hash = new Sha256();
  let total = 0;
  const reader = stream.getReader();
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (error) {
        throw new ReleaseRejectedError(
          "truncated",
          `artifact transfer failed after ${total} of ${expected.size} bytes: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (r.done) break;
      total += r.value.length;
      if (total > expected.size) {
        throw new ReleaseRejectedError(
          "oversize",
          `artifact exceeds the ${expected.size} bytes of its manifest; transfer aborted`,
        );
      }
      hash.update(r.value);
      let off = 0;
      while (off < r.value.length) off += await file.write(r.value.subarray(off));
    }
    if (total < expected.size) {
      throw new ReleaseRejectedError(
        "truncated",
        `artifact is truncated: ${total} of ${expected.size} bytes received`,
      );
    }
    const digest = hash.hex();
    if (digest !== expected.sha256) {
      throw new ReleaseRejectedError(
        "hash",
        `artifact SHA-256 ${digest.slice(0, 16)}... does not match the manifest's ${
          expected.sha256.slice(0, 16)
        }...`,
      );
    }
    await file.sync();
  } catch (error) {
    await reader.cancel().catch(() => {});
    file?.close();
    file = undefined;
    await Deno.remove(path).catch(() => {});
    throw error;
  } finally {
    file?.close();
    reader.releaseLock();
  }
}

/** Options for {@link fetchArtifact}. */
export interface FetchOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Opens `url` (http or https) as a stream; refuses other schemes, HTTP errors and a Content-Length above
 * `maxBytes` before reading the body. The returned `close` releases the connection and timer.
 */
export async function fetchArtifact(
  url: string,
  maxBytes: number,
  options: FetchOptions,
): Promise<{ body: ReadableStream<Uint8Array>; close: () => void }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ReleaseRejectedError("download", `artifact URL "${url}" is not a valid URL`, { cause: error });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ReleaseRejectedError("download", `artifact URL must be http(s), got ${parsed.protocol}`);
  }
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`timed out after ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  const onAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const close = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  };
  let res: Response;
  try {
    res = await fetch(parsed, { signal: abort.signal, redirect: "follow" });
  } catch (error) {
    close();
    throw new ReleaseRejectedError("download", `cannot fetch ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const fail = async (reason: "download" | "oversize", message: string) => {
    await res.body?.cancel().catch(() => {});
    close();
    throw new ReleaseRejectedError(reason, message);
  };
  if (!res.ok || !res.body) {
    return await fail("download", `fetching ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    return await fail("oversize", `${url} announces ${length} bytes, more than the manifest's ${maxBytes}`);
  }
  return { body: res.body, close };
}
