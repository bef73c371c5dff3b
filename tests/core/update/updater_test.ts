import assert from "node:assert/strict";
import { Updater } from "../../../core/update/updater.ts";
import type { Layout } from "../../../core/update/layout.ts";
import { readJournal } from "../../../core/update/journal.ts";
import { currentVersion } from "../../../core/update/switch.ts";
import { UpdateState } from "../../../core/update/state.ts";
import type { GatewayEvent } from "../../../core/model/mod.ts";
import {
  fakeReleaseTarGz,
  fileStream,
  hostArch,
  makeKeys,
  makeRoot,
  makeRoot0,
  type ManifestOptions,
  signManifest,
  snapshot,
  type TestKey,
} from "./fixtures.ts";

interface Setup {
  dir: string;
  layout: Layout;
  updater: Updater;
  keys: TestKey[];
  events: Omit<GatewayEvent, "ts" | "component">[];
  restarts: number[];
  artifact: string;
  manifest: (o?: Partial<ManifestOptions>) => Promise<Uint8Array>;
}

async function setup(threshold = 1, maxArtifactBytes = 10_000_000): Promise<Setup> {
  const dir = await Deno.makeTempDir({ prefix: "updater_test_" });
  const keys = await makeKeys(3);
  const root = await makeRoot(keys.slice(0, 2), threshold, keys.slice(0, 2));
  const layout = await makeRoot0(dir, "1.0.0", root);
  const events: Setup["events"] = [];
  const restarts: number[] = [];
  const updater = new Updater({
    layout,
    trustedKeysFile: `${layout.root}/trust/root.json`,
    threshold: 1,
    healthWindowSeconds: 30,
    maxArtifactBytes,
    downloadTimeoutMs: 5000,
    version: "1.0.0",
    target: { os: "linux", arch: hostArch(), form: "bundle" },
    dataDirs: [`${dir}/data`],
    backupSuffixes: [".duckdb"],
    event: (e) => events.push(e),
    requestRestart: () => restarts.push(Date.now()),
  });
  await updater.start();
  const artifact = await fakeReleaseTarGz(dir, "1.1.0", "healthy");
  const manifest = (o: Partial<ManifestOptions> = {}) =>
    signManifest({ version: "1.1.0", artifact, signers: keys.slice(0, threshold), ...o });
  return { dir, layout, updater, keys, events, restarts, artifact, manifest };
}

