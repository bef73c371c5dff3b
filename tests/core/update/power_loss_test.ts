/**
 * Power loss at every journal step: the updater or the supervisor process is SIGKILLed right after recording
 * the step (GATEWAY_UPDATE_CRASH_AFTER), then a fresh supervisor must bring up a healthy, complete release.
 */
import assert from "node:assert/strict";
import { CRASH_HOOK_ENV, readJournal } from "../../../core/update/journal.ts";
import type { Layout } from "../../../core/update/layout.ts";
import { readHealthFile } from "../../../core/update/health_file.ts";
import { currentVersion, isComplete } from "../../../core/update/switch.ts";
import { UpdateState } from "../../../core/update/state.ts";
import { Supervisor } from "../../../core/update/supervisor.ts";
import { createLogger } from "../../../core/log/logger.ts";
import { type Behaviour, fakeReleaseTarGz, makeKeys, makeRoot, makeRoot0, signManifest } from "./fixtures.ts";

const HERE = new URL(".", import.meta.url).pathname;
const FLAGS = ["--allow-read", "--allow-write", "--allow-env", "--allow-run", "--allow-net", "--allow-sys"];

async function prepare(behaviour: Behaviour) {
  const dir = await Deno.makeTempDir({ prefix: "power_loss_test_" });
  const keys = await makeKeys(1);
  const layout = await makeRoot0(dir, "1.0.0", await makeRoot(keys, 1, keys));
  const artifact = await fakeReleaseTarGz(dir, "1.1.0", behaviour);
  const manifest = `${dir}/manifest.json`;
  await Deno.writeFile(manifest, await signManifest({ version: "1.1.0", artifact, signers: keys }));
  return { dir, layout, artifact, manifest };
}

async function run(script: string, args: string[], crashAfter?: string): Promise<Deno.CommandStatus> {
  const env: Record<string, string> = crashAfter ? { [CRASH_HOOK_ENV]: crashAfter } : {};
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, `${HERE}helpers/${script}`, ...args],
    env,
    stdout: "null",
    stderr: "null",
  }).output();
}

/** Runs a fresh supervisor until the root is stable and a healthy child runs the current release. */
async function bootsCleanly(layout: Layout): Promise<string> {
  const sup = new Supervisor({
    layout,
    args: [],
    logger: createLogger({ writer: () => {} }),
    settleSeconds: 0.3,
    stopGraceMs: 2000,
  });
  const running = sup.run();
  const state = new UpdateState(layout);
  try {
    const end = Date.now() + 20_000;
    for (;;) {
      const version = await currentVersion(layout);
      const h = await readHealthFile(layout.health);
      if (version && !(await state.pending()) && h?.version === version && h.status === "ok") {
        assert.ok(await isComplete(layout, version), `current ${version} is complete`);
        return version;
      }
      if (Date.now() > end) {
        throw new Error(`no stable healthy release (current ${version}, health ${JSON.stringify(h)})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await sup.stop();
    await running;
  }
}

const updaterSteps: [string, string][] = [
  ["staged", "1.0.0"],
  ["switching", "1.1.0"],
  ["switched", "1.1.0"],
  ["restart_requested", "1.1.0"],
];

for (const [step, expected] of updaterSteps) {
  Deno.test(`power loss in the updater after "${step}" leaves a bootable release (${expected})`, async () => {
    const t = await prepare("healthy");
    try {
      const status = await run("apply_update.ts", [t.layout.root, t.manifest, t.artifact], step);
      assert.equal(status.signal, "SIGKILL", `the updater was killed at ${step}`);
      const steps = (await readJournal(t.layout.journal)).entries.map((e) => e.step);
      assert.equal(steps.at(-1), step);
      assert.equal(await bootsCleanly(t.layout), expected);
    } finally {
      await Deno.remove(t.dir, { recursive: true });
    }
  });
}

const supervisorSteps: [string, Behaviour, string][] = [
  ["backed_up", "healthy", "1.1.0"],
  ["trial_started", "healthy", "1.1.0"],
  ["committed", "healthy", "1.1.0"],
  ["rollback_started", "crash", "1.0.0"],
  ["rolled_back", "crash", "1.0.0"],
];

for (const [step, behaviour, expected] of supervisorSteps) {
  Deno.test(`power loss in the supervisor after "${step}" (new version ${behaviour}) leaves a bootable release (${expected})`, async () => {
    const t = await prepare(behaviour);
    try {
      assert.ok((await run("apply_update.ts", [t.layout.root, t.manifest, t.artifact])).success);
      const status = await run("supervise.ts", [
        "--root",
        t.layout.root,
        "--settle",
        "0.3",
        "--stop-grace",
        "2",
      ], step);
      assert.equal(status.signal, "SIGKILL", `the supervisor was killed at ${step}`);
      assert.equal(await bootsCleanly(t.layout), expected);
      if (behaviour === "crash") {
        assert.equal((await new UpdateState(t.layout).lastResult())?.outcome, "rolled_back");
      }
    } finally {
      await Deno.remove(t.dir, { recursive: true });
    }
  });
}
