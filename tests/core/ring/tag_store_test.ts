import assert from "node:assert/strict";
import { Quality, Status, TagStore } from "../../../core/mod.ts";

const sample = (tag: string, value: number | boolean | string, ts: number, extra = {}) => ({
  tag,
  value,
  ts,
  recv: ts,
  quality: Quality.Good,
  status: Status.Good,
  ...extra,
});

Deno.test("tag store creates unknown tags on first sample so nothing is lost", () => {
  const store = new TagStore(16);
  store.append(sample("plc.flag", true, 1), "plc");
  const e = store.get("plc.flag")!;
  assert.equal(e.meta.dataType, "bool");
  assert.equal(e.meta.source, "plc");
  assert.equal(e.ring.last(1).values.first[0], 1);
});

Deno.test("strings keep their latest value; the ring records NaN", () => {
  const store = new TagStore(16);
  store.append(sample("plc.mode", "AUTO", 1), "plc");
  assert.equal(store.get("plc.mode")!.latest!.value, "AUTO");
  assert.ok(Number.isNaN(store.get("plc.mode")!.ring.last(1).values.first[0]!));
});

Deno.test("historical samples do not enter the live ring nor replace the latest value", () => {
  const store = new TagStore(16);
  store.append(sample("t", 5, 100), "s");
  store.append(sample("t", 1, 50, { historical: true }), "s");
  const e = store.get("t")!;
  assert.equal(e.ring.length, 1);
  assert.equal(e.latest!.value, 5);
  assert.equal(e.received, 2);
});

Deno.test("an out-of-order sample is kept in the ring but does not replace a newer latest", () => {
  const store = new TagStore(16);
  store.append(sample("t", 5, 100), "s");
  store.append(sample("t", 4, 90), "s");
  assert.equal(store.get("t")!.latest!.value, 5);
  assert.equal(store.get("t")!.ring.length, 2);
});

Deno.test("redefining a tag with another capacity resizes its ring; default capacity changes apply", () => {
  const store = new TagStore(8);
  store.define({ id: "a", source: "s", dataType: "float" });
  store.define({ id: "b", source: "s", dataType: "float", bufferCapacity: 4 });
  store.define({ id: "b", source: "s", dataType: "float", bufferCapacity: 32, unit: "bar" });
  assert.equal(store.get("b")!.ring.capacity, 32);
  assert.equal(store.get("b")!.meta.unit, "bar");
  store.setDefaultCapacity(64);
  assert.equal(store.get("a")!.ring.capacity, 64);
  assert.equal(store.get("b")!.ring.capacity, 32);
});

Deno.test("blocks update the latest value with the last sample's time", () => {
  const store = new TagStore(8);
  store.appendBlock(
    {
      tag: "v",
      t0: 1000,
      dt: 0.5,
      values: Float64Array.from([1, 2, 3]),
      recv: 2000,
      quality: Quality.Good,
      status: 0,
    },
    "sim",
  );
  const e = store.get("v")!;
  assert.equal(e.latest!.value, 3);
  assert.equal(e.latest!.ts, 1001);
  assert.equal(e.received, 3);
});
