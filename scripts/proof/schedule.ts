/**
 * @module The fault script of `deno task chaos`: steps with durations (seconds at scale 1) run in order during
 * the load; `--scale` shrinks every wait (the 10-minute broker outage becomes 1 minute at 0.1).
 */

/** One scripted step. */
export interface Step {
  readonly name: string;
  /** Unscaled seconds to wait before the action. */
  readonly waitS: number;
  readonly action: () => Promise<void>;
}

/** A fault that happened, for the results. */
export interface FaultRecord {
  readonly name: string;
  readonly atS: number;
  readonly tookS: number;
}

/** Runs `steps` with waits multiplied by `scale` (at least `minWaitS`), recording when each happened. */
export async function runSchedule(
  steps: readonly Step[],
  scale: number,
  t0: number,
  log: (line: string) => void,
  minWaitS = 3,
): Promise<FaultRecord[]> {
  const done: FaultRecord[] = [];
  for (const s of steps) {
    const waitMs = Math.max(minWaitS, s.waitS * scale) * 1000;
    await new Promise((r) => setTimeout(r, waitMs));
    const start = Date.now();
    log(`chaos: t=${Math.round((start - t0) / 1000)}s ${s.name}`);
    await s.action();
    done.push({
      name: s.name,
      atS: Math.round((start - t0) / 1000),
      tookS: Math.round((Date.now() - start) / 100) / 10,
    });
  }
  return done;
}
