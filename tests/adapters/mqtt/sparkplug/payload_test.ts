import assert from "node:assert/strict";
import { DataType, encodePayload } from "../../../../adapters/mqtt/sparkplug/mod.ts";
import { decode } from "./_decoder.ts";

Deno.test("sparkplug payload encoder output decodes with protobufjs: every scalar type, properties, historical flag and a DataSet", () => {
  const bytes = encodePayload({
    timestamp: 1_700_000_000_123,
    seq: 255,
    metrics: [
      { name: "a/double", alias: 1, timestamp: 1_700_000_000_000, datatype: DataType.Double, value: -1.5 },
      { name: "a/int64", alias: 2, datatype: DataType.Int64, value: -42 },
      { name: "a/int32", alias: 3, datatype: DataType.Int32, value: 7 },
      { name: "a/bool", alias: 4, datatype: DataType.Boolean, value: true, isHistorical: true },
      { name: "a/string", alias: 5, datatype: DataType.String, value: "héllo" },
      { name: "a/null", alias: 6, datatype: DataType.Double, value: null },
      { alias: 300, datatype: DataType.Float, value: 0.25, properties: { Quality: "bad" } },
      {
        name: "a/block",
        alias: 7,
        datatype: DataType.DataSet,
        value: {
          columns: ["timestamp", "value"],
          types: [DataType.DateTime, DataType.Double],
          rows: [[1_700_000_000_000, 0.5], [1_700_000_000_001, -0.25]],
        },
      },
    ],
  });
  const p = decode(bytes);
  assert.equal(p.timestamp, 1_700_000_000_123);
  assert.equal(p.seq, 255);
  const [dbl, i64, i32, bool, str, nul, flt, ds] = p.metrics;
  assert.deepEqual([dbl.name, dbl.alias, dbl.timestamp, dbl.datatype, dbl.double_value], [
    "a/double",
    1,
    1_700_000_000_000,
    10,
    -1.5,
  ]);
  const exact = decode(bytes, String).metrics[1].long_value;
  assert.equal(BigInt.asIntN(64, BigInt(exact)), -42n, "negative Int64 as two's complement");
  assert.ok(i64);
  assert.equal(i32.int_value, 7);
  assert.deepEqual([bool.boolean_value, bool.is_historical], [true, true]);
  assert.equal(str.string_value, "héllo");
  assert.equal(nul.is_null, true);
  assert.equal(flt.alias, 300);
  assert.equal(flt.float_value, 0.25);
  assert.deepEqual(flt.properties.keys, ["Quality"]);
  assert.equal(flt.properties.values[0].string_value, "bad");
  assert.equal(ds.datatype, 16);
  assert.equal(ds.dataset_value.num_of_columns, 2);
  assert.deepEqual(ds.dataset_value.columns, ["timestamp", "value"]);
  assert.deepEqual(ds.dataset_value.types, [13, 10]);
  assert.deepEqual(
    ds.dataset_value.rows.map((r: { elements: { long_value?: number; double_value?: number }[] }) =>
      r.elements.map((e) => e.long_value ?? e.double_value)
    ),
    [[1_700_000_000_000, 0.5], [1_700_000_000_001, -0.25]],
  );
});
