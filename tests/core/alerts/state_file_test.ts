import assert from "node:assert/strict";
import { AlertManager, AlertStateFile, DEFAULT_POLICY } from "../../../core/alerts/mod.ts";
import type { Alert } from "../../../core/mod.ts";

function managerWithAlert(score = 2) {
  const out: Alert[] = [];
  const m = new AlertManager((a) => out.push(a), { ...DEFAULT_POLICY, raise_after_s: 0 });
  m.observe({
    asset: "pump-1",
    kind: "anomaly",
    detector: "pca",
    ts: 1000,
    score,
    threshold: 1,
    contributions: [{ feature: "f", value: score }],
  });
  return { m, out };
}

Deno.test("alert state file: save then load round-trips the snapshot, leaving no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { m } = managerWithAlert();
    const file = new AlertStateFile(`${dir}/sub/alerts.json`);
    await file.save(m.snapshot(), 5);
    assert.deepEqual(file.load(6), { state: m.snapshot() });
    assert.deepEqual([...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name), ["alerts.json"]);
    assert.deepEqual(new AlertStateFile(`${dir}/missing.json`).load(6), {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("alert state file: a non-finite score is stored as null and loads without a score", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { m } = managerWithAlert(Infinity);
    const file = new AlertStateFile(`${dir}/alerts.json`);
    await file.save(m.snapshot(), 5);
    const loaded = file.load(6);
    assert.equal(loaded.discarded, undefined);
    assert.equal(loaded.state!.alerts[0]!.score, undefined);
    assert.ok(Number.isNaN(loaded.state!.alerts[0]!.contributions[0]!.value));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("alert state file: broken JSON, a wrong format and inconsistent references are moved aside with the reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/alerts.json`;
    const file = new AlertStateFile(path);
    const cases: [string, RegExp][] = [
      ['{"format":1,"seq":0,"alerts":[', /not valid JSON/],
      ['{"format":2,"seq":0,"alerts":[],"conditions":[]}', /file format 2, expected 1/],
      [
        '{"format":1,"seq":0,"alerts":[],"conditions":[{"key":"k","alert":"x"}]}',
        /"x" is not an active alert/,
      ],
      ['{"format":1,"seq":0,"alerts":[{"id":"a"}],"conditions":[]}', /alerts\[0\]\.severity/],
    ];
    for (const [i, [text, reason]] of cases.entries()) {
      await Deno.writeTextFile(path, text);
      const r = file.load(100 + i);
      assert.equal(r.state, undefined);
      assert.match(r.discarded!.reason, reason);
      assert.equal(r.discarded!.movedTo, `${path}.corrupt-${100 + i}`);
      assert.equal(await Deno.readTextFile(r.discarded!.movedTo!), text);
      assert.deepEqual(file.load(200), {}, "the bad file is gone from its place");
    }
    // Unreadable (a directory where the file should be) is reported the same way.
    await Deno.mkdir(path);
    const r = file.load(300);
    assert.match(r.discarded!.reason, /cannot read it/);
    assert.equal(r.discarded!.movedTo, `${path}.corrupt-300`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
