/**
 * @module Opening the DuckDB file: directory checks, lock detection with a clear message, settings, migrations.
 */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { errorMessage } from "../../core/mod.ts";
import { migrate } from "./migrations.ts";

/** DuckDB settings the store applies. */
export interface DbOptions {
  readonly memoryLimitMb?: number;
  readonly threads?: number;
  /** Automatic CHECKPOINT when the WAL grows past this, MiB. */
  readonly walMb?: number;
  /** Open without write access (the export CLI). */
  readonly readOnly?: boolean;
}

/** An open database: one connection for writes, one for reads (MVCC keeps them apart). */
export interface OpenDb {
  readonly instance: DuckDBInstance;
  readonly write: DuckDBConnection;
  readonly read: DuckDBConnection;
  readonly path: string;
  close(): void;
}

/** The file is held by another process (a running gateway). */
export class DatabaseLockedError extends Error {
  override readonly name = "DatabaseLockedError";
}

/** Whether a DuckDB error says the file lock is held elsewhere. */
export function isLockError(error: unknown): boolean {
  return /could not set lock|conflicting lock/i.test(errorMessage(error));
}

/** Opens (creating when allowed) the database at `path` and brings its schema up to date. */
export async function openDb(path: string, options: DbOptions = {}): Promise<OpenDb> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
  if (!options.readOnly) {
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (error) {
      throw new Error(`history database directory ${dir} cannot be created`, { cause: error });
    }
  } else {
    try {
      await Deno.stat(path);
    } catch (error) {
      throw new Error(`history database ${path} does not exist`, { cause: error });
    }
  }
  const settings: Record<string, string> = {
    memory_limit: `${options.memoryLimitMb ?? 512}MB`,
    threads: String(options.threads ?? 2),
    checkpoint_threshold: `${options.walMb ?? 64}MB`,
  };
  if (options.readOnly) settings.access_mode = "READ_ONLY";
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, settings);
  } catch (error) {
    if (isLockError(error)) {
      const pid = /PID (\d+)/.exec(errorMessage(error))?.[1];
      throw new DatabaseLockedError(
        `history database ${path} is locked by another process${pid ? ` (PID ${pid})` : ""}, ` +
          "probably a running gateway",
        { cause: error },
      );
    }
    throw new Error(`history database ${path} cannot be opened`, { cause: error });
  }
  const conns: DuckDBConnection[] = [];
  try {
    const write = await instance.connect();
    conns.push(write);
    if (!options.readOnly) await migrate(write);
    const read = await instance.connect();
    conns.push(read);
    return {
      instance,
      write,
      read,
      path,
      close() {
        for (const c of conns) c.closeSync();
        instance.closeSync();
      },
    };
  } catch (error) {
    for (const c of conns) c.closeSync();
    instance.closeSync();
    throw error;
  }
}
