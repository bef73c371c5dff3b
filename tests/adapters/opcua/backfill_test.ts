import assert from "node:assert/strict";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, FAST, recorder, waitFor } from "./_harness.ts";

const NODES = [{ name: "level" }, { name: "no_history", history: false }];

Deno.test("backfill: HistoryRead fills the gap while the gateway was down and while the connection was lost", async (t) => {
  const plant = await startOpcuaPlant({ nodes: NODES });
  const dir = await Deno.makeTempDir();
  const cfg = config({
    endpoint: plant.endpoint,
    ...FAST,
    reconnect: { initial_ms: 1500, max_ms: 1500 },
    backfill: { min_gap_ms: 0 },
    nodes: NODES.map((n) => ({ name: n.name, node_id: plant.nodeId(n.name) })),
  });
  try {
    await t.step(
      "after a gateway restart, values written while it was down arrive as historical samples",
      async () => {
        const t0 = Date.now();
        const first = recorder(`${dir}/state`);
        const a = new OpcuaSource(cfg);
        await a.start(first.ctx);
        plant.set("level", 1, t0);
        await waitFor(() => first.samples.some((s) => s.value === 1), "live value 1");
        await a.stop(); // persists last-seen
        const saved = JSON.parse(await Deno.readTextFile(`${dir}/state/last_seen.json`));
        assert.equal(saved.nodes[plant.nodeId("level")], t0);
        const written: number[] = [];
        for (let i = 2; i <= 5; i++) {
          await new Promise((r) => setTimeout(r, 5));
          written.push(Date.now());
          plant.set("level", i, written.at(-1));
        }
        plant.set("no_history", 9);
        await new Promise((r) => setTimeout(r, 5));

        const second = recorder(`${dir}/state`);
        const b = new OpcuaSource(cfg);
        await b.start(second.ctx);
        try {
          await waitFor(() => second.events.some((e) => e.type === "source.backfill"), "backfill event");
          const hist = second.samples.filter((s) => s.historical && s.tag === "plc.level");
          // 2..4 come from history with their source timestamps; 5, the current value, arrives exactly once
          // (live or historical, whichever is first).
          assert.deepEqual(hist.slice(0, 3).map((s) => s.value), [2, 3, 4]);
          assert.deepEqual(hist.slice(0, 3).map((s) => s.ts), written.slice(0, 3));
          await waitFor(() => second.samples.some((s) => s.value === 5), "value 5");
          await new Promise((r) => setTimeout(r, 300));
          assert.equal(second.samples.filter((s) => s.value === 5).length, 1);
          assert.ok(!second.samples.some((s) => s.tag === "plc.level" && s.ts <= t0 && s.historical));
          const ev = second.events.find((e) => e.type === "source.backfill")!;
          assert.equal(ev.data!.unsupported, 1, "the node without history is reported");
          const gap = second.events.find((e) => e.type === "source.data_gap")!;
          assert.equal(gap.data!.cause, "gateway_down");
          assert.equal(gap.data!.from, t0);
          // historical samples never enter the live ring
          assert.equal(second.store.get("plc.level")!.latest!.value, 5);
        } finally {
          await b.stop();
        }
      },
    );

    await t.step("after a lost session, the reconnect gap is read back", async () => {
      const rec = recorder(`${dir}/state2`);
      const src = new OpcuaSource(cfg);
      await src.start(rec.ctx);
      try {
        const base = Date.now();
        plant.set("level", 10, base);
        await waitFor(() => rec.samples.some((s) => s.value === 10), "live 10");
        const sessions =
          (plant.server.engine as unknown as { _sessions: Record<string, { authenticationToken: unknown }> })
            ._sessions;
        for (const s of Object.values(sessions)) {
          plant.server.engine.closeSession(s.authenticationToken as never, true, "Terminated");
        }
        for (let i = 11; i <= 13; i++) plant.set("level", i, base + (i - 10) * 100);
        await waitFor(
          () => rec.events.some((e) => e.type === "source.backfill"),
          "backfill after reconnect",
          15_000,
        );
        const hist = rec.samples.filter((s) => s.historical && s.tag === "plc.level").map((s) => s.value);
        const live = rec.samples.filter((s) => !s.historical && s.tag === "plc.level" && s.quality === 0)
          .map((s) => s.value);
        // every value reached the gateway exactly once, live or historical
        assert.deepEqual([...hist, ...live].filter((v) => (v as number) >= 10).sort(), [10, 11, 12, 13]);
        assert.ok(hist.length >= 2, `historical ${hist}`);
        assert.ok(rec.events.some((e) => e.type === "source.data_gap" && e.data!.cause === "connection"));
      } finally {
        await src.stop();
      }
    });
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
