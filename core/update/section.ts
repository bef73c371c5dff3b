/**
 * @module The `update` configuration section.
 */
import { type Infer, s } from "../schema/mod.ts";

export const updateSection = s.object({
  enabled: s.boolean().default(true).describe(
    "Accept signed updates (HTTP upload, MQTT announcement). The health file for `gateway supervise` is written either way.",
  ),
  root_dir: s.string().default("").describe(
    "A/B release root (releases/<version>/, current symlink). Empty: the directory given by `gateway supervise --root` " +
      "(GATEWAY_ROOT); without either, updates are unavailable.",
  ),
  trusted_keys_file: s.string().default("").describe(
    "Provisioned root metadata (trusted release keys and threshold) from `gateway release root`. Empty: <root_dir>/trust/root.json.",
  ),
  threshold: s.int({ min: 1, max: 16 }).default(1).describe(
    "Valid signatures from distinct trusted keys required on a release (the root's own threshold applies if higher).",
  ),
  health_window_seconds: s.int({ min: 5, max: 3600 }).default(120).describe(
    "A new version must report healthy within this time after its start, or the previous version is restored.",
  ),
  max_artifact_bytes: s.int({ min: 1024 }).default(512 * 1024 * 1024).describe(
    "Largest release artifact accepted; larger manifests are refused before any transfer.",
  ),
  download_timeout_seconds: s.int({ min: 5 }).default(600).describe(
    "Time limit to fetch an announced artifact.",
  ),
  form: s.enum(["auto", "bundle", "binary"]).default("auto").describe(
    "Release form this gateway accepts; auto: the form of the running release.",
  ),
  backup_suffixes: s.array(s.string({ minLength: 1 })).default([".duckdb"]).describe(
    "Files under gateway.data_dir with these endings are backed up before a new version first starts and restored on rollback.",
  ),
  restart_on_update: s.boolean().default(true).describe(
    "After switching, stop this process (SIGTERM) so the supervisor or systemd starts the new version.",
  ),
});

/** The validated `update` section. */
export type UpdateConfig = Infer<typeof updateSection>;
