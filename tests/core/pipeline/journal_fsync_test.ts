import assert from "node:assert/strict";
import { type JournalOptions, SinkJournal } from "../../../core/pipeline/journal.ts";
import { type JournalDisk, realDisk } from "../../../core/pipeline/journal_disk.ts";
import {
  checkFsyncPolicy,
  type JournalFsync,
  type SyncReason,
} from "../../../core/pipeline/journal_fsync.ts";
import { ConfigError, createLogger, parseConfig, Pipeline } from "../../../core/mod.ts";
import { recorder, sleep } from "./helpers.ts";

const event = (i: number) => ({
  kind: "event" as const,
  event: { ts: i, type: "t", component: "c", level: "info" as const, message: `m${i}` },
});

/** The real system calls, each recorded (with what the journal directory held at that moment). */
interface Call {
  readonly op: "syncDataSync" | "syncData" | "syncDirSync";
  /** Size of the synced file, or of journal.tmp (-1: absent) for a directory sync. */
  readonly size: number;
}
function recordingDisk(dir: string, fail = { data: 0 }): { disk: JournalDisk; calls: Call[] } {
  const calls: Call[] = [];
  const tmpSize = () => {
    try {
      return Deno.statSync(`${dir}/journal.tmp`).size;
    } catch {
      return -1;
    }
  };
  return {
    calls,
    disk: {
      syncDataSync(file) {
        calls.push({ op: "syncDataSync", size: file.statSync().size });
        if (fail.data > 0) {
          fail.data--;
          throw new Deno.errors.Interrupted("injected EIO");
        }
        realDisk.syncDataSync(file);
      },
      syncData(file) {
        calls.push({ op: "syncData", size: file.statSync().size });
        return realDisk.syncData(file);
      },
      syncDirSync(path) {
        calls.push({ op: "syncDirSync", size: tmpSize() });
        realDisk.syncDirSync(path);
      },
    },
  };
}

async function withJournal(
  fsync: JournalFsync,
  intervalMs: number,
  body: (j: SinkJournal, calls: Call[], reasons: SyncReason[], dir: string) => Promise<void>,
  extra: Partial<JournalOptions> & { failData?: number } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const { disk, calls } = recordingDisk(dir, { data: extra.failData ?? 0 });
  const reasons: SyncReason[] = [];
  const j = await SinkJournal.open(dir, {
    fsync: { fsync, intervalMs },
    disk,
    onSync: (_s, reason) => reasons.push(reason),
    ...extra,
  });
  calls.length = 0; // the directory syncs of open()
  try {
    await body(j, calls, reasons, dir);
  } finally {
    await j.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const dataSyncs = (calls: readonly Call[]) => calls.filter((c) => c.op !== "syncDirSync").length;

Deno.test("journal_fsync always: a burst of 100 appends in one task costs one fdatasync, done before the next task", async () => {
  await withJournal("always", 1000, async (j, calls, reasons) => {
    for (let i = 0; i < 100; i++) j.append(event(i));
    assert.equal(dataSyncs(calls), 0, "the sync waits for the end of the burst");
    const seenByNextTimer = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(dataSyncs(calls)), 0)
    );
    assert.equal(seenByNextTimer, 1, "one sync, completed before the next timer ran");
    assert.equal(calls[0]!.op, "syncDataSync");
    assert.ok(calls[0]!.size >= 100 * 60, "the sync covered the whole burst");
    assert.equal(j.stats().unsynced, 0);
    // Three more bursts in three tasks: three more syncs.
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 10; i++) j.append(event(i));
      await sleep(0);
    }
    assert.equal(dataSyncs(calls), 4);
    assert.deepEqual(reasons, ["append", "append", "append", "append"]);
  });
});

Deno.test("journal_fsync interval: appends never sync on the producer's path, one timer sync per period, none while idle, the rest at close", async () => {
  let closeCalls: Call[] = [];
  let closeReasons: SyncReason[] = [];
  await withJournal("interval", 400, async (j, calls, reasons) => {
    const started = performance.now();
    for (let b = 0; b < 5; b++) {
      for (let i = 0; i < 20; i++) j.append(event(i));
      await sleep(1);
    }
    assert.ok(performance.now() - started < 400, "the bursts took less than one period");
    assert.equal(dataSyncs(calls), 0, "nothing synced within the period");
    assert.equal(j.stats().unsynced, 100);
    while (dataSyncs(calls) === 0 && performance.now() - started < 5000) await sleep(10);
    assert.ok(performance.now() - started >= 390, "not before the period");
    await sleep(20);
    assert.deepEqual(calls.map((c) => c.op), ["syncData"], "one background sync for the 100 appends");
    assert.equal(j.stats().unsynced, 0);
    await sleep(900);
    assert.equal(dataSyncs(calls), 1, "an idle journal is not synced again");
    j.append(event(101));
    closeCalls = calls;
    closeReasons = reasons;
  });
  // The last append, 0 ms old, was synced by close().
  assert.deepEqual(closeCalls.map((c) => c.op), ["syncData", "syncDataSync"]);
  assert.deepEqual(closeReasons, ["append", "close"]);
});

