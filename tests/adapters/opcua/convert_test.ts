import assert from "node:assert/strict";
import {
  DataType,
  DataValue,
  LocalizedText,
  StatusCodes,
  Variant,
  VariantArrayType,
} from "node-opcua-client";
import { Quality } from "../../../core/mod.ts";
import { toSample, variantValue } from "../../../adapters/opcua/convert.ts";

Deno.test("variant values: numbers, booleans, strings, 64-bit integers, arrays and text", () => {
  assert.equal(variantValue(new Variant({ dataType: DataType.Double, value: 1.5 })), 1.5);
  assert.equal(variantValue(new Variant({ dataType: DataType.Boolean, value: true })), true);
  assert.equal(variantValue(new Variant({ dataType: DataType.String, value: "run" })), "run");
  assert.equal(
    variantValue(
      new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] }),
    ),
    4294967296 + 5,
  );
  assert.equal(
    variantValue(
      new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2, 3] }),
    ),
    "[1,2,3]",
  );
  assert.equal(
    variantValue(new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText("hi") })),
    "hi",
  );
  assert.ok(Number.isNaN(variantValue(new Variant({ dataType: DataType.Null }))));
  const date = new Date("2026-01-02T03:04:05Z");
  assert.equal(variantValue(new Variant({ dataType: DataType.DateTime, value: date })), date.getTime());
});

Deno.test("data values keep source and server timestamps and the full status code", () => {
  const dv = new DataValue({
    value: new Variant({ dataType: DataType.Double, value: 3 }),
    statusCode: StatusCodes.UncertainLastUsableValue,
    sourceTimestamp: new Date(1000),
    serverTimestamp: new Date(2000),
  });
  const s = toSample("t", dv, 3000);
  assert.equal(s.ts, 1000);
  assert.equal(s.serverTs, 2000);
  assert.equal(s.recv, 3000);
  assert.equal(s.status, StatusCodes.UncertainLastUsableValue.value);
  assert.equal(s.quality, Quality.Uncertain);
  assert.equal(s.reason, "UncertainLastUsableValue");
  assert.equal(s.historical, undefined);
});

Deno.test("without timestamps the server time, then the receive time, is used; Bad has a reason", () => {
  const bad = toSample("t", new DataValue({ statusCode: StatusCodes.BadNodeIdUnknown }), 5000, true);
  assert.equal(bad.ts, 5000);
  assert.equal(bad.quality, Quality.Bad);
  assert.equal(bad.reason, "BadNodeIdUnknown");
  assert.equal(bad.historical, true);
  const serverOnly = toSample(
    "t",
    new DataValue({
      value: new Variant({ dataType: DataType.Int32, value: 1 }),
      serverTimestamp: new Date(4000),
    }),
    5000,
  );
  assert.equal(serverOnly.ts, 4000);
});
