/**
 * @module Domain errors that tell the caller what to do; bad arguments use TypeError/RangeError.
 */

/** A transient failure: the same operation may succeed later (broker down, device busy). Retry with backoff. */
export class RetryableError extends Error {
  override readonly name = "RetryableError";
  constructor(message: string, options: { cause: unknown; retryAfterMs?: number }) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/** A failure that retrying cannot fix (bad credentials, corrupt file, unsupported server). Stop and report. */
export class FatalError extends Error {
  override readonly name = "FatalError";
  constructor(message: string, options: { cause: unknown }) {
    super(message, { cause: options.cause });
  }
}

/** Part of a batch was written: the first `written` items are durable, the rest must be retried. */
export class PartialWriteError extends Error {
  override readonly name = "PartialWriteError";
  constructor(message: string, readonly written: number, options: { cause: unknown }) {
    super(message, { cause: options.cause });
  }
}

/** The configuration is invalid; `problems` lists every `path: reason` line. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[], options: { cause?: unknown; source?: string } = {}) {
    super(
      `${options.source ? `${options.source}: ` : ""}invalid configuration (${problems.length} problem${
        problems.length === 1 ? "" : "s"
      }):\n  ${problems.join("\n  ")}`,
      { cause: options.cause },
    );
  }
}

/** A short, single-line description of any thrown value, including its cause chain. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 4; depth++) {
    parts.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join(": ");
}
