/**
 * @module Errors handlers throw to answer with a status: `{ error, issues? }` JSON bodies.
 */
import type { Issue } from "../mod.ts";

/** An error that becomes an HTTP response with `status` and a JSON body `{ error, issues }`. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: readonly Issue[],
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, { cause: options?.cause });
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;

  /** The JSON body. */
  body(): { error: string; issues?: readonly Issue[] } {
    return this.issues ? { error: this.message, issues: this.issues } : { error: this.message };
  }
}

/** 400 for invalid input, message naming every bad field. */
export function badRequest(what: string, issues: readonly Issue[]): HttpError {
  const detail = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
  return new HttpError(400, `invalid ${what}: ${detail}`, issues);
}

/** Races `work` against a timeout; the timeout answers 504 with `message`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(504, `${message} (took longer than ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {}); // a late failure after the timeout must not surface as unhandled
  }
}
