/**
 * @module Signed releases: canonical JSON, Ed25519 keys and envelopes, root metadata with k-of-n thresholds
 * and rotation, release manifests and their verification. The release CLI is in `commands.ts`.
 */
export * from "./encoding.ts";
export * from "./canonical.ts";
export * from "./semver.ts";
export * from "./keys.ts";
export * from "./rejection.ts";
export * from "./envelope.ts";
export * from "./root.ts";
export * from "./manifest.ts";
export * from "./verify.ts";
export * from "./file_hash.ts";
export * from "./json_file.ts";
