/**
 * @module Child processes of a proof run: spawned with their output in log files, tracked so that every one
 * is stopped at the end, on failure and on Ctrl-C (SIGINT/SIGTERM of the script).
 */

/** A spawned child with its log file. */
export interface Proc {
  readonly name: string;
  readonly pid: number;
  readonly child: Deno.ChildProcess;
  readonly log: string;
  /** Resolves with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Lines printed on stdout, as they come (for handshake lines like `PORT 1234`). */
  readonly lines: string[];
  exited: boolean;
}

/** Options of {@link Procs.spawn}. */
export interface SpawnOptions {
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** Every child a run started. */
export class Procs {
  readonly #live = new Set<Proc>();
  readonly #logDir: string;
  #onSignal: (() => void) | undefined;

  constructor(logDir: string) {
    this.#logDir = logDir;
  }

  /** Stops everything on SIGINT/SIGTERM, then exits with 130. */
  installSignalHandlers(cleanup: () => Promise<void>): void {
    let stopping = false;
    this.#onSignal = () => {
      if (stopping) return;
      stopping = true;
      console.error("proof: interrupted, stopping every child process");
      cleanup().finally(() => Deno.exit(130));
    };
    Deno.addSignalListener("SIGINT", this.#onSignal);
    Deno.addSignalListener("SIGTERM", this.#onSignal);
  }

  removeSignalHandlers(): void {
    if (!this.#onSignal) return;
    Deno.removeSignalListener("SIGINT", this.#onSignal);
    Deno.removeSignalListener("SIGTERM", this.#onSignal);
    this.#onSignal = undefined;
  }

  /** Spawns `cmd`; stdout and stderr go to `<logDir>/<name>.log` (appended across restarts). */
  async spawn(name: string, cmd: string, options: SpawnOptions): Promise<Proc> {
    const log = `${this.#logDir}/${name}.log`;
    const file = await Deno.open(log, { create: true, append: true });
    const child = new Deno.Command(cmd, {
      args: [...options.args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }).spawn();
    const lines: string[] = [];
    const enc = new TextEncoder();
    const writeAll = async (bytes: Uint8Array) => {
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
    };
    let pending = Promise.resolve();
    const append = (bytes: Uint8Array) => (pending = pending.then(() => writeAll(bytes)).catch(() => {}));
    const pumpOut = (async () => {
      let buf = "";
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        append(enc.encode(text));
        buf += text;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          lines.push(buf.slice(0, i));
          if (lines.length > 10_000) lines.splice(0, 5_000);
          buf = buf.slice(i + 1);
        }
      }
    })();
    const pumpErr = (async () => {
      for await (const chunk of child.stderr) append(chunk);
    })();
    const proc: Proc = {
      name,
      pid: child.pid,
      child,
      log,
      lines,
      exited: false,
      status: child.status.then(async (s) => {
        await Promise.allSettled([pumpOut, pumpErr]);
        await pending;
        file.close();
        proc.exited = true;
        this.#live.delete(proc);
        return s;
      }),
    };
    this.#live.add(proc);
    return proc;
  }

  /** Sends `signal` and waits up to `graceMs` for the exit, then SIGKILL. */
  async stop(proc: Proc, signal: Deno.Signal = "SIGTERM", graceMs = 15_000): Promise<Deno.CommandStatus> {
    if (!proc.exited) {
      try {
        proc.child.kill(signal);
      } catch {
        // already exited
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        try {
          proc.child.kill("SIGKILL");
        } catch {
          // exited meanwhile
        }
        resolve();
      }, graceMs);
    });
    await Promise.race([proc.status, killed]);
    clearTimeout(timer);
    return await proc.status;
  }

  /** Stops every child still running (SIGTERM, SIGKILL after the grace period). */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.allSettled([...this.#live].map((p) => this.stop(p, "SIGTERM", graceMs)));
  }
}

/** Waits for a stdout line matching `re` (a child's handshake), or fails naming the log file. */
export async function waitForLine(proc: Proc, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of proc.lines) {
      const m = re.exec(line);
      if (m) return m;
    }
    if (proc.exited) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${proc.name} did not print ${re} within ${timeoutMs} ms (see ${proc.log})`);
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Waits until something accepts connections on `port`. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
