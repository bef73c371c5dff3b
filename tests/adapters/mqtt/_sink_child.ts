/**
 * @module A process running only the mqtt sink, for crash tests: `deno run ... _sink_child.ts <state dir>
 * <broker url> <fill|run> <max messages/s>`. `fill` writes the test backlog and prints `filled`; `run` only
 * drains the outbox and prints `started`. Either then runs until it is killed.
 */
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { backlog } from "./_backlog.ts";
import { makeCtx, sinkConfig } from "./_harness.ts";

const [dir, url, mode, rate] = Deno.args;
if (!dir || !url || (mode !== "fill" && mode !== "run") || !(Number(rate) >= 0)) {
  console.error("usage: _sink_child.ts <state dir> <broker url> <fill|run> <max messages/s>");
  Deno.exit(2);
}
const { ctx } = makeCtx(dir);
const sink = new MqttSink(sinkConfig({
  brokers: [url],
  publish: { raw: true, events: false },
  qos: { raw: 1 },
  outbox: { segment_bytes: 64 * 1024, max_bytes: 64 * 1024 * 1024, cursor_interval_ms: 100, fsync: "batch" },
  replay: { max_messages_per_s: Number(rate) },
  commands: { enabled: false },
}));
await sink.start(ctx);
if (mode === "fill") {
  for (const batch of backlog({ rounds: 80, tags: 50 })) await sink.write(batch);
  console.log(`filled ${sink.outbox!.lastSeq}`);
} else {
  console.log("started");
}
setInterval(() => {}, 60_000); // keep running until killed
