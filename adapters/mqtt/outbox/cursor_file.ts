/**
 * @module The outbox's persisted state: per-lane ack cursors and the last sequence handed out, written
 * atomically (temp file, fsync, rename) so a crash leaves either the old or the new version.
 */

/** Persisted outbox state. */
export interface CursorState {
  /** Highest sequence ever assigned. */
  readonly lastSeq: number;
  /** Per lane: every record with seq <= cursor has been acknowledged or dropped. */
  readonly lanes: Readonly<Record<string, number>>;
}

/** Reads the cursor file; a missing file is an empty state, an unreadable one is reported via `warn`. */
export async function readCursor(path: string, warn: (message: string) => void): Promise<CursorState> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { lastSeq: 0, lanes: {} };
    throw error;
  }
  try {
    const v = JSON.parse(text) as { version?: unknown; lastSeq?: unknown; lanes?: unknown };
    if (v.version !== 1 || typeof v.lastSeq !== "number" || typeof v.lanes !== "object" || !v.lanes) {
      throw new TypeError("unexpected shape");
    }
    const lanes: Record<string, number> = {};
    for (const [k, c] of Object.entries(v.lanes)) if (typeof c === "number") lanes[k] = c;
    return { lastSeq: v.lastSeq, lanes };
  } catch (error) {
    warn(`${path}: unreadable cursor (${(error as Error).message}); every stored record will be re-sent`);
    return { lastSeq: 0, lanes: {} };
  }
}

/** Writes the cursor file atomically and durably. */
export async function writeCursor(path: string, state: CursorState): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await file.write(new TextEncoder().encode(JSON.stringify({ version: 1, ...state })));
    await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
}
