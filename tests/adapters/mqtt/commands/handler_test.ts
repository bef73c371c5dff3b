import assert from "node:assert/strict";
import { MqttSink } from "../../../../adapters/mqtt/mod.ts";
import { type GatewayControl, type UpdaterControl } from "../../../../core/mod.ts";
import { startBroker } from "../_broker.ts";
import { makeCtx, sinkConfig, subscribe, until } from "../_harness.ts";

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function signer() {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const sign = async (body: Record<string, unknown>, keyId = "ops") => {
    const payload = new TextEncoder().encode(JSON.stringify(body));
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, payload));
    return { payload: b64(payload), signature: b64(sig), key_id: keyId };
  };
  return { publicKey: b64(raw), sign };
}

Deno.test("mqtt commands: signed reload and update run, unsigned/tampered/foreign/replayed/malformed ones are refused and answered", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_cmd_" });
  const ops = await signer();
  const stranger = await signer();
  let reloads = 0;
  const announced: string[] = [];
  const gateway: GatewayControl = {
    health: () => ({}) as never,
    reload: () => {
      reloads++;
      return Promise.resolve({ started: [], stopped: [], restarted: ["x"], unchanged: [] });
    },
  };
  const updater: Partial<UpdaterControl> = {
    announce: (manifest, url) => {
      announced.push(`${new TextDecoder().decode(manifest)}@${url}`);
      return Promise.resolve({ accepted: true, message: "staged", version: "2.0.0" });
    },
  };
  const { ctx, events } = makeCtx(dir, { gateway, updater });
  const sink = new MqttSink(sinkConfig({
    brokers: [broker.url],
    commands: { trusted_keys: [{ id: "ops", public_key: ops.publicKey }] },
  }));
  const base = "gateway/plant-a/gw1";
  const sub = await subscribe(broker.url, [`${base}/cmd_result`]);
  const results = () => sub.json(/cmd_result$/);
  const send = (name: string, body: unknown) =>
    sub.client.publishAsync(`${base}/cmd/${name}`, typeof body === "string" ? body : JSON.stringify(body), {
      qos: 1,
    });
  const byId = (id: string) => results().filter((r) => r.id === id);
  const now = Date.now();
  try {
    await sink.start(ctx);
    await until(() => sink.health().state === "connected", "connection");
    await send("reload", await ops.sign({ id: "r1", command: "reload", gateway: "gw1", issued_at: now }));
    await sub.until(() => byId("r1").some((r) => r.status === "ok"), "reload result");
    assert.equal(reloads, 1);
    assert.deepEqual(byId("r1").map((r) => r.status), ["accepted", "ok"]);

    const manifest = b64(new TextEncoder().encode("MANIFEST"));
    await send(
      "update",
      await ops.sign({
        id: "u1",
        command: "update",
        gateway: "gw1",
        issued_at: now,
        args: { manifest, url: "https://rel/x" },
      }),
    );
    await sub.until(() => byId("u1").length > 0, "update result");
    assert.equal(byId("u1")[0]!.status, "ok");
    assert.deepEqual(announced, ["MANIFEST@https://rel/x"]);

    const refusals: [string, string, unknown, RegExp][] = [
      ["unsigned", "reload", { id: "n1", command: "reload" }, /must be signed/],
      [
        "replayed",
        "reload",
        await ops.sign({ id: "r1", command: "reload", gateway: "gw1", issued_at: now }),
        /replay/,
      ],
      [
        "foreign key",
        "reload",
        await stranger.sign({ id: "n2", command: "reload", gateway: "gw1", issued_at: now }),
        /bad signature/,
      ],
      [
        "unknown key id",
        "reload",
        await stranger.sign({ id: "n3", command: "reload", gateway: "gw1", issued_at: now }, "nobody"),
        /unknown key_id/,
      ],
      [
        "other gateway",
        "reload",
        await ops.sign({ id: "n4", command: "reload", gateway: "gw2", issued_at: now }),
        /addressed to gateway "gw2"/,
      ],
      [
        "stale",
        "reload",
        await ops.sign({ id: "n5", command: "reload", gateway: "gw1", issued_at: now - 3_600_000 }),
        /issued_at/,
      ],
      [
        "topic mismatch",
        "reload",
        await ops.sign({ id: "n6", command: "update", gateway: "gw1", issued_at: now }),
        /does not match/,
      ],
      ["not json", "reload", "{nope", /not JSON/],
      ["unknown command", "format-disk", { id: "n7" }, /unknown command/],
    ];
    const tampered = await ops.sign({ id: "n8", command: "reload", gateway: "gw1", issued_at: now });
    const forged = JSON.parse(atob(tampered.payload));
    forged.id = "n8-forged";
    refusals.push([
      "tampered",
      "reload",
      { ...tampered, payload: btoa(JSON.stringify(forged)) },
      /bad signature/,
    ]);
    for (const [, name, body] of refusals) await send(name, body);
    await sub.until(
      () => results().filter((r) => r.status === "refused").length === refusals.length,
      "every refusal answered",
    );
    const refused = results().filter((r) => r.status === "refused");
    for (const [what, , , re] of refusals) {
      assert.ok(refused.some((r) => re.test(r.message as string)), `${what} refused with ${re}`);
    }
    assert.equal(reloads, 1, "no refused command ran");
    assert.equal(events.filter((e) => e.type === "mqtt.command_refused").length, refusals.length);

    // rebirth needs no signature; it re-publishes the retained online status
    const statuses = () => sub.received.length;
    const before = statuses();
    await send("rebirth", { id: "b1" });
    await sub.until(() => byId("b1").length > 0, "rebirth result");
    assert.equal(byId("b1")[0]!.status, "ok");
    assert.ok(statuses() > before);
    assert.equal(sink.health().state, "connected", "the sink survived every bad command");
  } finally {
    await sink.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});

Deno.test("mqtt update command without an updater service is answered with an error", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_cmd2_" });
  const ops = await signer();
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(
    sinkConfig({
      brokers: [broker.url],
      commands: { trusted_keys: [{ id: "ops", public_key: ops.publicKey }] },
    }),
  );
  const sub = await subscribe(broker.url, ["gateway/plant-a/gw1/cmd_result"]);
  try {
    await sink.start(ctx);
    await until(() => sink.health().state === "connected", "connection");
    const body = await ops.sign({
      id: "u9",
      command: "update",
      gateway: "gw1",
      issued_at: Date.now(),
      args: { manifest: "", url: "x" },
    });
    await sub.client.publishAsync("gateway/plant-a/gw1/cmd/update", JSON.stringify(body), { qos: 1 });
    await sub.until(() => sub.received.length > 0, "result");
    const [r] = sub.json(/cmd_result/);
    assert.equal(r!.status, "error");
    assert.match(r!.message as string, /no updater service/);
  } finally {
    await sink.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});

Deno.test("mqtt sink refuses to start with an invalid trusted key, naming the config path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mqtt_cmd3_" });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({ commands: { trusted_keys: [{ id: "ops", public_key: "AAAA" }] } }));
  try {
    await assert.rejects(
      sink.start(ctx),
      /sinks\.uplink\.commands\.trusted_keys\[0\]\.public_key must be 32 raw Ed25519 bytes/,
    );
  } finally {
    await sink.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
