import assert from "node:assert/strict";
import { DataType, StatusCodes, type UAVariable } from "node-opcua";
import { Quality } from "../../../core/mod.ts";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { type OpcuaPlant, startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, FAST, type Recorder, recorder, waitFor } from "./_harness.ts";

/** Adds a Double variable `ns=1;s=Plant.<name>` to the running plant (what a PLC program download does). */
function addVariable(plant: OpcuaPlant, name: string): UAVariable {
  const addressSpace = plant.server.engine.addressSpace!;
  return addressSpace.getOwnNamespace().addVariable({
    organizedBy: addressSpace.rootFolder.objects,
    browseName: name,
    nodeId: `s=Plant.${name}`,
    dataType: "Double",
  });
}

function setValue(v: UAVariable, value: number): void {
  v.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
}

/** Server session ids, and monitored items per session on the server. */
function serverSessions(plant: OpcuaPlant): { ids: string[]; items: number[] } {
  const sessions = (plant.server.engine as unknown as {
    _sessions: Record<string, { publishEngine: { subscriptions: { monitoredItemCount: number }[] } }>;
  })._sessions;
  return {
    ids: Object.keys(sessions).sort(),
    items: Object.values(sessions).map((s) =>
      s.publishEngine.subscriptions.reduce((n, sub) => n + sub.monitoredItemCount, 0)
    ),
  };
}

const logsOf = (rec: Recorder, what: string, node: string) =>
  rec.logs.filter((l) => l.includes(what) && l.includes(node));
const good = (rec: Recorder, tag: string, value: number) =>
  rec.samples.some((s) => s.tag === tag && s.value === value && s.quality === Quality.Good);
const details = (source: OpcuaSource) => source.health().details!;
const unavailable = (source: OpcuaSource) => (details(source).items as Record<string, number>).unavailable;
const metric = (rec: Recorder, name: string) =>
  rec.ctx.metrics.render().split("\n").find((l) => l.startsWith(`${name}{source="${rec.ctx.name}"}`));

