/**
 * @module Modbus source throughput against a pymodbus peer: coalesced vs one-register-per-request reads,
 * with the gateway side's CPU and RSS. The uncoalesced run is the anchor measured in the same run.
 */
import process from "node:process";
import { Metrics, type Sample, silentLogger, type SourceContext } from "../core/mod.ts";
import { componentSchemas } from "../core/plugin/registry.ts";
import { type ModbusConfig, ModbusSource } from "../adapters/modbus/mod.ts";
import { type BenchSuite, formatRate, type Measurement, printTable } from "./harness.ts";

const POINTS = 5000;
const SECONDS = 3;
/** Published elsewhere (NeuronEX data sheet: 100k points/s on 4 cores); not measured here. */
const NEURONEX_PUBLISHED = 100_000;

async function startPeer(): Promise<{ port: number; child: Deno.ChildProcess }> {
  const script = new URL("../tests/adapters/modbus/fixtures/pymodbus_server.py", import.meta.url).pathname;
  const child = new Deno.Command("/usr/bin/python3", {
    args: [script, JSON.stringify({ size: POINTS + 10 })],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  const m = /PORT (\d+)/.exec(new TextDecoder().decode(value));
  if (!m) throw new Error("pymodbus peer did not start");
  return { port: Number(m[1]), child };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux; clock ticks of 10 ms). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  readonly peerCpuPercent: number;
  readonly pointsPerSec: number;
  readonly requestsPerSec: number;
  readonly cpuPercent: number;
  readonly rssMiB: number;
}

async function run(port: number, peerPid: number, maxRegisters: number): Promise<Run> {
  const raw = {
    name: "bench",
    type: "modbus",
    devices: [{
      name: "d",
      host: "127.0.0.1",
      port,
      poll_interval_ms: 10,
      max_registers_per_request: maxRegisters,
      registers: Array.from({ length: POINTS }, (_, i) => ({ name: `r${i}`, address: i })),
    }],
  };
  const parsed = componentSchemas("source").get("modbus")!.parse(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const source = new ModbusSource(parsed.value as unknown as ModbusConfig & { name: string });
  let points = 0;
  const abort = new AbortController();
  const ctx: SourceContext = {
    name: "bench",
    gateway: { id: "bench", site: "bench", version: "bench" },
    logger: silentLogger,
    metrics: new Metrics(),
    tags: { get: () => undefined, list: () => [], size: 0 },
    signal: abort.signal,
    stateDir: "/tmp",
    event: () => {},
    now: Date.now,
    provide: () => {},
    lookup: () => undefined,
    emit: (s: readonly Sample[]) => (points += s.length),
    emitBlock: () => {},
    defineTags: () => {},
  };
  await source.start(ctx);
  await new Promise((r) => setTimeout(r, 300)); // connect and warm up
  const p0 = points, r0 = source.devices[0]!.health.requests;
  const cpu0 = process.cpuUsage();
  const peer0 = processCpuSeconds(peerPid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result = {
    peerCpuPercent: ((processCpuSeconds(peerPid) - peer0) / dt) * 100,
    pointsPerSec: (points - p0) / dt,
    requestsPerSec: (source.devices[0]!.health.requests - r0) / dt,
    cpuPercent: ((cpu.user + cpu.system) / 1e6 / dt) * 100,
    rssMiB: Deno.memoryUsage().rss / 2 ** 20,
  };
  await source.stop();
  abort.abort();
  return result;
}

const asMeasurement = (name: string, perSec: number): Measurement => ({
  name,
  nsPerOp: 1e9 / perSec,
  opsPerSec: perSec,
});

export const modbusSuite: BenchSuite = {
  name: "modbus",
  async run() {
    const peer = await startPeer();
    try {
      const single = await run(peer.port, peer.child.pid, 1);
      const coalesced = await run(peer.port, peer.child.pid, 125);
      printTable(
        `Modbus TCP polling of ${POINTS} uint16 registers from a pymodbus peer (${SECONDS} s each)`,
        asMeasurement("1 register per request (anchor)", single.pointsPerSec),
        [asMeasurement("coalesced, 125 registers per request", coalesced.pointsPerSec)],
        "points/s",
      );
      console.log("\n| case | requests/s | gateway CPU (% of one core) | gateway RSS | pymodbus peer CPU |");
      console.log("|---|---:|---:|---:|---:|");
      for (const [name, r] of [["1 register per request", single], ["coalesced", coalesced]] as const) {
        console.log(
          `| ${name} | ${r.requestsPerSec.toFixed(0)} | ${r.cpuPercent.toFixed(1)} % | ${
            r.rssMiB.toFixed(0)
          } MiB | ` +
            `${r.peerCpuPercent.toFixed(0)} % |`,
        );
      }
      console.log(
        `\nPublished elsewhere, not measured here: NeuronEX ${
          formatRate(NEURONEX_PUBLISHED, "points/s")
        } (4 cores); ` +
          `coalesced run here = ${(coalesced.pointsPerSec / NEURONEX_PUBLISHED).toFixed(2)}× that figure ` +
          `(one device, one connection, a single-threaded Python peer at ${
            coalesced.peerCpuPercent.toFixed(0)
          } % CPU; ` +
          `points per gateway CPU-second: ${
            (coalesced.pointsPerSec / (coalesced.cpuPercent / 100)).toFixed(0)
          }).`,
      );
    } finally {
      peer.child.kill("SIGKILL");
      await peer.child.status;
      await peer.child.stdout.cancel().catch(() => {});
      await peer.child.stdin.close().catch(() => {});
    }
  },
};
