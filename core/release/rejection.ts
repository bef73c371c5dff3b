/**
 * @module Why a release or root metadata was rejected: a machine-readable reason plus a message.
 */

/** Reason codes of {@link ReleaseRejectedError}; stable, used in events and API answers. */
export type RejectReason =
  | "malformed"
  | "signature"
  | "threshold"
  | "expired"
  | "target"
  | "downgrade"
  | "replay"
  | "min_version"
  | "too_large"
  | "truncated"
  | "oversize"
  | "hash"
  | "artifact"
  | "rotation"
  | "busy"
  | "download";

/** A release (manifest, artifact or root rotation) that must not be installed, and why. */
export class ReleaseRejectedError extends Error {
  override readonly name = "ReleaseRejectedError";
  constructor(readonly reason: RejectReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}
