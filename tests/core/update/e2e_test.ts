/**
 * End to end: two real bundle-form releases built from this checkout, the first run under its own
 * `gateway supervise`, updated through an MQTT-announced manifest (artifact served on 127.0.0.1) and then
 * through `POST /api/v1/update` (or a second announcement while the HTTP API is not part of main.ts), each new
 * version coming up healthy and committed, with the DuckDB history backed up before its first start.
 */
import assert from "node:assert/strict";
import mqttClient from "mqtt";
import { archiveRelease, patchVersion } from "../../../scripts/release_bundle.ts";
import { VERSION } from "../../../core/version.ts";
import { parseSemVer } from "../../../core/release/semver.ts";
import { toBase64 } from "../../../core/release/encoding.ts";
import { Layout } from "../../../core/update/layout.ts";
import { readHealthFile } from "../../../core/update/health_file.ts";
import { readJournal } from "../../../core/update/journal.ts";
import { UpdateState } from "../../../core/update/state.ts";
import { switchCurrent } from "../../../core/update/switch.ts";
import { makeKeys, makeRoot, signManifest } from "./fixtures.ts";

const REPO = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const API_WIRED = (await Deno.readTextFile(`${REPO}/main.ts`)).includes("core/api/mod.ts");

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", ...(cwd ? { cwd } : {}) })
    .output();
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
}

/** Derives release `version` from a built release directory (hard links; main.js and RELEASE.json rewritten). */
async function derive(base: string, dest: string, version: string): Promise<void> {
  await run("cp", ["-al", base, dest]);
  const main = await Deno.readTextFile(`${base}/app/main.js`);
  await Deno.remove(`${dest}/app/main.js`);
  await Deno.writeTextFile(`${dest}/app/main.js`, patchVersion(main, version));
  const info = JSON.parse(await Deno.readTextFile(`${base}/RELEASE.json`));
  await Deno.remove(`${dest}/RELEASE.json`);
  await Deno.writeTextFile(`${dest}/RELEASE.json`, JSON.stringify({ ...info, version }));
}

