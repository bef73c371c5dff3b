import assert from "node:assert/strict";
import { Supervisor } from "../../../core/update/supervisor.ts";
import { Updater } from "../../../core/update/updater.ts";
import type { Layout } from "../../../core/update/layout.ts";
import { readJournal } from "../../../core/update/journal.ts";
import { currentVersion } from "../../../core/update/switch.ts";
import { UpdateState } from "../../../core/update/state.ts";
import { createLogger } from "../../../core/log/logger.ts";
import {
  type Behaviour,
  fakeReleaseTarGz,
  fileStream,
  hostArch,
  makeKeys,
  makeRoot,
  makeRoot0,
  signManifest,
} from "./fixtures.ts";

/** A root running 1.0.0 with an update to 1.1.0 (of `behaviour`) applied and switched, and a data file. */
async function switchedTo(behaviour: Behaviour) {
  const dir = await Deno.makeTempDir({ prefix: "supervisor_test_" });
  const keys = await makeKeys(1);
  const layout = await makeRoot0(dir, "1.0.0", await makeRoot(keys, 1, keys));
  await Deno.mkdir(`${dir}/data/history`, { recursive: true });
  const dataFile = `${dir}/data/history/plant.duckdb`;
  await Deno.writeTextFile(dataFile, "schema v1 data\n");
  const updater = new Updater({
    layout,
    trustedKeysFile: `${layout.root}/trust/root.json`,
    threshold: 1,
    healthWindowSeconds: 3,
    maxArtifactBytes: 10_000_000,
    downloadTimeoutMs: 5000,
    version: "1.0.0",
    target: { os: "linux", arch: hostArch(), form: "bundle" },
    dataDirs: [`${dir}/data`],
    backupSuffixes: [".duckdb"],
    event: () => {},
    requestRestart: () => {},
  });
  await updater.start();
  const artifact = await fakeReleaseTarGz(dir, "1.1.0", behaviour);
  const out = await updater.upload(
    await signManifest({ version: "1.1.0", artifact, signers: keys }),
    await fileStream(artifact),
  );
  assert.equal(out.accepted, true, out.message);
  return { dir, layout, dataFile };
}

function supervisor(layout: Layout, args: string[], lines: string[]) {
  return new Supervisor({
    layout,
    args,
    logger: createLogger({ writer: (l) => lines.push(l) }),
    settleSeconds: 0.5,
    stopGraceMs: 2000,
  });
}

async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function steps(layout: Layout): Promise<string[]> {
  return (await readJournal(layout.journal)).entries.map((e) => e.step);
}

Deno.test("a new version that reports healthy is committed and keeps running", async () => {
  const t = await switchedTo("healthy");
  const lines: string[] = [];
  const sup = supervisor(t.layout, ["--touch", t.dataFile], lines);
  const running = sup.run();
  try {
    const state = new UpdateState(t.layout);
    await until(async () => (await state.lastResult()) !== undefined, 15_000, "commit");
    assert.equal((await state.lastResult())?.outcome, "committed");
    assert.equal(await state.pending(), undefined);
    assert.equal(await currentVersion(t.layout), "1.1.0");
    assert.deepEqual((await steps(t.layout)).slice(-3), ["backed_up", "trial_started", "committed"]);
    assert.equal(await Deno.readTextFile(t.dataFile), "migrated by 1.1.0\n");
  } finally {
    await sup.stop();
    assert.equal(await running, 0);
    await Deno.remove(t.dir, { recursive: true });
  }
});

for (
  const [behaviour, reason] of [["crash", /exited with code 3 before reporting healthy/], [
    "never_healthy",
    /did not report healthy within 3 s/,
  ]] as const
) {
  Deno.test(`a new version that ${behaviour === "crash" ? "crashes at start" : "never reports healthy"} is rolled back with its data`, async () => {
    const t = await switchedTo(behaviour);
    const lines: string[] = [];
    const sup = supervisor(t.layout, ["--touch", t.dataFile], lines);
    const running = sup.run();
    try {
      const state = new UpdateState(t.layout);
      await until(async () => (await state.lastResult()) !== undefined, 20_000, "rollback");
      const last = await state.lastResult();
      assert.equal(last?.outcome, "rolled_back");
      assert.match(last?.reason ?? "", reason);
      assert.equal(await currentVersion(t.layout), "1.0.0");
      assert.equal(await state.pending(), undefined);
      await until(
        async () => (await Deno.readTextFile(t.dataFile)) === "migrated by 1.0.0\n",
        5000,
        "old version started",
      );
      const s = await steps(t.layout);
      assert.deepEqual(s.slice(s.indexOf("backed_up")), [
        "backed_up",
        "trial_started",
        "rollback_started",
        "rolled_back",
      ]);
      await assert.rejects(Deno.stat(t.layout.release("1.1.0")), Deno.errors.NotFound);
      assert.equal(
        (await state.installed())?.highest,
        "1.1.0",
        "the failed version stays blocked against replay",
      );
    } finally {
      await sup.stop();
      await running;
      await Deno.remove(t.dir, { recursive: true });
    }
  });
}

Deno.test("the backup taken before the new version started is what a rollback restores", async () => {
  const t = await switchedTo("crash");
  const lines: string[] = [];
  const sup = supervisor(t.layout, [], lines); // the old version does not touch the data on restart
  const running = sup.run();
  try {
    const state = new UpdateState(t.layout);
    await until(async () => (await state.lastResult()) !== undefined, 20_000, "rollback");
    assert.equal(await Deno.readTextFile(t.dataFile), "schema v1 data\n");
  } finally {
    await sup.stop();
    await running;
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("a new version already started the allowed number of times is rolled back without another start", async () => {
  const t = await switchedTo("healthy");
  const state = new UpdateState(t.layout);
  const p = (await state.pending())!;
  await state.writePending({ ...p, state: "trial", attempts: 2, backups: [] });
  const lines: string[] = [];
  const sup = supervisor(t.layout, [], lines);
  const running = sup.run();
  try {
    await until(async () => (await state.lastResult()) !== undefined, 10_000, "rollback");
    assert.match((await state.lastResult())?.reason ?? "", /did not become healthy in 2 start/);
    assert.equal(await currentVersion(t.layout), "1.0.0");
    assert.ok(!(await steps(t.layout)).includes("trial_started"));
  } finally {
    await sup.stop();
    await running;
    await Deno.remove(t.dir, { recursive: true });
  }
});
