import assert from "node:assert/strict";
import { Updater } from "../../../core/update/updater.ts";
import { currentVersion } from "../../../core/update/switch.ts";
import {
  fakeReleaseTarGz,
  hostArch,
  makeKeys,
  makeRoot,
  makeRoot0,
  signManifest,
  snapshot,
} from "./fixtures.ts";

/** Serves the artifact on 127.0.0.1 with a chosen misbehaviour. */
function serve(bytes: Uint8Array<ArrayBuffer>, mode: "ok" | "oversize" | "missing") {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    if (mode === "missing") return new Response("no such release", { status: 404 });
    const body = mode === "oversize"
      ? new ReadableStream({
        start(c) {
          c.enqueue(bytes);
          c.enqueue(new Uint8Array(1 << 20));
          c.close();
        },
      })
      : bytes;
    return new Response(body);
  });
}

/** A raw HTTP/1.1 server announcing `length` bytes and sending `send` bytes before closing. */
function rawServer(bytes: Uint8Array, length: number, send: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    const conn = await listener.accept();
    try {
      await conn.read(new Uint8Array(4096));
      const head = `HTTP/1.1 200 OK\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`;
      await conn.write(new TextEncoder().encode(head));
      let off = 0;
      while (off < send) off += await conn.write(bytes.subarray(off, send));
    } catch {
      // client aborted
    } finally {
      conn.close();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async shutdown() {
      await done;
      listener.close();
    },
  };
}

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "announce_test_" });
  const keys = await makeKeys(1);
  const layout = await makeRoot0(dir, "1.0.0", await makeRoot(keys, 1, keys));
  const updater = new Updater({
    layout,
    trustedKeysFile: `${layout.root}/trust/root.json`,
    threshold: 1,
    healthWindowSeconds: 30,
    maxArtifactBytes: 10_000_000,
    downloadTimeoutMs: 5000,
    version: "1.0.0",
    target: { os: "linux", arch: hostArch(), form: "bundle" },
    dataDirs: [],
    backupSuffixes: [],
    event: () => {},
    requestRestart: () => {},
  });
  await updater.start();
  const artifact = await fakeReleaseTarGz(dir, "1.1.0", "healthy");
  const manifest = await signManifest({ version: "1.1.0", artifact, signers: keys });
  return { dir, layout, updater, artifact, manifest, bytes: await Deno.readFile(artifact) };
}

Deno.test("an announced release is fetched over HTTP, verified and switched to", async () => {
  const t = await setup();
  const server = serve(t.bytes, "ok");
  try {
    const out = await t.updater.announce(t.manifest, `http://127.0.0.1:${server.addr.port}/r.tar.gz`);
    assert.equal(out.accepted, true, out.message);
    assert.equal(await currentVersion(t.layout), "1.1.0");
  } finally {
    await server.shutdown();
    await Deno.remove(t.dir, { recursive: true });
  }
});

const cases: {
  name: string;
  reason: string;
  server: (b: Uint8Array<ArrayBuffer>) => { port: number; shutdown(): Promise<void> };
}[] = [
  { name: "cut off midway", reason: "truncated", server: (b) => rawServer(b, b.length, b.length >> 1) },
  { name: "longer than its manifest", reason: "oversize", server: (b) => withPort(serve(b, "oversize")) },
  {
    name: "announced with a too large Content-Length",
    reason: "oversize",
    server: (b) => rawServer(b, b.length * 10, 0),
  },
  { name: "missing (HTTP 404)", reason: "download", server: (b) => withPort(serve(b, "missing")) },
];

function withPort(s: Deno.HttpServer<Deno.NetAddr>) {
  return { port: s.addr.port, shutdown: () => s.shutdown() };
}

for (const c of cases) {
  Deno.test(`an announced download ${c.name} is rejected (${c.reason}) and nothing changes on disk`, async () => {
    const t = await setup();
    const server = c.server(t.bytes);
    try {
      const before = await snapshot(t.layout.root);
      const out = await t.updater.announce(t.manifest, `http://127.0.0.1:${server.port}/r.tar.gz`);
      assert.equal(out.accepted, false);
      assert.match(out.message, new RegExp(`rejected \\(${c.reason}\\)`), out.message);
      assert.deepEqual(await snapshot(t.layout.root), before);
    } finally {
      await server.shutdown();
      await Deno.remove(t.dir, { recursive: true });
    }
  });
}

Deno.test("an announcement with a non-HTTP URL is rejected before any transfer", async () => {
  const t = await setup();
  try {
    const out = await t.updater.announce(t.manifest, "file:///etc/passwd");
    assert.equal(out.accepted, false);
    assert.match(out.message, /rejected \(download\).*http/);
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});