async function startMosquitto(dir: string): Promise<{ port: number; child: Deno.ChildProcess }> {
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/mosquitto.conf`,
    [
      ...(Deno.uid() === 0 ? ["user root"] : []),
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "log_dest none",
    ]
      .join("\n") + "\n",
  );
  const child = new Deno.Command("mosquitto", {
    args: ["-c", `${dir}/mosquitto.conf`],
    stdout: "null",
    stderr: "null",
  })
    .spawn();
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return { port, child };
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error("mosquitto did not start");
}

/** Publishes a signed command on the gateway's update command topic (QoS 1). */
async function publish(port: number, message: unknown): Promise<void> {
  const client = await mqttClient.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
  try {
    await client.publishAsync("gateway/plant-e2e/gw-e2e/cmd/update", JSON.stringify(message), { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

async function until<T>(what: () => string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

Deno.test({
  name:
    "two locally built bundle releases: the second and third are pushed (MQTT, HTTP), start healthy and are committed",
  sanitizeOps: true,
  sanitizeResources: true,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "release_e2e_" });
    const v = parseSemVer(VERSION);
    const [v1, v2, v3] = [
      VERSION,
      `${v.major}.${v.minor}.${v.patch + 1}`,
      `${v.major}.${v.minor}.${v.patch + 2}`,
    ];
    let broker: Deno.ChildProcess | undefined;
    let supervisor: Deno.ChildProcess | undefined;
    let files: Deno.HttpServer<Deno.NetAddr> | undefined;
    try {
      // Releases: build v1 with the real script, derive v2 and v3 from it, pack v2 and v3.
      const build = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-run",
          "--allow-env",
          `${REPO}/scripts/release_bundle.ts`,
          "--out",
          `${dir}/dist`,
          "--no-archive",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(build.success, new TextDecoder().decode(build.stderr));
      const base = `${dir}/dist/gateway-${v1}-linux-${Deno.build.arch}`;
      for (const ver of [v2, v3]) {
        await derive(base, `${dir}/dist/r-${ver}`, ver);
        await archiveRelease(`${dir}/dist/r-${ver}`, `${dir}/dist/gateway-${ver}.tar.gz`, 1);
      }
      // The gateway: release root with v1 flashed, trust, configuration; a broker.
      const keys = await makeKeys(1);
      const layout = new Layout(`${dir}/root`);
      await layout.ensure();
      await run("cp", ["-al", base, layout.release(v1)]);
      await Deno.writeTextFile(layout.releaseInfo(v1), JSON.stringify({ provisioned: true }));
      await switchCurrent(layout, v1);
      await Deno.mkdir(`${layout.root}/trust`);
      await Deno.writeTextFile(
        `${layout.root}/trust/root.json`,
        JSON.stringify(await makeRoot(keys, 1, keys)),
      );
      const mqtt = await startMosquitto(dir);
      broker = mqtt.child;
      const cmdPair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
        "sign",
        "verify",
      ]) as CryptoKeyPair;
      const cmdPub = toBase64(new Uint8Array(await crypto.subtle.exportKey("raw", cmdPair.publicKey)));
      const httpPort = freePort();
      const work = `${dir}/work`;
      await Deno.mkdir(work);
      const config = `${work}/gateway.yaml`;
      await Deno.writeTextFile(
        config,
        `gateway: { id: gw-e2e, site: plant-e2e, data_dir: ./data }
sources:
  - { name: plant, type: simulator, tick_ms: 200, signals: [{ name: temp, kind: temperature }] }
sinks:
  - { name: history, type: history }
  - name: uplink
    type: mqtt
    brokers: ["mqtt://127.0.0.1:${mqtt.port}"]
    commands: { trusted_keys: [{ id: ops, public_key: "${cmdPub}" }] }
update: { health_window_seconds: 40, threshold: 1 }
${API_WIRED ? `http: { port: ${httpPort}, auth: { anonymous_role: admin } }\n` : ""}`,
      );
      supervisor = new Deno.Command(`${layout.current}/bin/gateway`, {
        args: ["supervise", "--root", layout.root, "--settle", "1", "--", "run", "--config", config],
        cwd: work,
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const stderr = supervisor.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let log = "";
      const pump = (async () => {
        for (;;) {
          const r = await stderr.read();
          if (r.done) return;
          log += r.value;
        }
      })();
      const healthy = (ver: string) =>
        until(() => `gateway ${ver} healthy\n${log.slice(-4000)}`, 45_000, async () => {
          const h = await readHealthFile(layout.health);
          return h?.version === ver && h.status === "ok" ? h : undefined;
        });
      const state = new UpdateState(layout);
      const committed = (ver: string) =>
        until(() => `commit of ${ver}\n${log.slice(-4000)}`, 45_000, async () => {
          const r = await state.lastResult();
          return r?.version === ver ? r : undefined;
        });
      await healthy(v1);

      // Update 1: MQTT command announcing v2, artifact served over HTTP on 127.0.0.1.
      const tar2 = `${dir}/dist/gateway-${v2}.tar.gz`;
      files = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
        const f = await Deno.open(tar2);
        return new Response(f.readable);
      });
      const manifest2 = await signManifest({ version: v2, artifact: tar2, signers: keys });
      const payload = new TextEncoder().encode(JSON.stringify({
        id: "upd-1",
        command: "update",
        gateway: "gw-e2e",
        issued_at: Date.now(),
        args: {
          manifest: toBase64(manifest2),
          url: `http://127.0.0.1:${files.addr.port}/gateway-${v2}.tar.gz`,
        },
      }));
      const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", cmdPair.privateKey, payload));
      await publish(mqtt.port, { payload: toBase64(payload), signature: toBase64(sig), key_id: "ops" });
      assert.equal((await committed(v2)).outcome, "committed", log);
      await healthy(v2);

      // Update 2: pushed over the HTTP API when it is wired in, else announced again.
      const tar3 = `${dir}/dist/gateway-${v3}.tar.gz`;
      const manifest3 = await signManifest({ version: v3, artifact: tar3, signers: keys });
      if (API_WIRED) {
        const form = new FormData();
        form.append("manifest", new Blob([manifest3 as Uint8Array<ArrayBuffer>]), "manifest.json");
        form.append("artifact", new Blob([await Deno.readFile(tar3)]), `gateway-${v3}.tar.gz`);
        const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/update`, { method: "POST", body: form });
        const body = await res.json();
        assert.equal(res.status, 202, JSON.stringify(body));
        assert.equal(body.accepted, true);
      } else {
        await files.shutdown();
        files = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          async () => new Response((await Deno.open(tar3)).readable),
        );
        const p3 = new TextEncoder().encode(JSON.stringify({
          id: "upd-2",
          command: "update",
          gateway: "gw-e2e",
          issued_at: Date.now(),
          args: { manifest: toBase64(manifest3), url: `http://127.0.0.1:${files.addr.port}/g.tar.gz` },
        }));
        const s3 = new Uint8Array(await crypto.subtle.sign("Ed25519", cmdPair.privateKey, p3));
        await publish(mqtt.port, { payload: toBase64(p3), signature: toBase64(s3), key_id: "ops" });
      }
      assert.equal((await committed(v3)).outcome, "committed", log);
      await healthy(v3);

      const steps = (await readJournal(layout.journal)).entries.filter((e) => e.version === v3).map((e) =>
        e.step
      );
      assert.deepEqual(steps, [
        "staged",
        "switching",
        "restart_requested",
        "switched",
        "backed_up",
        "trial_started",
        "committed",
      ]);
      const backups = await Array.fromAsync(Deno.readDir(layout.backup(v3)));
      assert.ok(backups.length > 0, "the DuckDB history was backed up before the new version started");
      // Pruning follows the recorded commit (the result is written first): wait for it, bounded.
      const listReleases = async () =>
        (await Array.fromAsync(Deno.readDir(layout.releases))).map((e) => e.name).sort();
      let kept = await listReleases();
      for (let i = 0; i < 100 && kept.length > 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        kept = await listReleases();
      }
      assert.deepEqual(kept, [v2, v3].sort(), "current and previous releases kept, older pruned");

      supervisor.kill("SIGTERM");
      assert.equal((await supervisor.status).code, 0);
      supervisor = undefined;
      await pump;
    } finally {
      if (supervisor) {
        supervisor.kill("SIGKILL");
        await supervisor.status;
        await supervisor.stderr.cancel().catch(() => {});
      }
      await files?.shutdown();
      if (broker) {
        broker.kill("SIGTERM");
        await broker.status;
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
