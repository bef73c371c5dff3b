import assert from "node:assert/strict";
import { Quality, Status } from "../../../core/mod.ts";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, FAST, recorder, waitFor } from "./_harness.ts";

const NODES = [{ name: "level" }, { name: "flow" }];

Deno.test("opcua source recovers from a server restart and a server-side session loss without intervention", async (t) => {
  const dir = await Deno.makeTempDir();
  const serverPki = `${dir}/server_pki`;
  let plant = await startOpcuaPlant({ nodes: NODES, pkiDir: serverPki });
  const port = plant.port;
  const rec = recorder(`${dir}/state`);
  const source = new OpcuaSource(config({
    endpoint: plant.endpoint,
    ...FAST,
    keepalive_count: 3,
    session_timeout_ms: 5000,
    backfill: { enabled: false },
    nodes: NODES.map((n) => ({ name: n.name, node_id: plant.nodeId(n.name) })),
  }));
  await source.start(rec.ctx);
  const live = (v: number) =>
    rec.samples.some((s) => s.tag === "plc.level" && s.value === v && !s.historical);
  try {
    await t.step("server restart: outage is marked Bad, data resumes and the gap is reported", async () => {
      plant.set("level", 1);
      await waitFor(() => live(1), "level 1");
      await plant.stop();
      await waitFor(() => source.health().state === "reconnecting", "reconnecting state");
      await waitFor(
        () => rec.samples.some((s) => s.tag === "plc.level" && s.status === Status.BadNotConnected),
        "BadNotConnected sample",
      );
      assert.ok(rec.events.some((e) => e.type === "source.disconnected"));
      const down = source.health();
      assert.equal(down.details!.connected, false);
      assert.equal(typeof down.details!.reconnecting_since, "number");
      assert.ok(down.lastError);
      await new Promise((r) => setTimeout(r, 600));
      plant = await startOpcuaPlant({ nodes: NODES, pkiDir: serverPki, port });
      plant.set("level", 2);
      await waitFor(() => live(2), "level 2 after restart", 15_000).catch((e) => {
        console.error(rec.logs.filter((l) => !l.includes("lib=node-opcua")).join("\n"));
        throw e;
      });
      const gap = rec.events.find((e) => e.type === "source.data_gap")!;
      assert.ok(gap, "data gap event");
      assert.ok((gap.data!.durationMs as number) >= 600, `gap ${gap.data!.durationMs}`);
      const h = source.health();
      assert.equal(h.state, "connected");
      assert.equal(h.details!.reconnects, 1);
      assert.ok((h.details!.last_gap_ms as number) >= 600);
    });

    await t.step(
      "server forgets the session (BadSessionIdInvalid): a fresh session and subscriptions",
      async () => {
        const sessions = plant.server.engine.currentSessionCount;
        assert.equal(sessions, 1);
        const [session] = Object.values(
          (plant.server.engine as unknown as { _sessions: Record<string, unknown> })._sessions,
        ) as {
          authenticationToken: unknown;
        }[];
        plant.server.engine.closeSession(session!.authenticationToken as never, true, "Terminated");
        await waitFor(() => (source.health().details!.reconnects as number) >= 2, "second reconnect", 15_000);
        plant.set("level", 3);
        await waitFor(() => live(3), "level 3 on the new session");
        const last = rec.samples.filter((s) => s.tag === "plc.level").at(-1)!;
        assert.equal(last.quality, Quality.Good);
      },
    );

    await t.step("a subscription that goes silent is detected by the watchdog and recreated", async () => {
      const sessions = (plant.server.engine as unknown as {
        _sessions: Record<string, { publishEngine: Record<string, unknown> }>;
      })._sessions;
      for (const s of Object.values(sessions)) {
        // The server keeps the channel and session but stops answering publish requests.
        s.publishEngine._send_response = () => {};
        s.publishEngine.send_keep_alive_response = () => true;
      }
      const before = source.health().details!.reconnects as number;
      await waitFor(
        () => (source.health().details!.reconnects as number) > before,
        "watchdog reconnect",
        15_000,
      );
      const lost = rec.events.filter((e) => e.type === "source.disconnected").at(-1)!;
      assert.match(lost.message, /stalled: nothing for \d+ ms/);
      plant.set("level", 4);
      await waitFor(() => live(4), "level 4 after the stall");
    });

    await t.step("poll mode keeps reading when the server forgets its session", async () => {
      const prec = recorder(`${dir}/poll_state`, "poller");
      const poller = new OpcuaSource(config({
        endpoint: plant.endpoint,
        ...FAST,
        mode: "poll",
        poll_interval_ms: 100,
        backfill: { enabled: false },
        nodes: NODES.map((n) => ({ name: n.name, node_id: plant.nodeId(n.name) })),
      }, "poller"));
      await poller.start(prec.ctx);
      try {
        plant.set("flow", 5);
        await waitFor(() => prec.samples.some((s) => s.tag === "poller.flow" && s.value === 5), "polled 5");
        const sessions = (plant.server.engine as unknown as {
          _sessions: Record<string, { authenticationToken: unknown }>;
        })._sessions;
        const before = Object.keys(sessions);
        for (const s of Object.values(sessions)) {
          plant.server.engine.closeSession(s.authenticationToken as never, true, "Terminated");
        }
        plant.set("flow", 6);
        // The next Read meets BadSessionIdInvalid; a fresh session carries on (node-opcua repairs it in place
        // for plain Reads, the supervisor otherwise).
        await waitFor(() => prec.samples.some((s) => s.tag === "poller.flow" && s.value === 6), "polled 6");
        const after = Object.keys(sessions);
        assert.ok(after.length > 0 && after.every((k) => !before.includes(k)), "new sessions only");
        assert.notEqual(poller.health().state, "reconnecting");
      } finally {
        await poller.stop();
      }
    });
  } finally {
    await source.stop();
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
