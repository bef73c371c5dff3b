import assert from "node:assert/strict";
import { mqttSchema } from "../../../adapters/mqtt/mod.ts";

Deno.test("mqtt config defaults the lower-class share to 5 % and names replay.lower_class_share when out of range", () => {
  const d = mqttSchema.parse({});
  assert.ok(d.ok);
  assert.equal(d.value.replay.lower_class_share, 0.05);
  assert.equal(d.value.replay.max_inflight, 500);
  const bad = mqttSchema.parse({ replay: { lower_class_share: 0.9 } });
  assert.ok(!bad.ok);
  assert.ok(
    bad.issues.some((i) => /replay\.lower_class_share/.test(i.path)),
    JSON.stringify(bad.issues),
  );
  assert.ok(mqttSchema.parse({ replay: { lower_class_share: 0 } }).ok, "0 = strict priority is allowed");
});
