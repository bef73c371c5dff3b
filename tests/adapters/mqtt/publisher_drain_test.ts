import assert from "node:assert/strict";
import { createLogger, TagStore } from "../../../core/mod.ts";
import type { Publication } from "../../../adapters/mqtt/codec.ts";
import { JsonCodec } from "../../../adapters/mqtt/json_codec.ts";
import type { Link } from "../../../adapters/mqtt/link.ts";
import { Outbox } from "../../../adapters/mqtt/outbox/mod.ts";
import { Publisher } from "../../../adapters/mqtt/publisher.ts";
import { toRecords } from "../../../adapters/mqtt/records.ts";
import { Topics } from "../../../adapters/mqtt/topics.ts";
import { until } from "./_harness.ts";
import { featuresMsg } from "./_messages.ts";

Deno.test("mqtt publisher takes no new outbox record while the link drains for a failback, and resumes after", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mqtt_drain_" });
  const outbox = await Outbox.open({
    dir,
    maxBytes: 4 * 1024 * 1024,
    segmentBytes: 64 * 1024,
    fsync: "interval",
    fsyncIntervalMs: 50,
    cursorIntervalMs: 50,
  });
  const published: Publication[] = [];
  // The link as the publisher sees it: connected, then draining (a failback in progress).
  const link = {
    client: {},
    generation: 1,
    connectedAt: 0,
    draining: true,
    publish: (p: Publication) => {
      published.push(p);
      return Promise.resolve();
    },
    waitConnected: () => Promise.resolve(),
  };
  const gateway = { id: "gw1", site: "plant-a", version: "test" };
  const codec = new JsonCodec(
    new Topics("gateway", "plant-a", "gw1"),
    gateway,
    { features: 1, alerts: 1, rollups: 1, scores: 1, raw: 0, events: 1 },
    "gw1-uplink",
    Date.now,
  );
  const publisher = new Publisher(outbox, link as unknown as Link, () => codec, {
    maxInflight: 100,
    messagesPerS: 0,
    bytesPerS: 0,
    logger: createLogger({ level: "error" }),
    onPublished: () => {},
    onRejected: () => {},
  });
  const tags = new TagStore(16);
  try {
    await outbox.append([0, 1, 2, 3, 4].flatMap((i) => toRecords(featuresMsg("pump-1", i), tags)));
    publisher.start();
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(published.length, 0, "nothing is published on the broker being left");
    assert.equal(outbox.inflight, 0, "nothing is taken either, so the drain can finish");
    link.draining = false;
    link.generation++;
    publisher.poke();
    await until(
      () => published.length === 5 && outbox.stats().count === 0,
      "all five published after the switch",
    );
  } finally {
    await publisher.stop();
    await outbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});
