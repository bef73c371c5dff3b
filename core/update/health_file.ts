/**
 * @module The health file: the running gateway writes its health every second to the file named by
 * GATEWAY_HEALTH_FILE; the supervisor reads it to decide whether a new version is healthy (and alive).
 */

/** Set by `gateway supervise` for its child: where to write health. */
export const HEALTH_FILE_ENV = "GATEWAY_HEALTH_FILE";
/** Set by `gateway supervise` for its child: the release root (update.root_dir defaults to it). */
export const ROOT_ENV = "GATEWAY_ROOT";

/** One health record. */
export interface HealthRecord {
  readonly pid: number;
  readonly version: string;
  readonly status: string;
  /** When written, ms since epoch. */
  readonly ts: number;
}

/** Writes a record atomically (temp + rename; not fsynced: it is refreshed every second). */
export async function writeHealthFile(path: string, record: HealthRecord): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, JSON.stringify(record) + "\n");
  await Deno.rename(tmp, path);
}

/** Reads a record; undefined when missing or unreadable. */
export async function readHealthFile(path: string): Promise<HealthRecord | undefined> {
  try {
    const v = JSON.parse(await Deno.readTextFile(path)) as Partial<HealthRecord>;
    if (typeof v.pid !== "number" || typeof v.version !== "string" || typeof v.status !== "string") {
      return undefined;
    }
    return { pid: v.pid, version: v.version, status: v.status, ts: Number(v.ts) || 0 };
  } catch {
    return undefined;
  }
}

/** Asks an HTTP health endpoint (`/api/v1/health`); undefined when unreachable. */
export async function probeHealthUrl(
  url: string,
  timeoutMs = 1000,
): Promise<{ status: string; version: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.json().catch(() => undefined) as
      | { status?: unknown; version?: unknown }
      | undefined;
    if (!body || typeof body.status !== "string") return undefined;
    return { status: body.status, version: typeof body.version === "string" ? body.version : "" };
  } catch {
    return undefined;
  }
}
