import assert from "node:assert/strict";
import Modbus from "modbus-serial";
import { ModbusSource, RequestLimiter } from "../../../adapters/modbus/mod.ts";
import { modbusConfig, recordingContext } from "./_helpers.ts";

Deno.test("limiter caps requests in flight and runs one request per endpoint at a time", async () => {
  const limiter = new RequestLimiter();
  limiter.claim("a", 2);
  limiter.claim("b", 3);
  assert.equal(limiter.capacity, 2);
  let inFlight = 0, peak = 0;
  const perKey = new Map<string, number>();
  let keyPeak = 0;
  const job = (key: string) =>
    limiter.run(key, async () => {
      inFlight++;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      peak = Math.max(peak, inFlight);
      keyPeak = Math.max(keyPeak, perKey.get(key)!);
      await new Promise((r) => setTimeout(r, 5));
      perKey.set(key, perKey.get(key)! - 1);
      inFlight--;
    });
  await Promise.all(["x", "x", "y", "z", "x", "y", "w", "z"].map(job));
  assert.equal(peak, 2);
  assert.equal(keyPeak, 1);
  limiter.release("a");
  assert.equal(limiter.capacity, 3);
  assert.throws(() => limiter.claim("c", 0), RangeError);
});

Deno.test("limiter stops waiting when the caller's signal aborts", async () => {
  const limiter = new RequestLimiter(1);
  let release!: () => void;
  const first = limiter.run("k", () => new Promise<void>((r) => (release = r)));
  const abort = new AbortController();
  const second = limiter.run("k", () => Promise.resolve("ran"), abort.signal);
  abort.abort(new Error("stopped"));
  await assert.rejects(second, /stopped/);
  release();
  await first;
  assert.equal(limiter.waiting, 0);
});

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("modbus sources share one process-wide limit against modbus-serial ServerTCP peers", async () => {
  let inFlight = 0, peak = 0;
  const perServer = [0, 0, 0, 0];
  const perServerPeak = [0, 0, 0, 0];
  const servers: InstanceType<typeof Modbus.ServerTCP>[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 4; i++) {
    const port = freePort();
    ports.push(port);
    const server = new Modbus.ServerTCP({
      getMultipleHoldingRegisters: (
        addr: number,
        len: number,
        _unit: number,
        cb: (e: Error | null, v: number[]) => void,
      ) => {
        inFlight++;
        perServer[i]!++;
        peak = Math.max(peak, inFlight);
        perServerPeak[i] = Math.max(perServerPeak[i]!, perServer[i]!);
        setTimeout(() => {
          inFlight--;
          perServer[i]!--;
          cb(null, Array.from({ length: len }, (_, k) => addr + k + i * 1000));
        }, 15);
      },
    }, { host: "127.0.0.1", port });
    await new Promise<void>((resolve) => server.on("initialized", () => resolve()));
    servers.push(server);
  }
  const dev = (name: string, port: number, unit_id = 1) => ({
    name,
    host: "127.0.0.1",
    port,
    unit_id,
    poll_interval_ms: 10,
    registers: [{ name: "a", address: 0 }, { name: "b", address: 1 }],
  });
  const ctxA = recordingContext("a");
  const ctxB = recordingContext("b");
  const a = new ModbusSource(
    modbusConfig({ max_concurrent_requests: 2, devices: [dev("d0", ports[0]!), dev("d1", ports[1]!)] }),
  );
  const b = new ModbusSource(modbusConfig({
    max_concurrent_requests: 3,
    devices: [
      dev("d2", ports[2]!),
      dev("d3", ports[3]!),
      dev("d3u2", ports[3]!, 2),
      dev("d0again", ports[0]!),
    ],
  }));
  try {
    await a.start(ctxA);
    await b.start(ctxB);
    await ctxB.waitFor((s) => s.filter((x) => x.tag === "mb.d3u2.b").length >= 5, 8000);
    await ctxA.waitFor((s) => s.filter((x) => x.tag === "mb.d1.b").length >= 5, 8000);
    assert.equal(peak, 2, "the smallest configured limit (2) applies to both sources together");
    assert.deepEqual(perServerPeak, [1, 1, 1, 1], "never two requests at once to one endpoint");
    assert.equal(ctxB.samples.findLast((s) => s.tag === "mb.d3.b")!.value, 3001);
    assert.ok(ctxA.samples.every((s) => s.quality === 0));
  } finally {
    await a.stop();
    await b.stop();
    for (const s of servers) await new Promise((r) => s.close(r));
  }
});
