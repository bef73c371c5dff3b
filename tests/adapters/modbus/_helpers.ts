/**
 * @module Test helpers: a recording source context, the pymodbus peer process, config parsing.
 */
import {
  componentSchemas,
  type GatewayEvent,
  Metrics,
  type Sample,
  silentLogger,
  type SourceContext,
  type TagMeta,
} from "../../../core/mod.ts";
import "../../../adapters/modbus/mod.ts";
import type { ModbusConfig } from "../../../adapters/modbus/mod.ts";

/** A SourceContext that records what the source emits. */
export interface RecordingContext extends SourceContext {
  readonly samples: Sample[];
  readonly events: GatewayEvent[];
  readonly defined: TagMeta[];
  readonly abort: AbortController;
  waitFor(pred: (s: Sample[]) => boolean, ms?: number): Promise<void>;
}

/** A SourceContext that records what the source emits. */
export function recordingContext(name = "mb"): RecordingContext {
  const abort = new AbortController();
  const samples: Sample[] = [];
  const events: GatewayEvent[] = [];
  const defined: TagMeta[] = [];
  const ctx: RecordingContext = {
    name,
    gateway: { id: "gw", site: "site", version: "test" },
    logger: silentLogger,
    metrics: new Metrics(),
    tags: { get: () => undefined, list: () => [], size: 0 } as unknown as SourceContext["tags"],
    signal: abort.signal,
    stateDir: "/tmp/none",
    event: (e) => events.push({ ...e, ts: e.ts ?? Date.now(), component: name }),
    now: () => Date.now(),
    provide: () => {},
    lookup: () => undefined,
    emit: (s) => samples.push(...s),
    emitBlock: () => {},
    defineTags: (t) => defined.push(...t),
    samples,
    events,
    defined,
    abort,
    async waitFor(pred: (s: Sample[]) => boolean, ms = 5000) {
      const until = Date.now() + ms;
      while (!pred(samples)) {
        if (Date.now() > until) {
          throw new Error(`condition not met within ${ms} ms (${samples.length} samples)`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return ctx;
}

/** Validates a source config the way the gateway does (common keys added). */
export function modbusConfig(raw: Record<string, unknown>): ModbusConfig & { name: string } {
  const schema = componentSchemas("source").get("modbus")!;
  const r = schema.parse({ name: "mb", type: "modbus", ...raw });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return r.value as unknown as ModbusConfig & { name: string };
}

/** Problems a config has (empty when valid). */
export function configProblems(raw: Record<string, unknown>): string[] {
  const schema = componentSchemas("source").get("modbus")!;
  const r = schema.parse({ name: "mb", type: "modbus", ...raw }, "sources[0]");
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

/** A value the pymodbus peer encodes itself. */
export interface PeerValue {
  table: "holding" | "input" | "coil" | "discrete";
  address: number;
  type?: string;
  order?: string;
  value: number | string | boolean[];
  length?: number;
  words?: number[];
}

/** The pymodbus server process. */
export class PyPeer {
  #lines: string[] = [];
  #waiters: ((line: string) => void)[] = [];
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #done: Promise<void>;

  private constructor(private readonly child: Deno.ChildProcess, readonly port: number, first: string[]) {
    this.#lines = first;
    this.#writer = child.stdin.getWriter();
    this.#done = this.#pump();
  }

  static async start(spec: Record<string, unknown>): Promise<PyPeer> {
    const script = new URL("./fixtures/pymodbus_server.py", import.meta.url).pathname;
    const child = new Deno.Command("/usr/bin/python3", {
      args: [script, JSON.stringify(spec)],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const peer = new PyPeer(child, 0, []);
    const line = await peer.#next(8000);
    const m = /^PORT (\d+)$/.exec(line);
    if (!m) throw new Error(`pymodbus server did not start: ${line}`);
    (peer as { port: number }).port = Number(m[1]);
    return peer;
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of this.child.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const w = this.#waiters.shift();
        if (w) w(line);
        else this.#lines.push(line);
      }
    }
  }

  #next(ms = 5000): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("pymodbus server did not answer")), ms);
      this.#waiters.push((l) => {
        clearTimeout(t);
        resolve(l);
      });
    });
  }

  async #command(cmd: Record<string, unknown>): Promise<Record<string, number>> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(cmd) + "\n"));
    return JSON.parse(await this.#next());
  }

  counts(): Promise<Record<string, number>> {
    return this.#command({ cmd: "counts" });
  }
  async set(values: PeerValue[]): Promise<void> {
    await this.#command({ cmd: "set", values });
  }
  async reset(): Promise<void> {
    await this.#command({ cmd: "reset" });
  }

  /** Kills the process abruptly (a PLC power cut). */
  async kill(): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.child.status;
    await this.#writer.close().catch(() => {});
    await this.#done;
  }

  /** Stops it gracefully. */
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    const t = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.child.status;
    clearTimeout(t);
    await this.#done;
  }
}
