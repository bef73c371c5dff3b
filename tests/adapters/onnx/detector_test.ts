import assert from "node:assert/strict";
import "../../../adapters/onnx/mod.ts";
import { OnnxDetector } from "../../../adapters/onnx/mod.ts";
import { anomalySchema, AnomalyTransform } from "../../../core/anomaly/mod.ts";
import type { GatewayEvent } from "../../../core/mod.ts";
import { harness, logger } from "../../core/features/_ctx.ts";

const FIX = new URL("../../../adapters/onnx/fixtures/", import.meta.url).pathname;
const expected = JSON.parse(await Deno.readTextFile(`${FIX}expected.json`)) as {
  features: string[];
  inputs: number[][];
  scores: Record<string, number[]>;
};

function env(events: GatewayEvent[]) {
  return {
    asset: "pump-1",
    logger,
    now: Date.now,
    event: (e: Omit<GatewayEvent, "ts" | "component">) =>
      events.push({ ...e, ts: Date.now(), component: "t" }),
  };
}

const vector = (row: number[]) => Object.fromEntries(expected.features.map((f, i) => [f, row[i]!]));

async function copyFixture(dir: string, version: "1_0_0" | "1_1_0") {
  await Deno.copyFile(`${FIX}edge_ae_v${version}.onnx`, `${dir}/edge_ae_v${version}.onnx`);
  await Deno.copyFile(`${FIX}edge_ae_v${version}.manifest.json`, `${dir}/model.json`);
}

Deno.test("ONNX scores equal the numpy reference written by the generator, with the model version stamped", async () => {
  const events: GatewayEvent[] = [];
  const det = new OnnxDetector({
    name: "ae",
    manifest: `${FIX}edge_ae_v1_0_0.manifest.json`,
    reload_interval_s: 0,
    top: 2,
  }, env(events));
  try {
    await det.ready_;
    assert.equal(det.ready, true);
    for (const [i, row] of expected.inputs.entries()) {
      const d = (await det.update(vector(row)))!;
      const ref = expected.scores["1.0.0"]![i]!;
      assert.ok(Math.abs(d.score - ref) <= 1e-5 * Math.max(1, ref), `row ${i}: ${d.score} vs ${ref}`);
      assert.match(d.version!, /^onnx:edge_ae@1\.0\.0:[0-9a-f]{8}$/);
    }
    const last = (await det.update(vector(expected.inputs[5]!)))!;
    assert.equal(last.anomalous, last.score >= 4);
    assert.equal(last.contributions[0]!.feature, "vib.rms"); // 6σ input deviation
    const missing = vector(expected.inputs[0]!);
    delete missing.temp;
    assert.equal(det.update(missing), undefined);
  } finally {
    await det.close();
  }
});

Deno.test("a corrupt or mismatched model is rejected with a clear error and the previous model keeps scoring; a valid new one hot-swaps", async () => {
  const dir = await Deno.makeTempDir();
  const events: GatewayEvent[] = [];
  await copyFixture(dir, "1_0_0");
  const det = new OnnxDetector(
    { name: "ae", manifest: `${dir}/model.json`, reload_interval_s: 0, top: 2 },
    env(events),
  );
  try {
    await det.ready_;
    const v = vector(expected.inputs[1]!);
    const before = (await det.update(v))!;
    // Corrupt bytes under the same manifest.
    await Deno.copyFile(`${FIX}corrupt.onnx`, `${dir}/edge_ae_v1_0_0.onnx`);
    await det.reload();
    assert.match(
      events.at(-1)!.message,
      /is not a valid ONNX model.*edge_ae@1\.0\.0:[0-9a-f]{8} keeps scoring/,
    );
    assert.deepEqual(await det.update(v), before);
    // A manifest that names 3 features for a 4-input model.
    const m = JSON.parse(await Deno.readTextFile(`${FIX}edge_ae_v1_0_0.manifest.json`));
    await Deno.copyFile(`${FIX}edge_ae_v1_0_0.onnx`, `${dir}/edge_ae_v1_0_0.onnx`);
    await Deno.writeTextFile(
      `${dir}/model.json`,
      JSON.stringify({
        ...m,
        features: m.features.slice(0, 3),
        normalisation: { mean: [1, 3, 50], std: [0.2, 0.5, 2] },
      }),
    );
    await det.reload();
    assert.match(events.at(-1)!.message, /does not match its manifest: it does not accept 3 features/);
    // A manifest with a bad normalisation is named by path.
    await Deno.writeTextFile(
      `${dir}/model.json`,
      JSON.stringify({ ...m, normalisation: { mean: [1], std: [1, 1, 1, 0] } }),
    );
    await det.reload();
    assert.match(events.at(-1)!.message, /normalisation\.std\[3\]: must be > 0/);
    assert.equal((await det.update(v))!.version, before.version);
    // A valid new version swaps in; its scores match its own numpy reference.
    await copyFixture(dir, "1_1_0");
    await det.reload();
    assert.equal(events.at(-1)!.type, "onnx.model_loaded");
    const after = (await det.update(v))!;
    assert.match(after.version!, /^onnx:edge_ae@1\.1\.0:/);
    assert.ok(Math.abs(after.score - expected.scores["1.1.0"]![1]!) < 1e-5);
  } finally {
    await det.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hot swap through the anomaly transform: file change is picked up, no vector is dropped, scores stay in order", async () => {
  const dir = await Deno.makeTempDir();
  await copyFixture(dir, "1_0_0");
  const h = harness();
  const parsed = anomalySchema.parse({
    detectors: [{ name: "ae", type: "onnx", manifest: `${dir}/model.json`, reload_interval_s: 0.05 }],
    persist: false,
  });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
  const t = new AnomalyTransform(parsed.value);
  await t.start(h.ctx("scoring"));
  try {
    const send = (i: number) =>
      t.process([{
        kind: "features",
        features: {
          asset: "pump-1",
          windowStart: i,
          windowEnd: i + 1,
          computedAt: i,
          schemaVersion: 1,
          features: vector(expected.inputs[i % 5]!),
          quality: { worst: "good", goodShare: 1 },
        },
      }]);
    // The first vectors arrive while the model is still loading: they wait for it.
    for (let i = 0; i < 20; i++) send(i);
    await t.settled();
    await copyFixture(dir, "1_1_0");
    for (let i = 20; i < 200; i++) {
      send(i);
      await new Promise((r) => setTimeout(r, 2));
    }
    await t.settled();
    const scores = h.emitted.flatMap((m) => (m.kind === "score" ? [m.score] : []));
    assert.equal(scores.length, 200, "every vector scored");
    assert.deepEqual(scores.map((s) => s.ts), Array.from({ length: 200 }, (_, i) => i + 1));
    const versions = [...new Set(scores.map((s) => s.version.split(":")[1]))];
    assert.deepEqual(versions, ["edge_ae@1.0.0", "edge_ae@1.1.0"]);
  } finally {
    await t.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