Deno.test("journal_fsync never: no fdatasync for appends, at close or for the directory at open", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { disk, calls } = recordingDisk(dir);
    const j = await SinkJournal.open(dir, { fsync: { fsync: "never", intervalMs: 10 }, disk });
    for (let i = 0; i < 100; i++) j.append(event(i));
    await sleep(50);
    await j.close();
    assert.deepEqual(calls, []);
    const again = await SinkJournal.open(dir, { fsync: { fsync: "never", intervalMs: 10 } });
    assert.equal(again.takePending().length, 100, "kill -9 durability does not depend on the policy");
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("journal open fsyncs the directory so a synced journal file cannot vanish with its entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { disk, calls } = recordingDisk(`${dir}/j`);
    const j = await SinkJournal.open(`${dir}/j`, { fsync: { fsync: "always", intervalMs: 1000 }, disk });
    assert.deepEqual(
      calls.map((c) => c.op),
      ["syncDirSync", "syncDirSync"],
      "the journal dir and its parent",
    );
    await j.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compaction writes a temp file, fdatasyncs it before the rename and fsyncs the directory after, even with journal_fsync never", async () => {
  await withJournal("never", 1000, async (j, calls, reasons, dir) => {
    const big = "x".repeat(2000);
    let last = 0;
    for (let i = 0; i < 200; i++) {
      last = j.append({ ...event(i), event: { ...event(i).event, message: big } });
    }
    assert.equal(calls.length, 0, "never: the appends were not synced");
    j.ack(last - 3);
    assert.equal(calls.length, 2);
    const [data, dirSync] = calls as [Call, Call];
    assert.equal(data.op, "syncDataSync");
    assert.ok(
      data.size > 3 * 2000 && data.size < 3 * 2200,
      `the temp file with the 3 unacked lines (${data.size})`,
    );
    assert.equal(dirSync.op, "syncDirSync");
    assert.equal(dirSync.size, -1, "journal.tmp was already renamed when the directory was synced");
    assert.equal((await Deno.stat(`${dir}/journal.jsonl`)).size, data.size);
    assert.deepEqual(reasons, ["compact", "compact"]);
    assert.equal(j.stats().unsynced, 0, "the compacted journal is durable");
  });
});

