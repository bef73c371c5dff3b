/**
 * @module The assembled plant of a proof run: mosquitto, the persistent upstream subscriber, the OPC UA server,
 * the Modbus devices (pymodbus) and the gateway, each a child process on 127.0.0.1 at a free port, each
 * restartable (faults) and all stopped by {@link Rig.close}.
 */
import { v8FlagsArg } from "../../core/app/runtime_flags.ts";
import { type Endpoints, gatewayYaml, type LoadPlan } from "./config.ts";
import { Mosquitto } from "./mosquitto.ts";
import { freePort, type Proc, Procs, waitForLine, waitForPort } from "./procs.ts";
import { Subscriber } from "./subscriber.ts";

/** Deno permission flags of the project's test task (the gateway runs under exactly these). */
export const GATEWAY_FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-sys",
  "--allow-run",
  "--allow-ffi",
];

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Extra Deno flags for the gateway of a diagnostic run, from `PROOF_GATEWAY_FLAGS` (space-separated), e.g.
 * `--inspect=127.0.0.1:9229` for a heap profile or `--v8-flags=--trace-gc`. Empty in the published runs.
 */
export function extraGatewayFlags(env: string | undefined = Deno.env.get("PROOF_GATEWAY_FLAGS")): string[] {
  return (env ?? "").split(/\s+/).filter((f) => f !== "");
}
export const TOPIC_BASE = "gateway/proof-site/proof-gw";

/** Last `STATS {json}` line a peer printed. */
export function lastStats(proc: Proc | undefined): Record<string, number> | undefined {
  if (!proc) return undefined;
  for (let i = proc.lines.length - 1; i >= 0; i--) {
    const l = proc.lines[i]!;
    if (l.startsWith("STATS ")) return JSON.parse(l.slice(6));
  }
  return undefined;
}

/** What the peers produced: values set (OPC UA), notifications its subscriptions sent and discarded, values
 * served per Modbus device. */
export interface Served {
  readonly opcua: number;
  readonly opcuaSent: number;
  readonly opcuaOverflows: number;
  readonly modbus: number[];
}

/**
 * The product's V8 flags merged with a diagnostic run's extra flags (its `--v8-flags=` joined into one argument,
 * since Deno honours only one).
 */
export function gatewayRuntimeFlags(extra: readonly string[]): string[] {
  const v8 = extra.filter((f) => f.startsWith("--v8-flags=")).flatMap((f) => f.slice(11).split(","));
  return [v8FlagsArg(v8.filter((f) => f !== "")), ...extra.filter((f) => !f.startsWith("--v8-flags="))];
}

/** Everything a run started. */
export class Rig {
  readonly procs: Procs;
  readonly broker: Mosquitto;
  readonly ep: Endpoints;
  subscriber: Subscriber | undefined;
  opcua: Proc | undefined;
  readonly modbus: (Proc | undefined)[] = [];
  gateway: Proc | undefined;
  /** Totals of peer processes that were restarted (their counters start over). */
  readonly servedBefore = { opcua: 0, opcuaSent: 0, opcuaOverflows: 0, modbus: [] as number[] };
  gatewayStarts = 0;

  private constructor(readonly dir: string, readonly plan: LoadPlan) {
    this.procs = new Procs(dir);
    this.broker = new Mosquitto(this.procs, `${dir}/broker`);
    this.ep = {
      opcuaPort: freePort(),
      modbusPorts: Array.from({ length: plan.modbusDevices }, () => freePort()),
      mqttUrl: this.broker.url,
      httpPort: freePort(),
      dataDir: `${dir}/data`,
    };
  }

  /** Creates the run directory and writes the gateway configuration. */
  static async create(plan: LoadPlan, dir?: string): Promise<Rig> {
    const d = dir ?? await Deno.makeTempDir({ prefix: "gateway_proof_" });
    await Deno.mkdir(`${d}/data`, { recursive: true });
    const rig = new Rig(d, plan);
    await Deno.writeTextFile(rig.configPath, gatewayYaml(plan, rig.ep));
    return rig;
  }

  get configPath(): string {
    return `${this.dir}/gateway.yaml`;
  }

  get httpBase(): string {
    return `http://127.0.0.1:${this.ep.httpPort}`;
  }

  /** Starts the broker, the subscriber (before any data) and the sources' peers. */
  async startPeers(): Promise<void> {
    await this.broker.start();
    this.subscriber = await Subscriber.start(this.broker.url, TOPIC_BASE);
    if (this.plan.opcuaItems > 0) await this.startOpcua();
    for (let d = 0; d < this.plan.modbusDevices; d++) await this.startModbus(d);
  }

