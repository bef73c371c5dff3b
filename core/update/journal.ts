/**
 * @module The update journal: one JSON line per step, appended and fsynced before the step's effect is relied
 * on, so a crash (power loss) at any point is recovered from the last recorded step.
 */

/** Steps recorded in the journal, in order of a successful update. */
export type JournalStep =
  | "staged"
  | "switching"
  | "switched"
  | "restart_requested"
  | "backed_up"
  | "trial_started"
  | "committed"
  | "rollback_started"
  | "rolled_back"
  | "aborted"
  | "recovered"
  | "root_rotated";

/** One journal line. */
export interface JournalEntry {
  readonly ts: number;
  readonly step: JournalStep;
  readonly version: string;
  readonly from?: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Environment variable naming a step after which the process kills itself with SIGKILL (crash tests). */
export const CRASH_HOOK_ENV = "GATEWAY_UPDATE_CRASH_AFTER";

/** Appends `entry` durably (write + fsync), then honours the crash test hook. */
export async function appendJournal(path: string, entry: JournalEntry): Promise<void> {
  using f = await Deno.open(path, { append: true, create: true });
  const bytes = new TextEncoder().encode(JSON.stringify(entry) + "\n");
  let off = 0;
  while (off < bytes.length) off += await f.write(bytes.subarray(off));
  await f.sync();
  crashHook(entry.step);
}

/** Kills this process (SIGKILL, no cleanup) when the crash hook names `step`: simulates power loss. */
export function crashHook(step: string): void {
  let hook: string | undefined;
  try {
    hook = Deno.env.get(CRASH_HOOK_ENV);
  } catch {
    return; // no env permission: no hook
  }
  if (hook && hook === step) Deno.kill(Deno.pid, "SIGKILL");
}

/** Reads entries from byte `offset` on; a torn last line (crash mid-write) is ignored. */
export async function readJournal(
  path: string,
  offset = 0,
): Promise<{ entries: JournalEntry[]; end: number }> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { entries: [], end: 0 };
    throw error;
  }
  const start = offset <= bytes.length ? offset : 0;
  const text = new TextDecoder().decode(bytes.subarray(start));
  const entries: JournalEntry[] = [];
  let consumed = start;
  for (const line of text.split("\n")) {
    const lineBytes = new TextEncoder().encode(line).length + 1;
    if (consumed + lineBytes > bytes.length || line === "") break; // no newline yet: torn
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break; // torn line
    }
    consumed += lineBytes;
  }
  return { entries, end: consumed };
}

/** Appends steps to a journal file and tells an optional listener (the updater turns them into events). */
export class Journal {
  constructor(
    readonly path: string,
    private readonly listener?: (entry: JournalEntry) => void | Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(
    step: JournalStep,
    version: string,
    message: string,
    extra: { from?: string; data?: Record<string, unknown> } = {},
  ): Promise<JournalEntry> {
    const entry: JournalEntry = { ts: this.clock(), step, version, message, ...extra };
    await appendJournal(this.path, entry);
    await this.listener?.(entry);
    return entry;
  }
}
