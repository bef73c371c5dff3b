import assert from "node:assert/strict";
import {
  type NewRecord,
  Outbox,
  type OutboxEvent,
  type OutboxOptions,
} from "../../../../adapters/mqtt/outbox/mod.ts";

function rec(cls: NewRecord["cls"], i: number, size = 0): NewRecord {
  return {
    cls,
    kind: cls,
    key: `asset-${i % 3}`,
    eventTs: 1000 + i,
    quality: 0,
    data: JSON.stringify({ i, pad: "x".repeat(size) }),
  };
}

async function withBox(
  fn: (
    open: (o?: Partial<OutboxOptions>) => Promise<Outbox>,
    dir: string,
    events: OutboxEvent[],
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "outbox_" });
  const events: OutboxEvent[] = [];
  const opened: Outbox[] = [];
  const open = async (o: Partial<OutboxOptions> = {}) => {
    const box = await Outbox.open({
      dir,
      maxBytes: 1 << 20,
      segmentBytes: 4096,
      fsync: "batch",
      fsyncIntervalMs: 50,
      cursorIntervalMs: 50,
      onEvent: (e) => events.push(e),
      ...o,
    });
    opened.push(box);
    return box;
  };
  try {
    await fn(open, dir, events);
  } finally {
    for (const b of opened) await b.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function drain(box: Outbox, ack = true): Promise<number[]> {
  const seqs: number[] = [];
  for (let l = await box.next(); l; l = await box.next()) {
    seqs.push(l.record.seq);
    if (ack) box.ack(l.record);
  }
  return seqs;
}

const LANE_OF: Record<string, number> = { alerts: 0, events: 0, features: 1, scores: 1, rollups: 2, raw: 3 };

Deno.test("outbox delivers by priority (alerts and events, features and scores, rollups, raw) in sequence order within a lane, and resumes after per-lane cursors acked out of global order", async () => {
  await withBox(async (open) => {
    let box = await open({ lowerShare: 0 });
    const classes = ["raw", "features", "alerts", "rollups", "events", "scores"] as const;
    const appended = await box.append(
      Array.from({ length: 300 }, (_, i) => rec(classes[i % classes.length]!, i, 40)),
    );
    const expected = [...appended].sort((a, b) => LANE_OF[a.cls]! - LANE_OF[b.cls]! || a.seq - b.seq)
      .map((r) => r.seq);
    const first: number[] = [];
    for (let i = 0; i < 150; i++) {
      const l = (await box.next())!;
      first.push(l.record.seq);
      if (i < 120) box.ack(l.record); // all 100 alerts and events, then 20 features
    }
    assert.deepEqual(first, expected.slice(0, 150));
    assert.equal(box.stats().count, 180);
    assert.equal(box.stats().lanes.critical!.count, 0);
    assert.equal(box.stats().lanes.raw!.count, 50);
    await box.close();
    box = await open({ lowerShare: 0 });
    const rest = await drain(box);
    assert.deepEqual(rest, expected.slice(120), "unacked in-flight records are re-sent, acked ones are not");
    const [more] = await box.append([rec("alerts", 999)]);
    assert.equal(more!.seq, 301);
    assert.equal(box.stats().count, 1);
  });
});

Deno.test("outbox takes an alert appended behind a raw backlog next, and keeps bulk lanes out when asked", async () => {
  await withBox(async (open) => {
    const box = await open({ lowerShare: 0.05 });
    await box.append(Array.from({ length: 200 }, (_, i) => rec("raw", i, 40)));
    const raw1 = (await box.next())!;
    assert.equal(raw1.record.cls, "raw");
    const [alert] = await box.append([rec("alerts", 1)]);
    assert.equal((await box.peek())!.record.seq, alert!.seq, "peek shows the alert");
    assert.equal((await box.next({ bulk: false }))!.record.seq, alert!.seq);
    assert.equal(await box.next({ bulk: false }), undefined, "raw stays back while the reserve is reached");
    const [feature] = await box.append([rec("features", 2)]);
    assert.equal((await box.next({ bulk: false }))!.record.seq, feature!.seq);
    assert.equal((await box.next())!.record.seq, raw1.record.seq + 1, "raw resumes in order");
  });
});

Deno.test("outbox with a lower-class share still delivers raw while features keep arriving", async () => {
  await withBox(async (open) => {
    const box = await open({ lowerShare: 0.1, segmentBytes: 1 << 16, maxBytes: 1 << 22 });
    await box.append(Array.from({ length: 100 }, (_, i) => rec("raw", i, 10)));
    const got: string[] = [];
    for (let round = 0; round < 20; round++) {
      await box.append(Array.from({ length: 10 }, (_, i) => rec("features", round * 10 + i, 10)));
      for (let k = 0; k < 10; k++) {
        const l = (await box.next())!;
        got.push(l.record.cls);
        box.ack(l.record);
      }
    }
    const raw = got.filter((c) => c === "raw").length;
    assert.equal(raw, 20, `raw got one message in ten (${raw} of ${got.length})`);
    assert.equal(box.stats().lanes.features!.count, 20);
  });
});

Deno.test("outbox keeps the sequence across restarts even after every segment was acknowledged and deleted", async () => {
  await withBox(async (open) => {
    let box = await open({ segmentBytes: 1024, maxBytes: 1 << 20 });
    await box.append(Array.from({ length: 50 }, (_, i) => rec("features", i, 100)));
    await drain(box);
    await box.flushCursor();
    assert.equal(box.stats().count, 0);
    assert.ok(box.stats().diskBytes < 2048, `acked segments deleted, ${box.stats().diskBytes} bytes left`);
    await box.close();
    box = await open({ segmentBytes: 1024, maxBytes: 1 << 20 });
    assert.deepEqual(await drain(box), []);
    const [r] = await box.append([rec("features", 1)]);
    assert.equal(r!.seq, 51);
  });
});

Deno.test("outbox truncates a torn last record and a corrupt tail, keeping every complete record", async () => {
  await withBox(async (open, dir, events) => {
    let box = await open();
    await box.append(Array.from({ length: 10 }, (_, i) => rec("alerts", i)));
    await box.close();
    const [seg] = [...Deno.readDirSync(`${dir}/critical`)].map((e) => `${dir}/critical/${e.name}`);
    const full = await Deno.readFile(seg!);
    // Simulate power loss during the 11th write: half a frame at the end.
    const torn = new Uint8Array(full.length + 20);
    torn.set(full);
    torn.set(full.subarray(0, 20), full.length);
    await Deno.writeFile(seg!, torn);
    box = await open();
    assert.equal(box.repairs.length, 1);
    assert.match(box.repairs[0]!.reason, /torn record/);
    assert.equal((await Deno.stat(seg!)).size, full.length);
    assert.deepEqual(await drain(box, false), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await box.close();
    // Flip a byte inside the last record: CRC catches it, the record is cut.
    const bad = await Deno.readFile(seg!);
    bad[bad.length - 3]! ^= 0xff;
    await Deno.writeFile(seg!, bad);
    box = await open();
    assert.match(box.repairs[0]!.reason, /CRC mismatch/);
    assert.deepEqual(await drain(box, false), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(events.some((e) => e.type === "outbox.repaired"));
  });
});

Deno.test("outbox over its disk budget drops raw first, then rollups, then features, counts them, and keeps alerts", async () => {
  await withBox(async (open, _dir, events) => {
    const box = await open({ segmentBytes: 2048, maxBytes: 16384 });
    await box.append(Array.from({ length: 20 }, (_, i) => rec("alerts", i, 100)));
    await box.append(Array.from({ length: 40 }, (_, i) => rec("features", i, 100)));
    await box.append(Array.from({ length: 40 }, (_, i) => rec("rollups", i, 100)));
    for (let b = 0; b < 10; b++) await box.append(Array.from({ length: 20 }, (_, i) => rec("raw", i, 100)));
    const s = box.stats();
    assert.ok(s.diskBytes <= 16384, `disk ${s.diskBytes} within budget`);
    assert.ok((box.dropped.get("raw") ?? 0) > 0, "raw dropped");
    assert.equal(box.dropped.get("alerts") ?? 0, 0);
    assert.equal(box.dropped.get("features") ?? 0, 0, "features kept while raw and rollups could go");
    // Alerts alone now exceed the budget: droppable data is refused, alerts still taken.
    for (let b = 0; b < 8; b++) {
      await box.append(Array.from({ length: 20 }, (_, i) => rec("alerts", 100 + i, 100)));
    }
    assert.ok(box.stats().refusing);
    assert.ok(events.some((e) => e.type === "outbox.full"));
    const appended = await box.append([rec("raw", 1), rec("alerts", 2)]);
    assert.deepEqual(appended.map((r) => r.cls), ["alerts"]);
    assert.equal(box.refused.get("raw"), 1);
    const all = [];
    for (let l = await box.next(); l; l = await box.next()) all.push(l.record);
    const alerts = all.filter((r) => r.cls === "alerts");
    assert.equal(alerts.length, 20 + 160 + 1, "every alert survived");
    const dropped = [...box.dropped.values()].reduce((a, b) => a + b, 0);
    assert.equal(all.length + dropped, 20 + 40 + 40 + 200 + 160 + 1, "every record is delivered or counted");
    for (const r of all) box.ack(r);
    await box.flushCursor();
    await box.append([rec("raw", 3)]);
    assert.equal(box.stats().refusing, false);
    assert.ok(events.some((e) => e.type === "outbox.recovered"));
  });
});

Deno.test("outbox rewind re-sends unacknowledged in-flight records in their original order", async () => {
  await withBox(async (open) => {
    const box = await open();
    await box.append(Array.from({ length: 6 }, (_, i) => rec("features", i)));
    const a = (await box.next())!, b = (await box.next())!, c = (await box.next())!;
    box.ack(a.record);
    box.ack(c.record);
    box.rewind();
    assert.deepEqual(await drain(box), [2, 3, 4, 5, 6]);
    assert.equal(b.record.seq, 2);
    assert.equal(box.stats().count, 0);
  });
});

Deno.test("outbox rejects impossible options with a clear error", async () => {
  await assert.rejects(
    Outbox.open({
      dir: "/nonexistent",
      maxBytes: 1000,
      segmentBytes: 4096,
      fsync: "batch",
      fsyncIntervalMs: 1,
      cursorIntervalMs: 1,
    }),
    /maxBytes \(1000\) must be at least twice segmentBytes/,
  );
});

Deno.test("outbox drop notices come at once, then summed at most once per interval per lane, and every dropped record is in one", async () => {
  await withBox(async (open, _dir, events) => {
    const clock = { now: 1_000_000 };
    const box = await open({
      segmentBytes: 2048,
      maxBytes: 8192,
      clock: () => clock.now,
      dropNoticeMs: 10_000,
    });
    const notices = () => events.filter((e) => e.type === "outbox.dropped");
    // 3 s of raw overflow, 100 ms apart: many segments dropped, one notice so far (the first drop).
    for (let k = 0; k < 30; k++) {
      await box.append(Array.from({ length: 10 }, (_, i) => rec("raw", k * 10 + i, 100)));
      clock.now += 100;
    }
    const dropped = () => box.dropped.get("raw") ?? 0;
    assert.ok(dropped() > 100, `${dropped()} raw records dropped`);
    assert.equal(notices().length, 1, "one notice for the first drop, the rest pending");
    assert.match(
      notices()[0]!.message,
      /^outbox over its 8192-byte disk budget: dropped the \d+ oldest raw records$/,
    );
    // 10 s later the next drop reports everything since the first notice, as one sum.
    clock.now += 10_000;
    await box.append(Array.from({ length: 10 }, (_, i) => rec("raw", 1000 + i, 100)));
    assert.equal(notices().length, 2);
    assert.match(notices()[1]!.message, /dropped the \d+ oldest raw records in the last 13 s$/);
    // More drops within the interval are pending until close, which reports them.
    for (let k = 0; k < 5; k++) {
      await box.append(Array.from({ length: 10 }, (_, i) => rec("raw", 2000 + i, 100)));
    }
    await box.close();
    const reported = notices().reduce((a, e) => a + (e.data.records as number), 0);
    assert.equal(reported, dropped(), "the notices add up to the dropped count");
    assert.ok(notices().length <= 3, `${notices().length} notices for ${dropped()} dropped records`);
  });
});
