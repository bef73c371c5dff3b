import assert from "node:assert/strict";
import { Quality, Status } from "../../../core/mod.ts";
import { ModbusSource } from "../../../adapters/modbus/mod.ts";
import { modbusConfig, PyPeer, recordingContext } from "./_helpers.ts";

Deno.test("a device that is killed and restarted is read again without intervention", async () => {
  let peer = await PyPeer.start({ values: [{ table: "holding", address: 0, type: "uint16", value: 7 }] });
  const port = peer.port;
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [{
      name: "plc",
      host: "127.0.0.1",
      port,
      poll_interval_ms: 50,
      timeout_ms: 300,
      reconnect: { initial_ms: 50, max_ms: 200 },
      registers: [{ name: "v", address: 0 }],
    }],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.some((x) => x.value === 7));
    await peer.kill();
    await ctx.waitFor((s) => s.at(-1)?.quality === Quality.Bad);
    await ctx.waitFor(() => source.health().state === "reconnecting");
    const bad = ctx.samples.at(-1)!;
    assert.ok(bad.reason, "a Bad sample carries its reason");
    peer = await PyPeer.start({ port, values: [{ table: "holding", address: 0, type: "uint16", value: 8 }] });
    await ctx.waitFor((s) => s.at(-1)?.value === 8, 5000);
    assert.equal(source.health().state, "connected");
    const types = ctx.events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ["source.connected", "source.disconnected", "source.connected"]);
    const d = source.devices[0]!.health;
    assert.equal(d.reconnects, 1);
  } finally {
    await source.stop();
    await peer.close();
  }
});

Deno.test("a peer that accepts but never answers gives timeout samples, and the stuck socket is recreated", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) conns.push(c); // swallow: never read, never answer
  })();
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [{
      name: "mute",
      host: "127.0.0.1",
      port: (listener.addr as Deno.NetAddr).port,
      poll_interval_ms: 50,
      timeout_ms: 150,
      retries: 0,
      reconnect: { initial_ms: 20, max_ms: 50 },
      registers: [{ name: "v", address: 0 }],
    }],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.length >= 3, 4000);
    const s = ctx.samples[0]!;
    assert.equal(s.quality, Quality.Bad);
    assert.equal(s.status, Status.BadTimeout);
    assert.equal(s.reason, "timeout after 150 ms");
    await ctx.waitFor(() => conns.length >= 2, 4000);
    assert.equal(source.health().state, "reconnecting");
  } finally {
    await source.stop();
    listener.close();
    for (const c of conns) c.close();
    await accepting.catch(() => {});
  }
});

Deno.test("exceptions and an absent unit become Bad samples with the exception named, and polling goes on", async () => {
  const peer = await PyPeer.start({ size: 10, units: [1] });
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [
      {
        name: "a",
        host: "127.0.0.1",
        port: peer.port,
        poll_interval_ms: 50,
        registers: [{ name: "ok", address: 0 }, { name: "missing", address: 50 }],
      },
      {
        name: "ghost",
        host: "127.0.0.1",
        port: peer.port,
        unit_id: 9,
        poll_interval_ms: 50,
        timeout_ms: 200,
        retries: 0,
        registers: [{ name: "v", address: 0 }],
      },
    ],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.filter((x) => x.tag === "mb.a.missing").length >= 3);
    await ctx.waitFor((s) => s.some((x) => x.tag === "mb.ghost.v"));
    const missing = ctx.samples.find((s) => s.tag === "mb.a.missing")!;
    assert.equal(missing.quality, Quality.Bad);
    assert.equal(missing.status, Status.BadDeviceFailure);
    assert.equal(missing.reason, "exception 2 illegal data address");
    assert.equal(ctx.samples.find((s) => s.tag === "mb.a.ok")!.quality, Quality.Good);
    const ghost = ctx.samples.find((s) => s.tag === "mb.ghost.v")!;
    assert.equal(ghost.quality, Quality.Bad);
    assert.match(ghost.reason!, /^exception 11 gateway target device failed to respond|^timeout/);
    const h = source.health();
    assert.equal(h.state, "degraded");
  } finally {
    await source.stop();
    await peer.close();
  }
});

Deno.test("RTU framing over TCP reads the same values as Modbus TCP", async () => {
  const peer = await PyPeer.start({
    framer: "rtu",
    units: [3],
    values: [{ table: "input", address: 4, type: "float32", order: "CDAB", value: 21.5 }],
  });
  const ctx = recordingContext();
  const source = new ModbusSource(modbusConfig({
    devices: [{
      name: "rtu",
      transport: "rtu_over_tcp",
      host: "127.0.0.1",
      port: peer.port,
      unit_id: 3,
      order: "CDAB",
      poll_interval_ms: 100,
      registers: [{ name: "t", table: "input", address: 4, type: "float32" }],
    }],
  }));
  try {
    await source.start(ctx);
    await ctx.waitFor((s) => s.length >= 1);
    assert.equal(ctx.samples[0]!.value, 21.5);
  } finally {
    await source.stop();
    await peer.close();
  }
});

Deno.test("RTU on a serial line (a socat pty pair) reads what the pymodbus serial server encoded", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb_rtu_" });
  const gw = `${dir}/gw`, dev = `${dir}/dev`;
  const socat = new Deno.Command("socat", {
    args: [`pty,raw,echo=0,link=${gw}`, `pty,raw,echo=0,link=${dev}`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let peer: PyPeer | undefined;
  const ctx = recordingContext();
  let source: ModbusSource | undefined;
  try {
    for (let i = 0; i < 100; i++) {
      if (
        await Deno.stat(dev).then(() => true, () => false) &&
        await Deno.stat(gw).then(() => true, () => false)
      ) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    peer = await PyPeer.start({
      serial: dev,
      baud: 19200,
      units: [5],
      values: [
        { table: "holding", address: 10, type: "int32", order: "CDAB", value: -123456 },
        { table: "coil", address: 2, value: [true] },
      ],
    });
    source = new ModbusSource(modbusConfig({
      devices: [{
        name: "rtu",
        transport: "rtu",
        serial: { path: gw, baud_rate: 19200 },
        unit_id: 5,
        order: "CDAB",
        poll_interval_ms: 100,
        inter_request_delay_ms: 5,
        registers: [{ name: "count", address: 10, type: "int32" }, {
          name: "run",
          table: "coil",
          address: 2,
        }],
      }],
    }));
    await source.start(ctx);
    await ctx.waitFor((s) => s.some((x) => x.tag === "mb.rtu.count" && x.quality === Quality.Good), 8000);
    assert.equal(
      ctx.samples.find((s) => s.tag === "mb.rtu.count" && s.quality === Quality.Good)!.value,
      -123456,
    );
    assert.equal(ctx.samples.find((s) => s.tag === "mb.rtu.run" && s.quality === Quality.Good)!.value, true);
  } finally {
    await source?.stop();
    await peer?.close();
    socat.kill("SIGTERM");
    await socat.status;
    await Deno.remove(dir, { recursive: true });
  }
});
