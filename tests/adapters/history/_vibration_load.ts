/**
 * @module Reproduction harness (not a test): a real pipeline with a simulator source (16 vibration channels at
 * 25.6 kHz + 20 slow tags) feeding the history sink, run for a while, printing the sink's committed rows/s,
 * queue and drops every 5 s.
 *
 *   deno run -A tests/adapters/history/_vibration_load.ts [seconds=60] [channels=16] [rate=25600]
 */
import "../../../adapters/simulator/mod.ts";
import "../../../adapters/history/mod.ts";
import process from "node:process";
import { parseConfig, Pipeline, silentLogger } from "../../../core/mod.ts";

const seconds = Number(Deno.args[0] ?? 60);
const channels = Number(Deno.args[1] ?? 16);
const rate = Number(Deno.args[2] ?? 25_600);
const dir = await Deno.makeTempDir({ prefix: "history_load_" });

const L = [
  "gateway: { id: load-gw, site: load, data_dir: " + dir + " }",
  "sources:",
  "  - name: vib",
  "    type: simulator",
  "    tick_ms: 100",
  "    signals:",
];
for (let c = 0; c < channels; c++) {
  L.push(`      - { name: ch${c}, kind: vibration, sample_rate_hz: ${rate}, asset: m1 }`);
}
for (let t = 0; t < 20; t++) L.push(`      - { name: slow${t}, kind: analog, interval_ms: 100 }`);
L.push(
  "sinks:",
  "  - name: history",
  "    type: history",
  '    inputs: ["*"]',
  "    queue: { max_values: 2000000, max_batch: 2000 }",
  "    threads: 1",
);
const config = parseConfig(L.join("\n") + "\n");
const pipeline = new Pipeline(config, { logger: silentLogger, version: "0.0.0" });
const cpu0 = process.cpuUsage();
await pipeline.start();
const counter = (name: string) => {
  let sum = 0;
  for (const line of pipeline.metrics.render().split("\n")) {
    if (line.startsWith(name)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
};
let prevRows = 0;
let prevT = performance.now();
let prevCpu = process.cpuUsage();
const start = performance.now();
try {
  while (performance.now() - start < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    const rows = counter("gateway_history_rows_written_total");
    const now = performance.now();
    const cpu = process.cpuUsage();
    const cpuPct = cpu && prevCpu
      ? ((cpu.user + cpu.system - prevCpu.user - prevCpu.system) / 1000 / (now - prevT)) * 100
      : NaN;
    const h = pipeline.health().sinks["history"]!;
    const d = h.details ?? {};
    console.log(
      `t=${((now - start) / 1000).toFixed(0)}s rows/s=${
        ((rows - prevRows) / ((now - prevT) / 1000)).toFixed(0)
      } cpu=${cpuPct.toFixed(0)}% queued_values=${d["queued_values"]} dropped_values=${
        counter("gateway_sink_dropped_values_total")
      } state=${h.state} last_write_ms=${d["last_write_ms"]} rows=${JSON.stringify(d["rows"])}`,
    );
    prevRows = rows;
    prevT = now;
    prevCpu = cpu;
  }
} finally {
  await pipeline.stop();
  const cpu = process.cpuUsage();
  if (cpu && cpu0) {
    console.log(
      `total cpu ${((cpu.user + cpu.system - cpu0.user - cpu0.system) / 1e6).toFixed(1)} s over ${
        ((performance.now() - start) / 1000).toFixed(0)
      } s`,
    );
  }
  await Deno.remove(dir, { recursive: true });
}