Deno.test("a node missing at subscription time is created in the same session once the server adds it", async () => {
  const plant = await startOpcuaPlant({ nodes: [{ name: "level", history: false }] });
  const dir = await Deno.makeTempDir();
  const late = "ns=1;s=Plant.late";
  const make = (name: string, retry: number) =>
    new OpcuaSource(config({
      endpoint: plant.endpoint,
      ...FAST,
      item_retry_s: retry,
      backfill: { enabled: false },
      nodes: [{ name: "level", node_id: plant.nodeId("level") }, { name: "late", node_id: late }],
    }, name));
  const rec = recorder(`${dir}/on`);
  const off = recorder(`${dir}/off`, "off");
  const source = make("plc", 1);
  const noRetry = make("off", 0);
  try {
    await source.start(rec.ctx);
    await noRetry.start(off.ctx);
    await waitFor(() => rec.samples.some((s) => s.tag === "plc.late"), "a sample for the missing node");
    await waitFor(
      () => off.samples.some((s) => s.tag === "off.late"),
      "the same from the source without retry",
    );
    const bad = rec.samples.find((s) => s.tag === "plc.late")!;
    assert.equal(bad.quality, Quality.Bad);
    assert.equal(bad.status, StatusCodes.BadNodeIdUnknown.value);
    assert.match(bad.reason ?? "", /BadNodeIdUnknown/);
    await waitFor(() => unavailable(source) === 1, "one unavailable item in the health details");
    assert.equal(source.health().state, "degraded");
    assert.deepEqual(details(source).refused_nodes, [`${late}: BadNodeIdUnknown`]);
    assert.equal(
      metric(rec, "gateway_opcua_items_unavailable"),
      `gateway_opcua_items_unavailable{source="plc"} 1`,
    );
    const before = serverSessions(plant);
    assert.equal(before.ids.length, 2);

    // Three retry periods pass with the node still missing: no new warning, no new Bad sample.
    await new Promise((r) => setTimeout(r, 3200));
    assert.equal(logsOf(rec, "node unavailable", late).length, 1, rec.logs.join("\n"));
    assert.equal(rec.samples.filter((s) => s.tag === "plc.late").length, 1);

    const v = addVariable(plant, "late");
    setValue(v, 42);
    await waitFor(() => good(rec, "plc.late", 42), "values of the added node", 5000);
    setValue(v, 43);
    await waitFor(() => good(rec, "plc.late", 43), "the next value of the added node");
    await waitFor(() => unavailable(source) === 0, "no unavailable item left");
    const h = details(source);
    assert.equal(source.health().state, "connected");
    assert.equal(h.reconnects, 0);
    assert.equal(h.item_recoveries, 1);
    assert.deepEqual(h.refused_nodes, []);
    assert.deepEqual(serverSessions(plant).ids, before.ids, "the same sessions, no reconnect");
    assert.equal(logsOf(rec, "node available again", late).length, 1);
    assert.equal(
      metric(rec, "gateway_opcua_item_recoveries_total"),
      `gateway_opcua_item_recoveries_total{source="plc"} 1`,
    );
    assert.equal(
      metric(rec, "gateway_opcua_items_unavailable"),
      `gateway_opcua_items_unavailable{source="plc"} 0`,
    );

    // With item_retry_s: 0 the item waits for the next reconnect.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(good(off, "off.late", 43), false);
    assert.equal(unavailable(noRetry), 1);
    assert.match(logsOf(off, "node unavailable", late)[0] ?? "", /next reconnect/);
  } finally {
    await source.stop();
    await noRetry.stop();
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a node deleted while subscribed reports Bad and flows again once added back, without a reconnect", async () => {
  const plant = await startOpcuaPlant({
    nodes: [{ name: "level", history: false }, { name: "temp", history: false }],
  });
  const dir = await Deno.makeTempDir();
  const rec = recorder(dir);
  const temp = plant.nodeId("temp");
  const source = new OpcuaSource(config({
    endpoint: plant.endpoint,
    ...FAST,
    item_retry_s: 1,
    backfill: { enabled: false },
    nodes: [{ name: "level", node_id: plant.nodeId("level") }, { name: "temp", node_id: temp }],
  }));
  try {
    await source.start(rec.ctx);
    plant.set("temp", 5);
    await waitFor(() => good(rec, "plc.temp", 5), "temp 5");
    const before = serverSessions(plant);
    assert.deepEqual(before.items, [2]);

    const addressSpace = plant.server.engine.addressSpace!;
    addressSpace.deleteNode(addressSpace.findNode(temp)!);
    await waitFor(
      () => rec.samples.some((s) => s.tag === "plc.temp" && s.status === StatusCodes.BadNodeIdInvalid.value),
      "BadNodeIdInvalid for the deleted node",
    );
    const gone = rec.samples.find((s) => s.tag === "plc.temp" && s.quality === Quality.Bad)!;
    assert.match(gone.reason ?? "", /BadNodeIdInvalid/);
    await waitFor(() => unavailable(source) === 1, "one unavailable item");
    assert.equal(source.health().state, "degraded");
    // Retries meanwhile: the dead item is deleted on the server; creating it again is refused for now.
    await waitFor(
      () => serverSessions(plant).items[0] === 1,
      "the dead monitored item deleted on the server",
    );
    await new Promise((r) => setTimeout(r, 2200));
    plant.set("level", 9);
    await waitFor(() => good(rec, "plc.level", 9), "the other tag keeps flowing");
    assert.equal(logsOf(rec, "node unavailable", temp).length, 1, rec.logs.join("\n"));
    const bads = rec.samples.filter((s) => s.tag === "plc.temp" && s.quality === Quality.Bad);
    assert.deepEqual(bads.map((s) => s.reason?.match(/Bad\w+/)?.[0]), [
      "BadNodeIdInvalid",
      "BadNodeIdUnknown",
    ]);

    const v = addVariable(plant, "temp");
    setValue(v, 77);
    await waitFor(() => good(rec, "plc.temp", 77), "values of the node added back", 5000);
    setValue(v, 78);
    await waitFor(() => good(rec, "plc.temp", 78), "the next value");
    await waitFor(() => unavailable(source) === 0, "no unavailable item left");
    const h = details(source);
    assert.equal(h.reconnects, 0);
    assert.equal(h.item_recoveries, 1);
    assert.equal(source.health().state, "connected");
    const after = serverSessions(plant);
    assert.deepEqual(after.ids, before.ids, "the same session, no reconnect");
    assert.deepEqual(after.items, [2], "one monitored item per node on the server, nothing orphaned");
    assert.equal(logsOf(rec, "node available again", temp).length, 1);
    assert.equal(rec.events.filter((e) => e.type === "source.connected").length, 1);
  } finally {
    await source.stop();
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
