import assert from "node:assert/strict";
import { Outbox } from "../../../adapters/mqtt/outbox/mod.ts";
import { startBroker } from "./_broker.ts";
import { arrivals, firsts, outOfOrderLanes, rawBeforeLast } from "./_backlog.ts";
import { subscribe } from "./_harness.ts";

/** A sink-only child process; resolves once it printed its first line. */
async function spawnSink(
  dir: string,
  url: string,
  mode: "fill" | "run",
  rate: number,
): Promise<{ child: Deno.ChildProcess; line: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "--allow-env",
      "--allow-sys",
      new URL("./_sink_child.ts", import.meta.url).pathname,
      dir,
      url,
      mode,
      String(rate),
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`sink child exited before reporting (${text})`);
      text += value;
    }
  } finally {
    await reader.cancel();
  }
  return { child, line: text.trim() };
}

async function kill(child: Deno.ChildProcess | undefined): Promise<void> {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch { /* already gone */ }
  await child.status;
}

Deno.test("a sink killed with SIGKILL in the middle of a priority replay resumes after restart: alerts and features are not sent again, raw continues from its own cursor, nothing is lost", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_prio_crash_" });
  const sub = await subscribe(broker.url, ["gateway/plant-a/gw1/+/#"], {
    clientId: "upstream-prio-crash",
    clean: false,
    properties: { sessionExpiryInterval: 600 },
  });
  let child: Deno.ChildProcess | undefined;
  try {
    await broker.stop();
    // 1. Backlog written while the broker is down, then the gateway dies.
    const filled = await spawnSink(dir, broker.url, "fill", 0);
    child = filled.child;
    await kill(child);
    child = undefined;
    const box = await Outbox.open({
      dir: `${dir}/outbox`,
      maxBytes: 1 << 30,
      segmentBytes: 64 * 1024,
      fsync: "batch",
      fsyncIntervalMs: 100,
      cursorIntervalMs: 100_000,
    });
    const lastSeq = box.lastSeq;
    const counts = Object.fromEntries(Object.entries(box.stats().lanes).map(([k, v]) => [k, v.count]));
    await box.close();
    assert.equal(filled.line, `filled ${lastSeq}`);
    assert.deepEqual(counts, { critical: 20, features: 40, rollups: 10, raw: 4000 });
    // 2. Broker back, slow replay (400 msg/s), killed once the high classes are through and raw is under way.
    await broker.restart();
    child = (await spawnSink(dir, broker.url, "run", 400)).child;
    const got = () => arrivals(sub.received);
    const count = (type: string) => firsts(got()).filter((a) => a.type === type).length;
    await sub.until(
      () =>
        count("alerts") === 20 && count("features") === 40 && count("rollups") === 10 && count("raw") >= 100,
      "alerts, features, rollups and the first raw",
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // > cursor_interval_ms: the critical cursor is on disk
    await kill(child);
    child = undefined;
    const before = got();
    const rawAtKill = count("raw");
    assert.ok(rawAtKill < 4000, `killed mid-replay (${rawAtKill} of 4000 raw delivered)`);
    assert.ok(rawBeforeLast(before, ["alerts", "features"]) <= 10, "alerts and features came first");
    // 3. Restarted: the rest arrives, unpaced.
    child = (await spawnSink(dir, broker.url, "run", 0)).child;
    await sub.until(() => firsts(got()).length === lastSeq, `all ${lastSeq} messages`, 30_000);
    await new Promise((r) => setTimeout(r, 300)); // let stray re-sends show up before counting duplicates
    const list = got();
    const f = firsts(list);
    assert.deepEqual(
      f.map((a) => a.seq).sort((a, b) => a - b),
      Array.from({ length: lastSeq }, (_, i) => i + 1),
    );
    assert.deepEqual(outOfOrderLanes(list), [], "sequence order within every lane");
    const after = list.slice(before.length);
    const highAgain = after.filter((a) => a.type !== "raw").length;
    assert.equal(highAgain, 0, "acknowledged alerts, features and rollups are not re-sent after the crash");
    const rawDuplicates = list.length - f.length;
    assert.ok(
      rawDuplicates <= 500,
      `raw duplicates (${rawDuplicates}) bounded by cursor interval and in-flight`,
    );
    console.log(
      `priority crash: ${rawAtKill} raw before the kill, ${rawDuplicates} duplicates after restart`,
    );
  } finally {
    await kill(child);
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});
