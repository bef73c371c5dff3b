/**
 * @module Test helper: a real mosquitto broker on 127.0.0.1, a free port, a generated config and a temp dir.
 */

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Extra mosquitto.conf lines for the listener (TLS, password file). */
  readonly listenerLines?: readonly string[];
  /** Extra top-level lines. */
  readonly lines?: readonly string[];
  readonly allowAnonymous?: boolean;
  /** Reuse this port (restart after stop). */
  readonly port?: number;
  /** Reuse this directory (persistence survives restarts). */
  readonly dir?: string;
}

/** A running mosquitto. */
export interface Broker {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  /** Stops the broker (SIGTERM, persistence saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Everything mosquitto printed (for failure messages). */
  output(): string;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the broker: connections stay open but nothing is answered. */
  freeze(frozen: boolean): void;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, child: Deno.ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`mosquitto did not listen on ${port}`);
}

/** Starts mosquitto with `max_queued_messages 0` and persistence in a temp dir. */
export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "mqtt_broker_" });
  const port = options.port ?? freePort();
  const conf = [
    // As root, mosquitto would switch to its own user and could not read the test's private temp dirs.
    ...(Deno.uid() === 0 ? ["user root"] : []),
    "per_listener_settings true",
    "persistence true",
    `persistence_location ${dir}/`,
    "autosave_interval 1",
    "max_queued_messages 0",
    "max_inflight_messages 0",
    "log_dest stdout",
    "log_type error",
    "log_type warning",
    ...(options.lines ?? []),
    `listener ${port} 127.0.0.1`,
    `allow_anonymous ${options.allowAnonymous ?? true}`,
    ...(options.listenerLines ?? []),
  ].join("\n") + "\n";
  await Deno.writeTextFile(`${dir}/mosquitto.conf`, conf);
  let out = "";
  let child: Deno.ChildProcess | undefined;
  let pump: Promise<void> | undefined;
  const launch = async () => {
    child = new Deno.Command("mosquitto", {
      args: ["-c", `${dir}/mosquitto.conf`],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const c = child;
    const read = async (s: ReadableStream<Uint8Array>) => {
      for await (const chunk of s.pipeThrough(new TextDecoderStream())) out += chunk;
    };
    pump = Promise.all([read(c.stdout), read(c.stderr)]).then(() => {});
    try {
      await waitForPort(port, c);
    } catch (e) {
      try {
        c.kill("SIGKILL");
      } catch { /* exited */ }
      await c.status;
      await pump;
      throw new Error(`${(e as Error).message}: ${out}`);
    }
  };
  const stop = async () => {
    if (!child) return;
    const c = child;
    child = undefined;
    try {
      c.kill("SIGCONT");
      c.kill("SIGTERM");
    } catch { /* already exited */ }
    await c.status;
    await pump;
  };
  await launch();
  return {
    port,
    dir,
    url: `mqtt://127.0.0.1:${port}`,
    stop,
    restart: launch,
    output: () => out,
    freeze: (frozen) => child?.kill(frozen ? "SIGSTOP" : "SIGCONT"),
  };
}
