/**
 * @module The proof runs' broker: mosquitto on 127.0.0.1 at a free port, persistence on, `max_queued_messages 0`
 * (no cap on a persistent session's queue), restartable on the same port and directory (broker outage).
 */
import { freePort, type Proc, type Procs, waitForPort } from "./procs.ts";

/** A controllable broker. */
export class Mosquitto {
  readonly port: number;
  #proc: Proc | undefined;
  outages = 0;

  constructor(private readonly procs: Procs, readonly dir: string) {
    this.port = freePort();
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#proc !== undefined && !this.#proc.exited;
  }

  async start(): Promise<void> {
    const conf = [
      // As root, mosquitto would switch to its own user and could not write the run directory.
      ...(Deno.uid() === 0 ? ["user root"] : []),
      "persistence true",
      `persistence_location ${this.dir}/`,
      "autosave_interval 5",
      "max_queued_messages 0",
      "max_inflight_messages 0",
      "log_dest stdout",
      "log_type error",
      "log_type warning",
      `listener ${this.port} 127.0.0.1`,
      "allow_anonymous true",
    ].join("\n") + "\n";
    await Deno.mkdir(this.dir, { recursive: true });
    await Deno.writeTextFile(`${this.dir}/mosquitto.conf`, conf);
    this.#proc = await this.procs.spawn("mosquitto", "mosquitto", {
      args: ["-c", `${this.dir}/mosquitto.conf`],
    });
    await waitForPort(this.port, 10_000, "mosquitto");
  }

  /** Stops the broker (SIGTERM: the persistent sessions are saved). */
  async stop(): Promise<void> {
    if (!this.#proc) return;
    const p = this.#proc;
    this.#proc = undefined;
    await this.procs.stop(p, "SIGTERM", 10_000);
  }
}