Deno.test("a valid signed update is verified, staged beside the current release, switched and a restart requested", async () => {
  const t = await setup();
  try {
    const out = await t.updater.upload(await t.manifest(), await fileStream(t.artifact));
    assert.equal(out.accepted, true, out.message);
    assert.equal(out.version, "1.1.0");
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(t.restarts.length, 1);
    assert.equal(await currentVersion(t.layout), "1.1.0");
    assert.ok((await Deno.stat(`${t.layout.release("1.1.0")}/bin/gateway`)).isFile);
    assert.ok((await Deno.stat(`${t.layout.release("1.0.0")}/bin/gateway`)).isFile, "previous release kept");
    const state = new UpdateState(t.layout);
    const pending = await state.pending();
    assert.equal(pending?.state, "switched");
    assert.equal(pending?.from, "1.0.0");
    assert.equal((await state.installed())?.highest, "1.1.0");
    const steps = (await readJournal(t.layout.journal)).entries.map((e) => e.step);
    assert.deepEqual(steps, ["staged", "switching", "switched", "restart_requested"]);
    const types = t.events.map((e) => e.type);
    assert.ok(types.includes("update.verified") && types.includes("update.switched"), types.join(","));
    assert.equal((t.updater.status().pending as { to: string }).to, "1.1.0");
    const again = await t.updater.upload(
      await t.manifest({ version: "1.2.0" }),
      await fileStream(t.artifact),
    );
    assert.equal(again.accepted, false);
    assert.match(again.message, /busy/);
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

const flip = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length >> 1] = c[c.length >> 1]! ^ 0xff;
  return c;
};

const rejections: {
  name: string;
  reason: string;
  threshold?: number;
  manifest?: (t: Setup) => Promise<Uint8Array>;
  stream?: (t: Setup) => Promise<ReadableStream<Uint8Array>>;
  before?: (t: Setup) => Promise<void>;
}[] = [
  { name: "a tampered artifact", reason: "hash", stream: (t) => fileStream(t.artifact, flip) },
  {
    name: "a manifest signed by an untrusted key",
    reason: "threshold",
    manifest: (t) => t.manifest({ signers: [t.keys[2]!] }),
  },
  {
    name: "a manifest with fewer signatures than the threshold (1 of 2)",
    reason: "threshold",
    threshold: 2,
    manifest: (t) => t.manifest({ signers: [t.keys[0]!] }),
  },
  {
    name: "a manifest altered after signing",
    reason: "signature",
    manifest: async (t) => {
      const env = JSON.parse(new TextDecoder().decode(await t.manifest()));
      env.signed.notes = "changed";
      return new TextEncoder().encode(JSON.stringify(env));
    },
  },
  {
    name: "an expired manifest",
    reason: "expired",
    manifest: (t) => t.manifest({ expires: "2020-01-01T00:00:00Z" }),
  },
  { name: "a downgrade", reason: "downgrade", manifest: (t) => t.manifest({ version: "0.9.0" }) },
  {
    name: "a replayed older manifest (version already installed here)",
    reason: "replay",
    before: (t) => new UpdateState(t.layout).writeInstalled({ highest: "1.1.0" }),
  },
  {
    name: "a release for another architecture",
    reason: "target",
    manifest: (t) => t.manifest({ arch: hostArch() === "x86_64" ? "aarch64" : "x86_64" }),
  },
  {
    name: "a release requiring a newer starting version",
    reason: "min_version",
    manifest: (t) => t.manifest({ minFrom: "1.0.5" }),
  },
  {
    name: "a truncated upload",
    reason: "truncated",
    stream: (t) => fileStream(t.artifact, (b) => b.slice(0, b.length - 100)),
  },
  {
    name: "an oversize upload",
    reason: "oversize",
    stream: (t) => fileStream(t.artifact, (b) => new Uint8Array([...b, ...new Uint8Array(50_000)])),
  },
  {
    name: "an artifact larger than max_artifact_bytes",
    reason: "too_large",
    manifest: (t) => t.manifest({ size: 20_000_000 }),
  },
  {
    name: "a manifest that is not JSON",
    reason: "malformed",
    manifest: () => Promise.resolve(new TextEncoder().encode("{nope")),
  },
];

for (const c of rejections) {
  Deno.test(`${c.name} is rejected (${c.reason}) and nothing changes on disk`, async () => {
    const t = await setup(c.threshold ?? 1);
    try {
      await c.before?.(t);
      const before = await snapshot(t.layout.root);
      const out = await t.updater.upload(
        await (c.manifest ?? ((s) => s.manifest()))(t),
        await (c.stream ?? ((s) => fileStream(s.artifact)))(t),
      );
      assert.equal(out.accepted, false);
      assert.match(out.message, new RegExp(`rejected \\(${c.reason}\\)`), out.message);
      assert.deepEqual(await snapshot(t.layout.root), before);
      assert.equal(t.restarts.length, 0);
      const ev = t.events.find((e) => e.type === "update.rejected");
      assert.equal(ev?.data?.reason, c.reason);
    } finally {
      await Deno.remove(t.dir, { recursive: true });
    }
  });
}

Deno.test("a release archive with a path escaping the release is rejected and nothing changes on disk", async () => {
  const t = await setup();
  try {
    const evil = `${t.dir}/evil`;
    await Deno.mkdir(`${evil}/bin`, { recursive: true });
    await Deno.writeTextFile(`${evil}/x`, "x");
    const tarPath = `${t.dir}/evil.tar.gz`;
    const r = await new Deno.Command("tar", {
      args: ["-czf", tarPath, "-C", evil, "--transform", "s,^x$,../../escape,", "x"],
    }).output();
    assert.ok(r.success);
    const before = await snapshot(t.layout.root);
    const out = await t.updater.upload(await t.manifest({ artifact: tarPath }), await fileStream(tarPath));
    assert.equal(out.accepted, false);
    assert.match(out.message, /rejected \(artifact\).*unsafe path/);
    assert.deepEqual(await snapshot(t.layout.root), before);
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("a root rotation pushed with a release is verified against the old keys and persisted", async () => {
  const t = await setup();
  try {
    const [a, b, c] = t.keys as [TestKey, TestKey, TestKey];
    const root2 = await makeRoot([c], 1, [a, c], 2);
    const release = JSON.parse(new TextDecoder().decode(await t.manifest({ signers: [c] })));
    const doc = new TextEncoder().encode(JSON.stringify({ roots: [root2], release }));
    const out = await t.updater.upload(doc, await fileStream(t.artifact));
    assert.equal(out.accepted, true, out.message);
    const trust = JSON.parse(await Deno.readTextFile(t.layout.trust));
    assert.equal(trust.signed.version, 2);
    assert.equal(t.updater.status().trusted_root_version, 2);
    void b;
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("a root rotation not signed by the current keys is rejected and nothing changes on disk", async () => {
  const t = await setup();
  try {
    const c = t.keys[2]!;
    const root2 = await makeRoot([c], 1, [c], 2);
    const release = JSON.parse(new TextDecoder().decode(await t.manifest({ signers: [c] })));
    const before = await snapshot(t.layout.root);
    const out = await t.updater.upload(
      new TextEncoder().encode(JSON.stringify({ roots: [root2], release })),
      await fileStream(t.artifact),
    );
    assert.equal(out.accepted, false);
    assert.match(out.message, /rejected \(threshold\).*signed by the current keys/);
    assert.deepEqual(await snapshot(t.layout.root), before);
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("a binary-form release is installed as releases/<version>/bin/gateway and switched to", async () => {
  const dir = await Deno.makeTempDir({ prefix: "updater_test_" });
  try {
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
      target: { os: "linux", arch: hostArch(), form: "binary" },
      dataDirs: [],
      backupSuffixes: [],
      event: () => {},
      requestRestart: () => {},
    });
    await updater.start();
    const binary = `${dir}/gateway-1.1.0-linux`;
    await Deno.writeTextFile(binary, "#!/bin/sh\necho 1.1.0\n");
    const bundleManifest = await signManifest({ version: "1.1.0", artifact: binary, signers: keys });
    const refused = await updater.upload(bundleManifest, await fileStream(binary));
    assert.match(refused.message, /rejected \(target\).*bundle.*binary/);
    const manifest = await signManifest({
      version: "1.1.0",
      artifact: binary,
      signers: keys,
      form: "binary",
    });
    const out = await updater.upload(manifest, await fileStream(binary));
    assert.equal(out.accepted, true, out.message);
    const installed = `${layout.release("1.1.0")}/bin/gateway`;
    assert.equal(await Deno.readTextFile(installed), "#!/bin/sh\necho 1.1.0\n");
    assert.equal((await Deno.stat(installed)).mode! & 0o111, 0o111);
    assert.equal(await currentVersion(layout), "1.1.0");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
