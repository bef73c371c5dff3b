/**
 * @module A supervised child process: the release's launcher, with its exit as a promise and a graceful stop.
 */
import { syncDir } from "../release/json_file.ts";

/** A running release. */
export class Child {
  readonly pid: number;
  readonly startedAt: number;
  /** Exit code (128+signal when killed by a signal). */
  readonly exited: Promise<number>;
  #done = false;
  readonly #proc: Deno.ChildProcess;

  private constructor(proc: Deno.ChildProcess) {
    this.#proc = proc;
    this.pid = proc.pid;
    this.startedAt = Date.now();
    this.exited = proc.status.then((s) => {
      this.#done = true;
      return s.signal ? 128 + signalNumber(s.signal) : s.code;
    });
  }

  /** Starts `command` with `args` and extra environment; output goes to the supervisor's own. */
  static async spawn(
    command: string,
    args: readonly string[],
    env: Record<string, string>,
    pidFile: string,
  ): Promise<Child> {
    const proc = new Deno.Command(command, {
      args: [...args],
      env,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    })
      .spawn();
    await Deno.writeTextFile(pidFile, `${proc.pid}\n`);
    await syncDir(pidFile.slice(0, pidFile.lastIndexOf("/")));
    return new Child(proc);
  }

  get running(): boolean {
    return !this.#done;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs: number): Promise<number> {
    if (this.#done) return this.exited;
    this.#signal("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#signal("SIGKILL");
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }

  /** Sends `sig` to the child (ignored once it exited). */
  signal(sig: Deno.Signal): void {
    this.#signal(sig);
  }

  #signal(sig: Deno.Signal): void {
    try {
      this.#proc.kill(sig);
    } catch {
      // already exited
    }
  }
}

/** Kills a child left running by a supervisor that died (only if its command line names `marker`). */
export async function killOrphan(pidFile: string, marker: string): Promise<boolean> {
  const pid = Number((await Deno.readTextFile(pidFile).catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 1 || pid === Deno.pid) return false;
  const cmdline = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
  if (!cmdline.replaceAll("\0", " ").includes(marker)) return false;
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    return false;
  }
  for (let i = 0; i < 50 && (await Deno.stat(`/proc/${pid}`).then(() => true, () => false)); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

function signalNumber(sig: Deno.Signal): number {
  const n: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGTERM: 15,
    SIGABRT: 6,
  };
  return n[sig] ?? 0;
}
