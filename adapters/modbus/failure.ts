/**
 * @module Classifies what went wrong with a Modbus request into a status, a reason and what to do next.
 */
import { errorMessage, Status } from "../../core/mod.ts";

const EXCEPTIONS: Readonly<Record<number, string>> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

/** Name of a Modbus exception code. */
export function exceptionName(code: number): string {
  return EXCEPTIONS[code] ?? "unknown exception";
}

/** A classified request failure. */
export interface Failure {
  readonly kind: "exception" | "timeout" | "connection";
  readonly status: number;
  /** Short reason carried by Bad samples, e.g. "exception 2 illegal data address", "timeout after 1000 ms". */
  readonly reason: string;
  /** Whether retrying the same request may help. */
  readonly retryable: boolean;
  readonly exceptionCode?: number;
}

/** Raised by the link when a request or connect did not complete in time. */
export class TimeoutFailure extends Error {
  override readonly name = "TimeoutFailure";
  constructor(readonly what: string, readonly ms: number) {
    super(`${what}timeout after ${ms} ms`);
  }
}

/** Turns anything a request threw into a {@link Failure}. */
export function classify(error: unknown, timeoutMs: number): Failure {
  const e = error as { modbusCode?: unknown; errno?: unknown; name?: unknown } | undefined;
  if (typeof e?.modbusCode === "number") {
    const code = e.modbusCode;
    return {
      kind: "exception",
      status: code === 10 || code === 11 ? Status.BadCommunicationError : Status.BadDeviceFailure,
      reason: `exception ${code} ${exceptionName(code)}`,
      retryable: code === 5 || code === 6 || code === 11,
      exceptionCode: code,
    };
  }
  if (error instanceof TimeoutFailure) {
    return { kind: "timeout", status: Status.BadTimeout, reason: error.message, retryable: true };
  }
  if (e?.errno === "ETIMEDOUT" || e?.name === "TransactionTimedOutError") {
    return {
      kind: "timeout",
      status: Status.BadTimeout,
      reason: `timeout after ${timeoutMs} ms`,
      retryable: true,
    };
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof RangeError || code === "ERR_OUT_OF_RANGE" || code === "ERR_BUFFER_OUT_OF_BOUNDS") {
    // The client read past the end of a response frame: the device answered with fewer bytes than asked.
    return {
      kind: "connection",
      status: Status.BadDecodingError,
      reason: `malformed response: shorter than the requested registers (${errorMessage(error)})`,
      retryable: false,
    };
  }
  return {
    kind: "connection",
    status: Status.BadCommunicationError,
    reason: `communication error: ${errorMessage(error)}`,
    retryable: false,
  };
}
