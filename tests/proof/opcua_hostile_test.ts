import assert from "node:assert/strict";
import { DataType, StatusCodes, type UAVariable, Variant, VariantArrayType } from "node-opcua";
import { Quality, type Sample } from "../../core/mod.ts";
import { opcuaSchema, OpcuaSource } from "../../adapters/opcua/mod.ts";
import { startOpcuaPlant } from "../../demo/opcua_plant.ts";
import { recordingContext } from "./_context.ts";

const HUGE = "x".repeat(1 << 20);

function latest(samples: readonly Sample[], tag: string): Sample | undefined {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i]!.tag === tag) return samples[i];
  return undefined;
}

Deno.test("opcua source survives NaN, Inf, wrong types, Bad status, huge strings and arrays from a real server, and keeps acquiring", async () => {
  const names = ["nan", "pinf", "ninf", "bad", "huge", "array", "wrong_type", "matrix", "heartbeat"];
  const plant = await startOpcuaPlant({
    nodes: [...names.map((name) => ({ name, history: false })), {
      name: "text",
      dataType: "String",
      history: false,
    }],
  });
  const stateDir = await Deno.makeTempDir({ prefix: "proof_opcua_" });
  const ctx = recordingContext("ua", stateDir);
  const parsed = opcuaSchema.parse({
    endpoint: plant.endpoint,
    publishing_interval_ms: 100,
    sampling_interval_ms: 50,
    request_timeout_ms: 3000,
    reconnect: { initial_ms: 100, max_ms: 500 },
    backfill: { enabled: false },
    nodes: [...names, "text"].map((n) => ({ name: n, node_id: plant.nodeId(n) })),
  });
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  const source = new OpcuaSource({ ...parsed.value, name: "ua" } as never);
  const node = (n: string) => plant.server.engine.addressSpace!.findNode(plant.nodeId(n)) as UAVariable;
  const raw = (n: string, v: Variant, status = StatusCodes.Good) =>
    node(n).setValueFromSource(v, status, new Date());
  try {
    await source.start(ctx);
    plant.set("heartbeat", 1);
    await ctx.waitFor(
      (s) => s.some((x) => x.tag === "ua.heartbeat" && x.value === 1),
      "first heartbeat",
      15_000,
    );
    plant.set("nan", Number.NaN);
    plant.set("pinf", Number.POSITIVE_INFINITY);
    plant.set("ninf", Number.NEGATIVE_INFINITY);
    plant.set("bad", 42, Date.now(), StatusCodes.BadSensorFailure.value);
    plant.set("text", HUGE);
    raw(
      "array",
      new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2, 3] }),
    );
    raw(
      "matrix",
      new Variant({
        dataType: DataType.Double,
        arrayType: VariantArrayType.Matrix,
        value: [1, 2, 3, 4],
        dimensions: [2, 2],
      }),
    );
    let wrongTypeServed = true;
    try {
      raw("wrong_type", new Variant({ dataType: DataType.String, value: "not a number" }));
    } catch {
      wrongTypeServed = false; // node-opcua refuses to serve it: nothing to test
    }
    plant.set("heartbeat", 2);
    const expected = [
      "nan",
      "pinf",
      "ninf",
      "bad",
      "text",
      "array",
      "matrix",
      ...(wrongTypeServed ? ["wrong_type"] : []),
    ];
    await ctx.waitFor(
      (s) =>
        expected.every((n) => s.some((x) => x.tag === `ua.${n}` && x.value !== 0 && x.value !== "")) &&
        s.some((x) => x.tag === "ua.heartbeat" && x.value === 2),
      "a sample of every hostile value",
      15_000,
    );
    const s = ctx.samples;
    assert.ok(Number.isNaN(latest(s, "ua.nan")!.value as number), "NaN must arrive as NaN, not as a number");
    assert.equal(latest(s, "ua.pinf")!.value, Number.POSITIVE_INFINITY);
    assert.equal(latest(s, "ua.ninf")!.value, Number.NEGATIVE_INFINITY);
    const bad = latest(s, "ua.bad")!;
    assert.equal(bad.quality, Quality.Bad);
    assert.equal(bad.status >>> 0, StatusCodes.BadSensorFailure.value);
    assert.match(bad.reason ?? "", /BadSensorFailure/);
    assert.equal((latest(s, "ua.text")!.value as string).length, HUGE.length, "huge string cut or lost");
    for (const n of ["array", "matrix"]) {
      const v = latest(s, `ua.${n}`)!;
      assert.notEqual(typeof v.value, "number", `${n}: an array must not pass as a scalar number`);
    }
    if (wrongTypeServed) assert.equal(latest(s, "ua.wrong_type")!.value, "not a number");
    // Still acquiring after all of it.
    for (let i = 3; i < 6; i++) {
      plant.set("heartbeat", i);
      await ctx.waitFor(
        (x) => x.some((y) => y.tag === "ua.heartbeat" && y.value === i),
        `heartbeat ${i}`,
        5000,
      );
    }
    assert.equal(source.health().state, "connected");
  } finally {
    await source.stop();
    await plant.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
});
