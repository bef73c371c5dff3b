import assert from "node:assert/strict";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { config, recorder, waitFor } from "./_harness.ts";

Deno.test("stopping while a silent host holds the connect attempt returns at once", async () => {
  // A TCP peer that accepts and never answers the OPC UA Hello.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const c of listener) held.push(c);
    } catch { /* closed */ }
  })();
  const dir = await Deno.makeTempDir();
  try {
    const rec = recorder(dir);
    const source = new OpcuaSource(config({
      endpoint: `opc.tcp://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/silent`,
      request_timeout_ms: 30_000,
      nodes: [{ name: "a", node_id: "ns=1;s=A" }],
    }));
    await source.start(rec.ctx);
    await waitFor(() => held.length > 0, "the connect attempt");
    const t0 = performance.now();
    await source.stop();
    const took = performance.now() - t0;
    assert.ok(took < 5000, `stop took ${took} ms`);
    assert.equal(source.health().state, "stopped");
    assert.equal(rec.samples.length, 0);
  } finally {
    listener.close();
    for (const c of held) {
      try {
        c.close();
      } catch { /* already closed by the client */ }
    }
    await accepting;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unusable PKI folder is a clear fatal error at start", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "not a folder");
    const source = new OpcuaSource(config({
      endpoint: "opc.tcp://127.0.0.1:4840/x",
      pki_dir: `${dir}/file/pki`,
      nodes: [{ name: "a", node_id: "ns=1;s=A" }],
    }));
    await assert.rejects(() => source.start(recorder(dir).ctx), (e: Error) => {
      assert.equal(e.name, "FatalError");
      assert.match(e.message, new RegExp(`PKI folder ${dir}/file/pki cannot be used`));
      return true;
    });
    await source.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
