/**
 * @module Durable updater state: the pending update (between switch and commit), the highest version ever
 * installed (anti-replay), and the last update's outcome. Every write is atomic.
 */
import { readJsonFile, writeJsonAtomic } from "../release/json_file.ts";
import type { Layout } from "./layout.ts";

/** A data file copied before the first start of the new version, restored on rollback. */
export interface BackupEntry {
  readonly source: string;
  readonly copy: string;
}

/** An update between its switch and its commit (or rollback). */
export interface PendingUpdate {
  readonly from: string;
  readonly to: string;
  /**
   * switching: about to switch `current`; switched: switched, not yet started; trial: started, in its health
   * window; rolling_back: a rollback began (recovery finishes it).
   */
  readonly state: "switching" | "switched" | "trial" | "rolling_back";
  /** Why a rollback started (state rolling_back). */
  readonly reason?: string;
  /** Absolute data directories whose database files are backed up before the first start of `to`. */
  readonly dataDirs: readonly string[];
  /** File name suffixes backed up (".duckdb"). */
  readonly backupSuffixes: readonly string[];
  /** Filled once the backup is complete. */
  readonly backups?: readonly BackupEntry[];
  /** Starts of `to` so far (a power loss during the trial counts as a failed start). */
  readonly attempts: number;
  readonly healthWindowSeconds: number;
  readonly created: number;
}

/** What was ever installed here. */
export interface InstalledRecord {
  /** Highest version ever switched to (even if it was rolled back): older or equal manifests are replays. */
  readonly highest: string;
}

/** Outcome of the last update, shown in status and replayed as an event. */
export interface LastResult {
  readonly version: string;
  readonly from: string;
  readonly outcome: "committed" | "rolled_back";
  readonly reason?: string;
  readonly ts: number;
}

async function readOptional<T>(path: string): Promise<T | undefined> {
  try {
    return await readJsonFile(path) as T;
  } catch (error) {
    if (error instanceof Error && error.cause instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Reads and writes the state files of a layout. */
export class UpdateState {
  constructor(readonly layout: Layout) {}

  pending(): Promise<PendingUpdate | undefined> {
    return readOptional<PendingUpdate>(this.layout.pending);
  }
  writePending(p: PendingUpdate): Promise<void> {
    return writeJsonAtomic(this.layout.pending, p);
  }
  async clearPending(): Promise<void> {
    await Deno.remove(this.layout.pending).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  installed(): Promise<InstalledRecord | undefined> {
    return readOptional<InstalledRecord>(this.layout.installed);
  }
  writeInstalled(r: InstalledRecord): Promise<void> {
    return writeJsonAtomic(this.layout.installed, r);
  }
  lastResult(): Promise<LastResult | undefined> {
    return readOptional<LastResult>(this.layout.lastResult);
  }
  writeLastResult(r: LastResult): Promise<void> {
    return writeJsonAtomic(this.layout.lastResult, r);
  }
}