Deno.test("a failed compaction sync leaves the old journal in place and every unacknowledged line readable", async () => {
  const errors: SyncReason[] = [];
  const dir = await Deno.makeTempDir();
  try {
    const { disk } = recordingDisk(dir, { data: 1 });
    const j = await SinkJournal.open(dir, {
      fsync: { fsync: "never", intervalMs: 1000 },
      disk,
      onSyncError: (_e, reason) => errors.push(reason),
    });
    const big = "x".repeat(2000);
    let last = 0;
    for (let i = 0; i < 200; i++) {
      last = j.append({ ...event(i), event: { ...event(i).event, message: big } });
    }
    assert.throws(() => j.ack(last - 3), Deno.errors.Interrupted);
    assert.deepEqual(errors, ["compact"]);
    assert.ok((await Deno.stat(`${dir}/journal.jsonl`)).size > 200 * 2000, "not replaced");
    j.append(event(999));
    await j.close();
    const again = await SinkJournal.open(dir);
    assert.deepEqual(again.takePending().map((p) => p.id), [last - 2, last - 1, last, last + 1]);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("journal_fsync always: a failed fdatasync is reported, appends go on, and the next burst syncs again", async () => {
  const errors: SyncReason[] = [];
  await withJournal("always", 1000, async (j, calls) => {
    j.append(event(1));
    await sleep(0);
    assert.deepEqual(errors, ["append"]);
    assert.equal(j.stats().unsynced, 1);
    assert.equal(j.stats().sync_errors, 1);
    j.append(event(2));
    await sleep(0);
    assert.equal(dataSyncs(calls), 2);
    assert.equal(j.stats().unsynced, 0, "the retry covered both appends");
  }, { failData: 1, onSyncError: (_e, reason) => errors.push(reason) });
});

Deno.test("a torn last line is cut at reopen, so the next append starts a line of its own and survives", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const j = await SinkJournal.open(dir);
    const first = j.append(event(1));
    await j.close();
    await Deno.writeTextFile(`${dir}/journal.jsonl`, '{"id":999,"m":{"kind":"ev', { append: true });
    const again = await SinkJournal.open(dir);
    assert.deepEqual(again.takePending().map((p) => p.id), [first]);
    const next = again.append(event(2));
    await again.close();
    const third = await SinkJournal.open(dir);
    assert.deepEqual(third.takePending().map((p) => p.id), [first, next]);
    await third.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zeros a power loss left in the journal are skipped, never glued into a corrupt message, and later lines are still read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const j = await SinkJournal.open(dir);
    const ids = [1, 2, 3, 4].map((i) => j.append(event(i)));
    await j.close();
    const lines = (await Deno.readTextFile(`${dir}/journal.jsonl`)).split("\n");
    // Line 2: a block inside its message text was never written (zeros where "m2" was). Line 3: its block was
    // never written and the zeros run into line 4.
    const l2 = lines[1]!.replace('"m2"', '"\0\0"');
    const damaged = `${lines[0]}\n${l2}\n${"\0".repeat(lines[2]!.length + 1)}${lines[3]}\n`;
    await Deno.writeTextFile(`${dir}/journal.jsonl`, damaged);
    const again = await SinkJournal.open(dir);
    const pending = again.takePending();
    assert.deepEqual(pending.map((p) => p.id), [ids[0], ids[3]]);
    assert.deepEqual(
      pending.map((p) => (p.message as ReturnType<typeof event>).event.message),
      ["m1", "m4"],
    );
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("journal fsync policies given in code are checked", () => {
  assert.throws(() => checkFsyncPolicy({ fsync: "sometimes" as JournalFsync, intervalMs: 10 }), TypeError);
  assert.throws(() => checkFsyncPolicy({ fsync: "interval", intervalMs: 0 }), RangeError);
  assert.throws(() => checkFsyncPolicy({ fsync: "interval", intervalMs: 1.5 }), RangeError);
});

function problems(queue: string): string[] {
  try {
    parseConfig(
      `gateway: { id: gw, site: lab }\nsinks:\n  - { name: s, type: recorder, queue: ${queue} }\n`,
      {
        env: () => undefined,
      },
    );
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail("expected the configuration to be rejected");
}

Deno.test("queue.journal_fsync defaults to interval every 1000 ms; bad values are refused with their path", () => {
  const c = parseConfig(`gateway: { id: gw, site: lab }\nsinks:\n  - { name: s, type: recorder }\n`, {
    env: () => undefined,
  });
  const queue = (c.sinks[0] as unknown as { queue: Record<string, unknown> }).queue;
  assert.equal(queue.journal_fsync, "interval");
  assert.equal(queue.journal_fsync_ms, 1000);
  const partial = parseConfig(
    `gateway: { id: gw, site: lab }\nsinks:\n  - { name: s, type: recorder, queue: { journal: true } }\n`,
    { env: () => undefined },
  );
  assert.equal(
    (partial.sinks[0] as unknown as { queue: Record<string, unknown> }).queue.journal_fsync,
    "interval",
  );
  assert.match(
    problems("{ journal_fsync: sometimes }")[0]!,
    /^sinks\[0\]\.queue\.journal_fsync \(line 3\): .*always/,
  );
  assert.match(problems("{ journal_fsync: batch }")[0]!, /^sinks\[0\]\.queue\.journal_fsync \(line 3\)/);
  assert.match(
    problems("{ journal_fsync_ms: 0 }")[0]!,
    /^sinks\[0\]\.queue\.journal_fsync_ms \(line 3\): must be >= 1/,
  );
  assert.match(problems("{ journal_fsync_ms: fast }")[0]!, /^sinks\[0\]\.queue\.journal_fsync_ms \(line 3\)/);
});

Deno.test("a sink's journal follows queue.journal_fsync: syncs in the fsync histogram, the policy in health, a reload changes it", async () => {
  const dir = await Deno.makeTempDir();
  recorder("fsynced").messages.length = 0;
  const yaml = (policy: string) =>
    parseConfig(
      `gateway: { id: gw, site: lab, data_dir: ${dir} }
sinks:
  - { name: fsynced, type: recorder, queue: { journal: true, ${policy} } }
`,
      { env: () => undefined },
    );
  const p = new Pipeline(yaml("journal_fsync: always"), {
    logger: createLogger({ level: "error", writer: () => {} }),
    version: "t",
  });
  await p.start();
  try {
    for (let i = 0; i < 20; i++) p.event({ type: "test.fsync", level: "info", message: `e${i}` });
    await sleep(100);
    const journal = () =>
      (p.health().sinks.fsynced!.details as { journal: { fsync: string; fsync_ms: number; syncs: number } })
        .journal;
    assert.equal(journal().fsync, "always");
    assert.ok(journal().syncs >= 1);
    const count = p.metrics.render()
      .match(/^gateway_sink_journal_fsync_seconds_count\{reason="append",sink="fsynced"\} (\d+)$/m);
    assert.ok(count, "histogram series per sink and reason");
    assert.equal(Number(count[1]), journal().syncs);
    assert.ok(Number(count[1]) < 20, `coalesced: ${count[1]} syncs for 20 events offered in one task`);
    await p.reload(yaml("journal_fsync: interval, journal_fsync_ms: 250"));
    assert.equal(journal().fsync, "interval");
    assert.equal(journal().fsync_ms, 250);
    assert.equal(
      recorder("fsynced").messages.filter((m) => m.kind === "event" && m.event.type === "test.fsync").length,
      20,
    );
  } finally {
    await p.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
