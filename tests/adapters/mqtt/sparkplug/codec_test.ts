import assert from "node:assert/strict";
import { MqttSink } from "../../../../adapters/mqtt/mod.ts";
import { freePort, startBroker } from "../_broker.ts";
import { makeCtx, sinkConfig, subscribe, until } from "../_harness.ts";
import { featuresMsg } from "../_messages.ts";
import { decode, encode } from "./_decoder.ts";

Deno.test("sparkplug mode: NBIRTH and DBIRTH precede data, seq wraps at 255, aliases resolve, rebirth on NCMD, NDEATH carries bdSeq", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_spb_" });
  const sub = await subscribe(broker.url, ["spBv1.0/#"]);
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(
    sinkConfig({ brokers: [broker.url], mode: "sparkplug", publish: { events: false } }),
  );
  const msgs = () =>
    sub.received.filter((r) => !r.topic.includes("/NCMD/")).map((r) => ({
      type: r.topic.split("/")[2]!,
      device: r.topic.split("/")[4],
      p: decode(r.payload),
    }));
  try {
    await sink.start(ctx);
    await until(() => sink.health().state === "connected", "connection");
    for (let i = 0; i < 150; i++) await sink.write([featuresMsg("pump-1", i), featuresMsg("press-2", i)]);
    await sub.until(() => msgs().filter((m) => m.type === "DDATA").length === 300, "300 DDATA");
    let all = msgs();
    assert.equal(all[0]!.type, "NBIRTH");
    assert.equal(sub.received[0]!.topic, "spBv1.0/plant-a/NBIRTH/gw1");
    assert.equal(all[0]!.p.seq, 0);
    const bdSeq = all[0]!.p.metrics.find((m: { name: string }) => m.name === "bdSeq").long_value;
    assert.equal(typeof bdSeq, "number");
    const rebirthMetric = all[0]!.p.metrics.find((m: { name: string }) => m.name === "Node Control/Rebirth");
    assert.equal(rebirthMetric.boolean_value ?? false, false);
    // seq increments by one across births and data and wraps 255 -> 0
    const seqs = all.map((m) => m.p.seq as number);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], (seqs[i - 1]! + 1) % 256, `seq at ${i}`);
    assert.ok(seqs.length > 256 && seqs.includes(255), "wrapped");
    // every device is born before its data; aliases in DDATA resolve to DBIRTH names
    const aliases = new Map<string, Map<number, string>>();
    for (const m of all) {
      if (m.type === "DBIRTH") {
        aliases.set(
          m.device!,
          new Map(m.p.metrics.map((x: { alias: number; name: string }) => [x.alias, x.name])),
        );
      } else if (m.type === "DDATA") {
        const known = aliases.get(m.device!);
        assert.ok(known, `DBIRTH before DDATA of ${m.device}`);
        for (const x of m.p.metrics) {
          assert.equal(x.name, undefined, "data uses aliases only");
          assert.ok(known.has(x.alias), `alias ${x.alias} declared`);
        }
      }
    }
    const ddata = all.find((m) => m.type === "DDATA" && m.device === "press-2")!;
    const names = aliases.get("press-2")!;
    const rms = ddata.p.metrics.find((x: { alias: number }) => names.get(x.alias) === "Features/vib_x.rms");
    assert.equal(rms.double_value, 0.5);
    assert.equal(rms.datatype, 10);
    // Rebirth on command.
    const before = sub.received.length;
    await sub.client.publishAsync(
      "spBv1.0/plant-a/NCMD/gw1",
      Buffer.from(
        encode({
          timestamp: Date.now(),
          metrics: [{ name: "Node Control/Rebirth", datatype: 11, boolean_value: true }],
        }),
      ),
      { qos: 1 },
    );
    await sub.until(() => msgs().slice(before).filter((m) => m.type === "DBIRTH").length === 2, "rebirth");
    all = msgs().slice(before);
    assert.equal(all[0]!.type, "NBIRTH");
    assert.equal(all[0]!.p.seq, 0);
    assert.equal(all[0]!.p.metrics.find((m: { name: string }) => m.name === "bdSeq").long_value, bdSeq);
    assert.deepEqual(all.slice(1, 3).map((m) => m.device).sort(), ["press-2", "pump-1"]);
    // A malformed NCMD is ignored without harm.
    await sub.client.publishAsync("spBv1.0/plant-a/NCMD/gw1", Buffer.from([0xff, 0xff, 0xff]), { qos: 1 });
    await sink.write([featuresMsg("pump-1", 999)]);
    await sub.until(
      () => msgs().slice(before).some((m) => m.type === "DDATA"),
      "data after the malformed command",
    );
    await sink.stop();
    await sub.until(() => msgs().some((m) => m.type === "NDEATH"), "NDEATH");
    const death = msgs().find((m) => m.type === "NDEATH")!;
    assert.equal(death.p.seq, undefined);
    assert.equal(death.p.metrics[0].name, "bdSeq");
    assert.equal(death.p.metrics[0].long_value, bdSeq);
  } finally {
    await sink.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});

Deno.test("sparkplug mode marks records that waited in the outbox as is_historical and live ones not", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_spb_hist_" });
  const { ctx } = makeCtx(dir);
  // First the gateway runs without a reachable broker: the record waits in the outbox.
  const offline = new MqttSink(
    sinkConfig({ brokers: [`mqtt://127.0.0.1:${freePort()}`], mode: "sparkplug" }),
  );
  const online = new MqttSink(
    sinkConfig({ brokers: [broker.url], mode: "sparkplug", publish: { events: false } }),
  );
  const sub = await subscribe(broker.url, ["spBv1.0/#"]);
  const decoded = (type: string) =>
    sub.received.filter((r) => r.topic.includes(`/${type}/`)).map((r) => decode(r.payload));
  try {
    await offline.start(ctx);
    await offline.write([featuresMsg("pump-1", 1)]);
    await offline.stop();
    await online.start(ctx);
    await sub.until(() => decoded("DDATA").length === 1, "replayed DDATA");
    await online.write([featuresMsg("pump-1", 2)]);
    await sub.until(() => decoded("DDATA").length === 2, "live DDATA");
    const [replayed, live] = decoded("DDATA");
    assert.ok(
      replayed.metrics.every((m: { is_historical?: boolean }) => m.is_historical === true),
      "replayed data",
    );
    assert.ok(
      live.metrics.every((m: { is_historical?: boolean }) => m.is_historical === undefined),
      "live data",
    );
    assert.equal(replayed.metrics[0].double_value, 0.501);
    assert.equal(live.metrics[0].double_value, 0.502);
  } finally {
    await offline.stop();
    await online.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});
