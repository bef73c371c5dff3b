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

Deno.test("mqtt config enables failback by default (probe every 30 s, stable 60 s) and names failback.probe_interval_s when out of range", () => {
  const d = mqttSchema.parse({});
  assert.ok(d.ok);
  assert.deepEqual(d.value.failback, {
    enabled: true,
    probe_interval_s: 30,
    stable_s: 60,
    drain_timeout_s: 10,
  });
  const bad = mqttSchema.parse({ failback: { probe_interval_s: 0 } });
  assert.ok(!bad.ok);
  assert.ok(bad.issues.some((i) => /failback\.probe_interval_s/.test(i.path)), JSON.stringify(bad.issues));
  assert.ok(!mqttSchema.parse({ failback: { stable_s: -1 } }).ok);
  assert.ok(!mqttSchema.parse({ failback: { probe: 1 } }).ok, "unknown keys are rejected");
});
