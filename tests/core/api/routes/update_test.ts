import assert from "node:assert/strict";
import { UPDATER_CAPABILITY, type UpdaterControl } from "../../../../core/mod.ts";
import { withFixture } from "../fixture.ts";

class FakeUpdater implements UpdaterControl {
  received: { manifest: string; artifact: Uint8Array }[] = [];
  async upload(manifest: Uint8Array, artifact: ReadableStream<Uint8Array>) {
    const bytes = new Uint8Array(await new Response(artifact).arrayBuffer());
    this.received.push({ manifest: new TextDecoder().decode(manifest), artifact: bytes });
    const ok = new TextDecoder().decode(manifest).includes("good");
    return ok
      ? { accepted: true, message: "staged 1.2.3", version: "1.2.3" }
      : { accepted: false, message: "bad signature" };
  }
  announce() {
    return Promise.resolve({ accepted: false, message: "n/a" });
  }
  status() {
    return { current: "1.0.0" };
  }
}

function artifactBytes(n: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
}

Deno.test("an admin uploads artifact and manifest as multipart; the updater gets both intact", () =>
  withFixture(async (f) => {
    const updater = new FakeUpdater();
    f.gateway.pipeline.capabilities.provide(UPDATER_CAPABILITY, updater, "updater");
    const bytes = artifactBytes(300_000);
    const form = new FormData();
    form.append("manifest", new Blob(['{"sig":"good"}']), "manifest.json");
    form.append("artifact", new Blob([bytes]), "gateway-1.2.3");
    const r = await f.fetch("/api/v1/update", { method: "POST", token: f.tokens.admin, body: form });
    assert.equal(r.status, 202);
    assert.deepEqual(await r.json(), { accepted: true, message: "staged 1.2.3", version: "1.2.3" });
    assert.equal(updater.received[0]!.manifest, '{"sig":"good"}');
    assert.deepEqual(updater.received[0]!.artifact, bytes);
    const left = [...Deno.readDirSync(`${f.dir}/state/http/tmp`)];
    assert.deepEqual(left, [], "the spooled upload is removed");
  }));

Deno.test("an upload the updater rejects is answered 422 with its reason", () =>
  withFixture(async (f) => {
    f.gateway.pipeline.capabilities.provide(UPDATER_CAPABILITY, new FakeUpdater(), "updater");
    const r = await f.fetch("/api/v1/update", {
      method: "POST",
      token: f.tokens.admin,
      headers: { "content-type": "application/octet-stream", "x-update-manifest": btoa('{"sig":"forged"}') },
      body: artifactBytes(1000),
    });
    assert.equal(r.status, 422);
    assert.equal((await r.json()).message, "bad signature");
  }));

Deno.test("an upload missing a part is a 400 naming it", () =>
  withFixture(async (f) => {
    f.gateway.pipeline.capabilities.provide(UPDATER_CAPABILITY, new FakeUpdater(), "updater");
    const form = new FormData();
    form.append("artifact", new Blob([artifactBytes(10)]));
    const r = await f.fetch("/api/v1/update", { method: "POST", token: f.tokens.admin, body: form });
    assert.equal(r.status, 400);
    assert.match((await r.json()).error, /missing part manifest/);
  }));

Deno.test("an upload over max_upload_bytes is answered 413 and nothing reaches the updater", () =>
  withFixture(async (f) => {
    const updater = new FakeUpdater();
    f.gateway.pipeline.capabilities.provide(UPDATER_CAPABILITY, updater, "updater");
    const form = new FormData();
    form.append("manifest", new Blob(["good"]));
    form.append("artifact", new Blob([artifactBytes(10_000)]));
    const r = await f.fetch("/api/v1/update", { method: "POST", token: f.tokens.admin, body: form });
    assert.equal(r.status, 413);
    await r.body?.cancel();
    assert.equal(updater.received.length, 0);
  }, { httpYaml: "  limits: { max_upload_bytes: 4096 }\n" }));

Deno.test("update answers 503 when no updater runs and 403 for non-admins", () =>
  withFixture(async (f) => {
    const none = await f.fetch("/api/v1/update", { method: "POST", token: f.tokens.admin, body: "x" });
    assert.equal(none.status, 503);
    assert.match((await none.json()).error, /capability "updater"/);
    const op = await f.fetch("/api/v1/update", { method: "POST", token: f.tokens.operator, body: "x" });
    assert.equal(op.status, 403);
    await op.body?.cancel();
  }));
