/**
 * @module CPU and memory of a process from /proc/<pid>/stat and /proc/<pid>/status (Linux).
 */

/** One reading. */
export interface ProcReading {
  /** Wall clock, ms. */
  readonly at: number;
  /** User + system CPU time, s. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  readonly threads: number;
}

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, 100 on every common Linux build). */
export async function clkTck(): Promise<number> {
  if (clockTicks !== undefined) return clockTicks;
  try {
    const out = await new Deno.Command("getconf", { args: ["CLK_TCK"], stdout: "piped", stderr: "null" })
      .output();
    const v = Number(new TextDecoder().decode(out.stdout).trim());
    clockTicks = Number.isFinite(v) && v > 0 ? v : 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/** Reads CPU time, RSS and threads of `pid`; undefined when it is gone. */
export async function readProc(pid: number): Promise<ProcReading | undefined> {
  try {
    const [stat, status] = await Promise.all([
      Deno.readTextFile(`/proc/${pid}/stat`),
      Deno.readTextFile(`/proc/${pid}/status`),
    ]);
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(rest[11]); // field 14
    const stime = Number(rest[12]); // field 15
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const threads = /Threads:\s+(\d+)/.exec(status);
    return {
      at: Date.now(),
      cpuSeconds: (utime + stime) / await clkTck(),
      rssBytes: rss ? Number(rss[1]) * 1024 : 0,
      threads: threads ? Number(threads[1]) : 0,
    };
  } catch {
    return undefined;
  }
}

/** CPU use between two readings, % of one core. */
export function cpuPercent(a: ProcReading, b: ProcReading): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? ((b.cpuSeconds - a.cpuSeconds) / wall) * 100 : 0;
}
