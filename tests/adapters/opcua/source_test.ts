import assert from "node:assert/strict";
import { Quality, Status } from "../../../core/mod.ts";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, FAST, recorder, waitFor } from "./_harness.ts";

const NODES = [
  { name: "temp", unit: "degC", range: { low: 0, high: 150 }, description: "Oven zone 1 temperature" },
  { name: "speed", dataType: "Int32" as const, initial: 0 },
  { name: "run", dataType: "Boolean" as const, initial: false },
  { name: "recipe", dataType: "String" as const, initial: "A" },
];

Deno.test("opcua source subscribes, keeps timestamps and status, attaches server metadata", async (t) => {
  const plant = await startOpcuaPlant({ nodes: NODES });
  const dir = await Deno.makeTempDir();
  try {
    await t.step("subscribe mode delivers values with source and server timestamps", async () => {
      const rec = recorder(`${dir}/sub`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        auto_accept_unknown_certificates: true,
        nodes: [
          { name: "temp", node_id: plant.nodeId("temp"), description: "configured description wins" },
          { name: "speed", node_id: plant.nodeId("speed") },
          { name: "run", node_id: plant.nodeId("run") },
          { name: "recipe", node_id: plant.nodeId("recipe"), unit: "n/a" },
          { name: "ghost", node_id: "ns=1;s=Plant.does_not_exist" },
        ],
      }));
      await source.start(rec.ctx);
      try {
        await waitFor(() => source.health().state !== "starting", "connection");
        const ts = Date.now() - 1234;
        plant.set("temp", 81.5, ts);
        plant.set("speed", 1450);
        plant.set("run", true);
        plant.set("recipe", "B");
        await waitFor(() => rec.samples.some((s) => s.tag === "plc.temp" && s.value === 81.5), "temp 81.5");
        await waitFor(() => rec.samples.some((s) => s.tag === "plc.recipe" && s.value === "B"), "recipe B");
        const temp = rec.samples.find((s) => s.tag === "plc.temp" && s.value === 81.5)!;
        assert.equal(temp.ts, ts);
        assert.equal(temp.quality, Quality.Good);
        assert.equal(temp.status, 0);
        assert.ok(temp.serverTs !== undefined && Math.abs(temp.serverTs - Date.now()) < 5000);
        assert.ok(rec.samples.some((s) => s.tag === "plc.speed" && s.value === 1450));
        assert.ok(rec.samples.some((s) => s.tag === "plc.run" && s.value === true));
        // metadata from the address space, config overrides
        const meta = rec.tags.get("plc.temp")!;
        assert.equal(meta.unit, "degC");
        assert.deepEqual(meta.range, { low: 0, high: 150 });
        assert.equal(meta.description, "configured description wins");
        assert.equal(meta.dataType, "float");
        assert.equal(rec.tags.get("plc.speed")!.dataType, "int");
        assert.equal(rec.tags.get("plc.run")!.dataType, "bool");
        assert.equal(rec.tags.get("plc.recipe")!.unit, "n/a");
        // the unknown node propagates as Bad and the source reports it
        const ghost = rec.samples.find((s) => s.tag === "plc.ghost")!;
        assert.equal(ghost.quality, Quality.Bad);
        assert.match(ghost.reason ?? "", /BadNodeIdUnknown/);
        const h = source.health();
        assert.equal(h.state, "degraded");
        assert.deepEqual((h.details!.items as Record<string, number>).failed, 1);
        assert.equal(h.details!.connected, true);
        assert.ok(rec.events.some((e) => e.type === "source.connected"));
      } finally {
        await source.stop();
      }
      assert.equal(source.health().state, "stopped");
    });

    await t.step("bad status codes propagate as Bad samples with the full code", async () => {
      const rec = recorder(`${dir}/bad`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
      }));
      await source.start(rec.ctx);
      try {
        await waitFor(() => rec.samples.length > 0, "initial value");
        plant.set("temp", 0, Date.now(), Status.BadDeviceFailure);
        await waitFor(() => rec.samples.some((s) => s.status === Status.BadDeviceFailure), "bad sample");
        const bad = rec.samples.find((s) => s.status === Status.BadDeviceFailure)!;
        assert.equal(bad.quality, Quality.Bad);
        assert.equal(bad.reason, "BadDeviceFailure");
        plant.set("temp", 1, Date.now(), 0x40000000);
        await waitFor(() => rec.samples.some((s) => s.quality === Quality.Uncertain), "uncertain sample");
      } finally {
        await source.stop();
      }
    });

    await t.step("absolute and percent deadbands are applied by the server", async () => {
      const rec = recorder(`${dir}/deadband`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        sampling_interval_ms: 0,
        backfill: { enabled: false },
        nodes: [
          { name: "speed", node_id: plant.nodeId("speed"), deadband: { type: "absolute", value: 5 } },
          // temp has EURange 0..150: 10 % is 15 units
          { name: "temp", node_id: plant.nodeId("temp"), deadband: { type: "percent", value: 10 } },
        ],
      }));
      plant.set("speed", 100);
      plant.set("temp", 50);
      await source.start(rec.ctx);
      try {
        await waitFor(() => rec.samples.some((s) => s.tag === "plc.temp" && s.value === 50), "initial temp");
        await waitFor(
          () => rec.samples.some((s) => s.tag === "plc.speed" && s.value === 100),
          "initial speed",
        );
        for (const [speed, temp] of [[103, 60], [104, 64], [106, 66]]) {
          plant.set("speed", speed!);
          plant.set("temp", temp!);
          await new Promise((r) => setTimeout(r, 150));
        }
        await waitFor(
          () => rec.samples.some((s) => s.tag === "plc.temp" && s.value === 66),
          "temp beyond 15",
        );
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(rec.samples.filter((s) => s.tag === "plc.speed").map((s) => s.value), [100, 106]);
        assert.deepEqual(rec.samples.filter((s) => s.tag === "plc.temp").map((s) => s.value), [50, 66]);
        assert.equal(source.health().state, "connected");
      } finally {
        await source.stop();
      }
    });

    await t.step("clock audit: a source clock 10 s behind raises a data-quality event", async () => {
      const rec = recorder(`${dir}/clock`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        clock_tolerance_ms: 2000,
        backfill: { enabled: false },
        nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
      }));
      await source.start(rec.ctx);
      try {
        await waitFor(() => source.health().state === "connected", "connected");
        for (let i = 0; i < 14; i++) {
          plant.set("temp", 100 + i, Date.now() - 10_000);
          await new Promise((r) => setTimeout(r, 120));
        }
        await waitFor(() => rec.events.some((e) => e.type === "data_quality.clock_offset"), "clock event");
        const ev = rec.events.find((e) => e.type === "data_quality.clock_offset")!;
        assert.equal(ev.level, "warn");
        assert.equal(ev.data!.exceeded, true);
        const clock = source.health().details!.clock as { offset_ms: number; exceeded: boolean };
        assert.ok(clock.offset_ms > 9_900 && clock.offset_ms < 11_000, `offset ${clock.offset_ms}`);
        assert.equal(clock.exceeded, true);
      } finally {
        await source.stop();
      }
    });

    await t.step("clock audit: an old value delivered at subscribe time is not a clock offset", async () => {
      plant.set("speed", 5, Date.now() - 3_600_000);
      const rec = recorder(`${dir}/clock_old`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        clock_tolerance_ms: 2000,
        backfill: { enabled: false },
        nodes: [{ name: "speed", node_id: plant.nodeId("speed") }],
      }));
      await source.start(rec.ctx);
      try {
        await waitFor(() => rec.samples.some((s) => s.value === 5), "the hour-old value");
        assert.equal((source.health().details!.clock as { samples: number }).samples, 0);
        for (let i = 0; i < 10; i++) {
          plant.set("speed", 10 + i);
          await new Promise((r) => setTimeout(r, 120));
        }
        await waitFor(() => rec.samples.some((s) => s.value === 19), "fresh values");
        const clock = source.health().details!.clock as { offset_ms: number; samples: number };
        assert.ok(clock.samples >= 8 && Math.abs(clock.offset_ms) < 1000, JSON.stringify(clock));
        assert.ok(!rec.events.some((e) => e.type === "data_quality.clock_offset"));
      } finally {
        await source.stop();
      }
    });

    await t.step("poll mode reads in batches", async () => {
      const rec = recorder(`${dir}/poll`);
      const source = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        mode: "poll",
        poll_interval_ms: 100,
        max_items_per_call: 2,
        nodes: NODES.map((n) => ({ name: n.name, node_id: plant.nodeId(n.name) })),
      }));
      await source.start(rec.ctx);
      try {
        for (const v of [77, 78, 79]) {
          plant.set("speed", v);
          plant.set("recipe", `R${v}`);
          await waitFor(
            () => rec.samples.some((s) => s.tag === "plc.speed" && s.value === v),
            `poll of ${v}`,
          );
          await waitFor(
            () => rec.samples.some((s) => s.tag === "plc.recipe" && s.value === `R${v}`),
            `R${v}`,
          );
        }
        // an unchanged value read again (same source timestamp) is the same sample: not repeated
        const before = rec.samples.filter((s) => s.tag === "plc.speed" && s.value === 79).length;
        await new Promise((r) => setTimeout(r, 350));
        assert.equal(rec.samples.filter((s) => s.tag === "plc.speed" && s.value === 79).length, before);
        // ... and every repeat not taken is counted (3+ polls of 2 unchanged nodes in 350 ms)
        const repeats = rec.ctx.metrics.counter("gateway_opcua_repeats_dropped_total", "").get({
          source: "plc",
        });
        assert.ok(repeats >= 6, `repeats counted: ${repeats}`);
        assert.equal(source.health().details!.subscriptions, 0);
        assert.equal(source.health().state, "connected");
      } finally {
        await source.stop();
      }
    });
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
