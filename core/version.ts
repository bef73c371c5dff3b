/**
 * @module The gateway's version (semver), stamped into health, events and releases.
 */
export const VERSION = "0.1.0";