  async startOpcua(): Promise<void> {
    this.opcua = await this.procs.spawn("opcua_server", Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        `${ROOT}scripts/proof/opcua_server.ts`,
        "--items",
        String(this.plan.opcuaItems),
        "--interval-ms",
        String(this.plan.opcuaIntervalMs),
        "--port",
        String(this.ep.opcuaPort),
        "--pki",
        `${this.dir}/opcua_pki`,
      ],
      cwd: ROOT,
    });
    await waitForLine(this.opcua, /^PORT (\d+)/, 120_000);
  }

  /** Stops the OPC UA server (SIGTERM), keeping its served total. */
  async stopOpcua(): Promise<void> {
    if (!this.opcua) return;
    await this.procs.stop(this.opcua, "SIGTERM", 20_000);
    const last = lastStats(this.opcua);
    this.servedBefore.opcua += last?.["values_set"] ?? 0;
    this.servedBefore.opcuaSent += last?.["notifications_sent"] ?? 0;
    this.servedBefore.opcuaOverflows += last?.["queue_overflows"] ?? 0;
    this.opcua = undefined;
  }

  async startModbus(d: number): Promise<void> {
    const spec = { port: this.ep.modbusPorts[d], registers: this.plan.modbusRegisters, interval_ms: 100 };
    const p = await this.procs.spawn(`modbus_${d + 1}`, "/usr/bin/python3", {
      args: [`${ROOT}scripts/proof/modbus_server.py`, JSON.stringify(spec)],
    });
    this.modbus[d] = p;
    await waitForLine(p, /^PORT (\d+)/, 20_000);
  }

  /** Disconnects Modbus device `d` (its process is stopped), keeping its served total. */
  async stopModbus(d: number): Promise<void> {
    const p = this.modbus[d];
    if (!p) return;
    await this.procs.stop(p, "SIGTERM", 5_000);
    this.servedBefore.modbus[d] = (this.servedBefore.modbus[d] ?? 0) + (lastStats(p)?.["values_served"] ?? 0);
    this.modbus[d] = undefined;
  }

  /** Starts the gateway and waits until its HTTP API answers. */
  async startGateway(): Promise<Proc> {
    this.gatewayStarts++;
    this.gateway = await this.procs.spawn("gateway", Deno.execPath(), {
      args: [
        "run",
        ...GATEWAY_FLAGS,
        ...gatewayRuntimeFlags(extraGatewayFlags()),
        `${ROOT}scripts/proof/gateway_entry.ts`,
        "run",
        "--config",
        this.configPath,
      ],
      cwd: ROOT,
      env: { DENO_TLS_CA_STORE: "system" },
    });
    try {
      await waitForPort(this.ep.httpPort, 180_000, "gateway HTTP API");
    } catch (e) {
      throw new Error(`${(e as Error).message}; gateway log: ${this.gateway.log}`);
    }
    return this.gateway;
  }

  /** Stops the gateway gracefully (SIGTERM: queues drained, outbox and history flushed). */
  async stopGateway(): Promise<Deno.CommandStatus | undefined> {
    if (!this.gateway) return undefined;
    const s = await this.procs.stop(this.gateway, "SIGTERM", 60_000);
    this.gateway = undefined;
    return s;
  }

  /** Kills the gateway with SIGKILL (power cut) and waits for it to be gone. */
  async killGateway(): Promise<void> {
    if (!this.gateway) return;
    await this.procs.stop(this.gateway, "SIGKILL", 5_000);
    this.gateway = undefined;
  }

  /** Stops the OPC UA server and every Modbus device, then waits 3 s for what is on the wire to arrive. */
  async stopRawSources(): Promise<void> {
    await this.stopOpcua();
    for (let d = 0; d < this.plan.modbusDevices; d++) await this.stopModbus(d);
    await new Promise((r) => setTimeout(r, 3_000));
  }

  /** Fetches the gateway's metrics text, or undefined when it does not answer. */
  async metrics(timeoutMs = 5_000): Promise<string | undefined> {
    try {
      const r = await fetch(`${this.httpBase}/api/v1/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await r.text();
      return r.ok ? text : undefined;
    } catch {
      return undefined;
    }
  }

  /** Values each peer has served so far, across restarts. */
  served(): Served {
    const last = lastStats(this.opcua);
    return {
      opcua: this.servedBefore.opcua + (last?.["values_set"] ?? 0),
      opcuaSent: this.servedBefore.opcuaSent + (last?.["notifications_sent"] ?? 0),
      opcuaOverflows: this.servedBefore.opcuaOverflows + (last?.["queue_overflows"] ?? 0),
      modbus: Array.from(
        { length: this.plan.modbusDevices },
        (_, d) => (this.servedBefore.modbus[d] ?? 0) + (lastStats(this.modbus[d])?.["values_served"] ?? 0),
      ),
    };
  }

  /** Stops everything (gateway first, gracefully), then the subscriber and the peers. */
  async close(): Promise<void> {
    await this.stopGateway().catch(() => {});
    await this.subscriber?.stop().catch(() => {});
    this.subscriber = undefined;
    await this.procs.stopAll();
  }
}
