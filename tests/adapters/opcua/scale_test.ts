import assert from "node:assert/strict";
import { DataType, Variant } from "node-opcua";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, recorder, waitFor } from "./_harness.ts";

const COUNT = 5000;

Deno.test("5,000 monitored items are split across subscriptions on a server capped at 1,000 per subscription", async (t) => {
  const nodes = Array.from({ length: COUNT }, (_, i) => ({ name: `v${i}`, history: false }));
  const plant = await startOpcuaPlant({ nodes, maxItemsPerSubscription: 1000 });
  const dir = await Deno.makeTempDir();
  let round = 0;
  const run = async (requested: number) => {
    const rec = recorder(`${dir}/${++round}`);
    const source = new OpcuaSource(config({
      endpoint: plant.endpoint,
      publishing_interval_ms: 100,
      sampling_interval_ms: 100,
      max_items_per_subscription: requested,
      read_metadata: round === 1,
      backfill: { enabled: false },
      nodes: nodes.map((n) => ({ name: n.name, node_id: plant.nodeId(n.name) })),
    }));
    try {
      await source.start(rec.ctx);
      await waitFor(() => source.health().state === "connected", "connected", 30_000);
      const h = source.health();
      assert.equal(h.details!.subscriptions, 5);
      assert.deepEqual(h.details!.items, { configured: COUNT, monitored: COUNT, failed: 0, unavailable: 0 });
      const stamp = Date.now();
      for (let i = 0; i < COUNT; i++) plant.set(`v${i}`, i + round * 10_000, stamp);
      const seen = new Set<string>();
      await waitFor(
        () => {
          for (const s of rec.samples) if (s.ts === stamp) seen.add(s.tag);
          rec.samples.length = 0;
          return seen.size === COUNT;
        },
        `updates of all ${COUNT} items`,
        20_000,
      );
      assert.equal(rec.store.get("plc.v4999")!.latest!.value, 4999 + round * 10_000);
    } finally {
      await source.stop();
    }
  };
  try {
    await t.step("configured at the server's cap", () => run(1000));
    await t.step("configured above a cap the server declares: the declared cap wins", () => run(5000));
    await t.step(
      "configured above a cap the server does not declare: split on BadTooManyMonitoredItems",
      async () => {
        const declared = plant.server.engine.addressSpace!.findNode("i=24104") as unknown as {
          bindVariable(o: unknown, overwrite: boolean): void;
          readValue(): { value: { value: number } };
        };
        declared.bindVariable({ get: () => new Variant({ dataType: DataType.UInt32, value: 0 }) }, true);
        assert.equal(declared.readValue().value.value, 0);
        await run(5000);
      },
    );
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
