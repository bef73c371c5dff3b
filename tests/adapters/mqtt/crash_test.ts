import assert from "node:assert/strict";
import { Outbox } from "../../../adapters/mqtt/outbox/mod.ts";
import { startBroker } from "./_broker.ts";
import { subscribe, until } from "./_harness.ts";

function spawnGateway(config: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "--allow-env",
      "--allow-sys",
      new URL("./_gateway_child.ts", import.meta.url).pathname,
      config,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

Deno.test("a gateway killed with SIGKILL while the broker is down delivers its whole backlog after restart; its last will reports offline", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_crash_" });
  const config = `${dir}/gateway.yaml`;
  await Deno.writeTextFile(
    config,
    `
gateway: { id: gwc, site: plant-a, data_dir: ${dir}/data }
log: { level: error }
sources:
  - name: plant
    type: simulator
    tick_ms: 50
    signals:
      - { name: temp, kind: temperature, interval_ms: 25, asset: pump-1 }
sinks:
  - name: uplink
    type: mqtt
    brokers: ["${broker.url}"]
    publish: { raw: true }
    qos: { raw: 1 }
    reconnect: { initial_ms: 50, max_ms: 250 }
    outbox: { fsync: batch, cursor_interval_ms: 100 }
`,
  );
  const sub = await subscribe(broker.url, ["gateway/plant-a/gwc/#"], {
    clientId: "upstream-crash",
    clean: false,
    properties: { sessionExpiryInterval: 600 },
  });
  const seqs = () => new Set(sub.json(/\/(raw|events)/).map((m) => m.seq as number));
  let child: Deno.ChildProcess | undefined = spawnGateway(config);
  try {
    await sub.until(() => sub.json(/\/raw\//).length > 5, "live data from the child", 30_000);
    await broker.stop();
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    // What the killed gateway had made durable:
    const box = await Outbox.open({
      dir: `${dir}/data/state/uplink/outbox`,
      maxBytes: 1 << 30,
      segmentBytes: 4 << 20,
      fsync: "batch",
      fsyncIntervalMs: 100,
      cursorIntervalMs: 100_000,
    });
    const lastSeq = box.lastSeq;
    const backlog = box.stats().count;
    await box.close();
    assert.ok(backlog > 20, `records buffered during the outage (${backlog})`);
    await broker.restart();
    child = spawnGateway(config);
    await sub.until(
      () => {
        const s = seqs();
        for (let i = 1; i <= lastSeq; i++) if (!s.has(i)) return false;
        return true;
      },
      `every message up to seq ${lastSeq}`,
      30_000,
    );
    const replayed = sub.json(/\/raw\//).filter((m) => m.replayed === true).length;
    assert.ok(replayed >= 20, `backlog flagged as replayed (${replayed})`);
    // Last will: a second SIGKILL with the broker up (only statuses received after the kill count: the
    // broker may have published the first child's will when it restored its session).
    const beforeKill = sub.received.length;
    const statusesAfterKill = () =>
      sub.received.slice(beforeKill).filter((r) => r.topic.endsWith("/status")).map((r) =>
        JSON.parse(new TextDecoder().decode(r.payload))
      );
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    await until(
      () => statusesAfterKill().some((s) => s.state === "offline" && s.reason === "connection lost"),
      "last will",
    );
    const will = sub.received.filter((r) => r.topic.endsWith("/status")).at(-1)!;
    assert.equal(JSON.parse(new TextDecoder().decode(will.payload)).state, "offline");
  } finally {
    if (child) {
      child.kill("SIGKILL");
      await child.status;
    }
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});
