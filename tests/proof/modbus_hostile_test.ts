import assert from "node:assert/strict";
import { componentSchemas, Quality, type Sample } from "../../core/mod.ts";
import "../../adapters/modbus/mod.ts";
import { type ModbusConfig, ModbusSource } from "../../adapters/modbus/mod.ts";
import { goodValue, HostileModbusServer, type Misbehaviour } from "./_hostile_modbus.ts";
import { recordingContext } from "./_context.ts";

const MISBEHAVIOURS: readonly Misbehaviour[] = [
  "wrong_byte_count",
  "short_mbap_length",
  "huge_mbap_length",
  "wrong_transaction_id",
  "wrong_function_code",
  "wrong_unit_id",
  "exception_2",
  "exception_4",
  "unknown_exception",
  "truncated_then_close",
  "garbage",
  "garbage_burst",
  "silent",
  "close_immediately",
];
const COUNT = 6;

function config(port: number): ModbusConfig {
  const r = componentSchemas("source").get("modbus")!.parse({
    name: "hostile",
    type: "modbus",
    devices: [{
      name: "plc",
      host: "127.0.0.1",
      port,
      poll_interval_ms: 40,
      timeout_ms: 250,
      connect_timeout_ms: 500,
      retries: 0,
      reconnect: { initial_ms: 20, max_ms: 100 },
      registers: Array.from({ length: COUNT }, (_, i) => ({ name: `r${i}`, address: i })),
    }],
  });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return r.value as unknown as ModbusConfig;
}

const allGood = (generation: number) => (fresh: readonly Sample[]) =>
  Array.from({ length: COUNT }, (_, i) => i).every((i) =>
    fresh.some((s) =>
      s.tag === `hostile.plc.r${i}` && s.quality === Quality.Good && s.value === goodValue(i, generation)
    )
  );

Deno.test("modbus source turns every malformed, mismatched or truncated answer into Bad samples with a reason, keeps polling and recovers each time", async () => {
  const server = HostileModbusServer.start();
  const ctx = recordingContext("hostile");
  const source = new ModbusSource(config(server.port) as never);
  const reasons = new Map<Misbehaviour, string>();
  try {
    await source.start(ctx);
    await ctx.waitFor(allGood(1), "first good values");
    for (const mode of MISBEHAVIOURS) {
      server.mode = mode;
      server.dropConnections();
      let from = ctx.samples.length;
      await ctx.waitFor(
        (fresh) => fresh.some((s) => s.quality === Quality.Bad),
        `Bad samples while the server answers ${mode}`,
        4000,
        from,
      );
      const bad = ctx.samples.slice(from).find((s) => s.quality === Quality.Bad)!;
      assert.ok(bad.reason && bad.reason.length > 0, `${mode}: Bad sample without a reason`);
      assert.notEqual(bad.status, 0, `${mode}: Bad sample with a Good status code`);
      reasons.set(mode, bad.reason);
      // No value of a broken answer may pass as Good.
      const wrongGood = ctx.samples.slice(from).find((s) =>
        s.quality === Quality.Good && s.value !== goodValue(Number(s.tag.slice(-1)), server.generation)
      );
      assert.equal(wrongGood, undefined, `${mode}: a wrong value was emitted as Good`);
      server.mode = "good";
      server.generation++;
      server.dropConnections();
      from = ctx.samples.length;
      await ctx.waitFor(allGood(server.generation), `recovery after ${mode}`, 4000, from);
      assert.notEqual(source.health().state, "failed", `${mode}: source failed`);
    }
    // A correct answer followed by a stray frame with a stale transaction id: the stray one is ignored.
    server.mode = "two_frames";
    server.generation++;
    const from = ctx.samples.length;
    await ctx.waitFor(allGood(server.generation), "good values while stray frames arrive", 4000, from);
    await new Promise((r) => setTimeout(r, 400));
    const fresh = ctx.samples.slice(from);
    assert.ok(fresh.every((s) => s.quality === Quality.Good), "stray frames turned values Bad");
    assert.ok(fresh.every((s) => s.value === goodValue(Number(s.tag.slice(-1)), server.generation)));
    assert.match(reasons.get("exception_2")!, /exception 2/);
    assert.match(reasons.get("exception_4")!, /exception 4/);
    assert.match(reasons.get("silent")!, /timeout/);
    assert.match(reasons.get("wrong_byte_count")!, /malformed response|timeout|communication error/);
    assert.doesNotMatch(reasons.get("wrong_byte_count")!, /^communication error: .*out of range/);
    assert.equal(source.health().state, "connected");
  } finally {
    await source.stop();
    await server.stop();
  }
  const table = [...reasons].map(([m, r]) => `${m.padEnd(22)} ${r}`).join("\n");
  console.log(`reasons given:\n${table}`);
});
