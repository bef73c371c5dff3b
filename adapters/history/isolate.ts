/**
 * @module Commits a batch, and when the commit fails while the database otherwise works, splits it until the
 * records the database refuses are isolated: every other unit is committed, each refused one is quarantined.
 * A failure of the database itself (IO error, full disk, lock, a failed probe) is never blamed on the records.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { errorMessage } from "../../core/mod.ts";

/** What isolation needs from the store; units are addressed by index (see units.ts). */
export interface IsolateDeps {
  /** Commits units `lo` (inclusive) to `hi` (exclusive) in one transaction; throws (rolled back) on failure. */
  commit(lo: number, hi: number): Promise<void>;
  /** Throws when the database cannot take a trivial write now. */
  probe(): Promise<void>;
  /** Stores unit `k`, whole, outside the database with the error that refused it; throws when it cannot. */
  quarantine(k: number, error: unknown): Promise<void>;
}

/** The database (or the quarantine), not the batch, is the problem: retry later from unit `done`. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(message: string, readonly done: number, options: { cause: unknown }) {
    super(message, { cause: options.cause });
  }
}

/** Errors that say the database cannot write at all, whatever the records: never split, never quarantine. */
const UNAVAILABLE =
  /\b(IO|FATAL|Connection|Interrupt) Error\b|invalidated|No space left|disk (is )?full|Cannot open file|Could not (write|read|open|sync|truncate)|Permission denied|could not set lock|conflicting lock/i;
/** Errors about resources: a smaller part may fit, but a single unit that fails this way is not to blame. */
const RESOURCE = /Out of Memory|memory limit/i;

/** How a failed commit is treated. */
export function failureKind(error: unknown): "unavailable" | "resource" | "records" {
  const text = errorMessage(error);
  if (UNAVAILABLE.test(text)) return "unavailable";
  if (RESOURCE.test(text)) return "resource";
  return "records";
}

/** A tiny transaction that reaches the WAL (a sequence value is logged at COMMIT): fails when the file cannot be written. */
export async function probe(conn: DuckDBConnection): Promise<void> {
  await conn.run("BEGIN TRANSACTION");
  try {
    await conn.run("SELECT nextval('record_seq')");
    await conn.run("COMMIT");
  } catch (error) {
    await conn.run("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * Settles units `from` to `count`: commits them in one transaction; if that fails and the database otherwise
 * works (its probe succeeds), commits the halves, recursively, left to right. A single unit is quarantined after
 * it failed twice with a successful probe after each failure. Returns the number of units quarantined. Throws
 * {@link StoreUnavailableError} (whose `done` says how many leading units are settled) when the database fails.
 */
export async function settle(count: number, from: number, deps: IsolateDeps): Promise<number> {
  if (!Number.isInteger(from) || from < 0) {
    throw new RangeError(`from must be a non-negative integer, got ${from}`);
  }
  let done = from;
  let quarantined = 0;
  const unavailable = (error: unknown): StoreUnavailableError =>
    new StoreUnavailableError(errorMessage(error), done, { cause: error });
  /** Throws unless the failure may be blamed on the records (`single`: on this one unit). */
  const blame = async (error: unknown, single: boolean): Promise<void> => {
    const kind = failureKind(error);
    if (kind === "unavailable" || (kind === "resource" && single)) throw unavailable(error);
    try {
      await deps.probe();
    } catch (probeError) {
      throw unavailable(new Error(errorMessage(error), { cause: probeError }));
    }
  };
  const attempt = async (lo: number, hi: number): Promise<unknown> => {
    try {
      await deps.commit(lo, hi);
      done = hi;
      return undefined;
    } catch (error) {
      return error ?? new Error("commit failed");
    }
  };
  const run = async (lo: number, hi: number): Promise<void> => {
    let error = await attempt(lo, hi);
    if (error === undefined) return;
    await blame(error, hi - lo === 1);
    if (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      await run(lo, mid);
      await run(mid, hi);
      return;
    }
    error = await attempt(lo, hi);
    if (error === undefined) return;
    await blame(error, true);
    try {
      await deps.quarantine(lo, error);
    } catch (qError) {
      throw unavailable(new Error(`quarantine cannot be written: ${errorMessage(qError)}`, { cause: error }));
    }
    quarantined++;
    done = hi;
  };
  if (count > from) await run(from, count);
  return quarantined;
}
