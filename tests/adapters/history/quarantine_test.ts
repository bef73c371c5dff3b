import assert from "node:assert/strict";
import { createLogger, type Logger, type Message, RetryableError } from "../../../core/mod.ts";
import { msg, series, startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const DAY = 86_400_000;

/**
 * A record the database refuses although it passes the store's record checks: its data holds a string cut in
 * the middle of a UTF-16 surrogate pair (a producer truncating text that holds an emoji). JSON.stringify writes
 * the lone surrogate as the escape `\ud83c`, which DuckDB's JSON parser refuses ("Conversion Error: Malformed
 * JSON … no low surrogate in string"), so the event INSERT fails on every attempt. (A timestamp out of range,
 * the earlier poison, is now rejected before the commit: see check_records_test.ts.)
 */
function poison(n = 0, padding = 0): Message {
  return {
    kind: "event",
    event: {
      ts: T0 + n,
      type: "test.lone_surrogate",
      component: "test",
      level: "info",
      message: `poison ${n}${" ".repeat(padding)}`,
      data: { text: "\u{1F321}".slice(0, 1) },
    },
  };
}

function event(type: string): Message {
  return { kind: "event", event: { ts: T0, type, component: "test", level: "info", message: type } };
}

async function lines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const quarantined = (h: Awaited<ReturnType<typeof startSink>>) =>
  h.ctx.metrics.counter("gateway_history_quarantined_total", "").get({ sink: "history" });

Deno.test("a record the database refuses is quarantined with its error; the rest of its batch and later batches are stored", async () => {
  const clock = { now: T0 };
  const h = await startSink({}, clock);
  const warnings: Record<string, unknown>[] = [];
  (h.ctx as { logger: Logger }).logger = createLogger({
    format: "json",
    level: "warn",
    writer: (line) => warnings.push(JSON.parse(line)),
  });
  try {
    const bad = poison();
    await h.sink.write([
      msg(series("q.a", T0, 100, 20, (i) => i)),
      event("test.before"),
      bad,
      msg(series("q.b", T0, 100, 5, (i) => 100 + i)),
      event("test.after"),
    ]);
    const [a] = await h.sink.reader.series({ tags: ["q.a"], from: T0, to: T0 + 5000, maxPoints: 100 });
    assert.deepEqual(a!.points.map((p) => p.value), Array.from({ length: 20 }, (_, i) => i));
    const [b] = await h.sink.reader.series({ tags: ["q.b"], from: T0, to: T0 + 5000, maxPoints: 100 });
    assert.deepEqual(b!.points.map((p) => p.value), [100, 101, 102, 103, 104]);
    const stored = (await h.sink.reader.events({ limit: 10, type: "test" })).items.map((e) => e.type).sort();
    assert.deepEqual(stored, ["test.after", "test.before"]);

    // The refused record is on disk, whole, with the error, next to the database file.
    const [line, ...more] = await lines(`${h.dir}/quarantine/2026-11-20.jsonl`);
    assert.equal(more.length, 0);
    assert.equal(line!.kind, "event");
    assert.equal(line!.origin, "message");
    assert.equal(line!.sink, "history");
    assert.equal(line!.quarantined_at, new Date(T0).toISOString());
    assert.match(String(line!.error), /Conversion Error: Malformed JSON.*no low surrogate/);
    assert.deepEqual(line!.message, bad);

    assert.equal(quarantined(h), 1);
    assert.equal(h.sink.health().details?.quarantined, 1);
    assert.equal(h.sink.health().state, "connected");
    assert.equal(h.sink.health().details?.write_errors, 0, "a refused record is not a database failure");
    const [ev, ...otherEvents] =
      (await h.sink.reader.events({ limit: 10, type: "history.quarantined" })).items;
    assert.equal(otherEvents.length, 0);
    assert.equal(ev!.level, "warn");
    assert.match(ev!.message, /event record refused by the database, quarantined in .*2026-11-20\.jsonl/);
    const warned = warnings.filter((w) => /quarantined/.test(String(w.msg)));
    assert.equal(warned.length, 1, "logged once");
    assert.match(String(warned[0]!.error), /Malformed JSON/);

    // The sink goes on storing.
    await h.sink.write([msg(series("q.a", T0 + 10_000, 100, 3, (i) => 50 + i)), event("test.later")]);
    const [later] = await h.sink.reader.series({
      tags: ["q.a"],
      from: T0 + 10_000,
      to: T0 + 11_000,
      maxPoints: 10,
    });
    assert.deepEqual(later!.points.map((p) => p.value), [50, 51, 52]);
    assert.equal(quarantined(h), 1);

    // Rollups computed while preparing the failed batch were stored once, by the split commits.
    clock.now = T0 + 4 * 3_600_000;
    await h.sink.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      const [c] = await h2.sink.reader.series({
        tags: ["q.a"],
        from: T0,
        to: T0 + 2000,
        step: 1000,
        agg: "count",
        maxPoints: 2,
      });
      assert.equal(c!.table, "1s");
      assert.deepEqual(c!.points.map((p) => p.value), [10, 10]);
    } finally {
      await h2.close();
    }
  } finally {
    await h.sink.stop();
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("while the database's directory is gone nothing is quarantined and the write is retried; the retry stores it once", async () => {
  const clock = { now: T0 };
  const h = await startSink({}, clock);
  const moved = `${h.dir}_moved`;
  try {
    await h.sink.write([msg(series("u.t", T0 - 10_000, 1000, 3, (i) => i))]);
    await h.sink.maintain(); // CHECKPOINT: the WAL is folded into the file and removed
    await Deno.rename(h.dir, moved); // the disk holding the database is gone
    const batch = [poison(), msg(series("u.t", T0, 100, 20, (i) => i)), event("test.good")];
    // The poison event fails every commit that holds it, alone too, but the probe fails as well: the database,
    // not the batch, is broken.
    await assert.rejects(
      () => h.sink.write(batch),
      (e) =>
        e instanceof RetryableError &&
        /history write to .* failed: .*(Cannot open file|No such file)/s.test(e.message),
    );
    assert.equal(quarantined(h), 0);
    assert.equal(h.sink.health().details?.quarantined, 0);
    assert.equal(h.sink.health().state, "degraded");
    assert.ok(Number(h.sink.health().details?.write_errors) >= 1);
    assert.equal(await exists(h.dir), false, "nothing was written where the database was");
    assert.equal(await exists(`${moved}/quarantine`), false);

    // The disk is back; the runner retries the same messages: the batch is stored once, the poison quarantined.
    await Deno.rename(moved, h.dir);
    await h.sink.write(batch);
    assert.equal(h.sink.health().state, "connected");
    assert.equal(quarantined(h), 1);
    assert.equal((await lines(`${h.dir}/quarantine/2026-11-20.jsonl`)).length, 1);

    // Good records only: the commit itself fails with the IO error, which is never blamed on the records.
    await h.sink.maintain();
    await Deno.rename(h.dir, moved);
    const good = [msg(series("u.other", T0, 100, 2, (i) => i)), event("test.good2")];
    await assert.rejects(
      () => h.sink.write(good),
      (e) => e instanceof RetryableError && /Cannot open file|No such file/.test(e.message),
    );
    assert.equal(await exists(h.dir), false);
    await Deno.rename(moved, h.dir);
    await h.sink.write(good);
    assert.equal(quarantined(h), 1);
    clock.now = T0 + 4 * 3_600_000;
    await h.sink.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      const [raw] = await h2.sink.reader.series({ tags: ["u.t"], from: T0, to: T0 + 5000, maxPoints: 100 });
      assert.equal(raw!.points.length, 20);
      const [c] = await h2.sink.reader.series({
        tags: ["u.t"],
        from: T0,
        to: T0 + 2000,
        step: 1000,
        agg: "count",
        maxPoints: 2,
      });
      assert.deepEqual(c!.points.map((p) => p.value), [10, 10], "the retry reused the prepared rollups");
      assert.equal((await h2.sink.reader.events({ limit: 10, type: "test.good" })).items.length, 1);
      assert.equal((await h2.sink.reader.events({ limit: 10, type: "test.good2" })).items.length, 1);
      const [other] = await h2.sink.reader.series({
        tags: ["u.other"],
        from: T0,
        to: T0 + 5000,
        maxPoints: 9,
      });
      assert.deepEqual(other!.points.map((p) => p.value), [0, 1]);
    } finally {
      await h2.close();
    }
  } finally {
    await h.sink.stop();
    if (await exists(moved)) await Deno.rename(moved, h.dir).catch(() => {});
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
    await Deno.remove(moved, { recursive: true }).catch(() => {});
  }
});

Deno.test("quarantine files stay within quarantine.max_mb: the oldest file goes first and removals are counted", async () => {
  const clock = { now: T0 };
  // 2 KiB: a line is about 840 bytes, so each file (continued in a new part once it holds 512 bytes) holds one.
  const h = await startSink({ quarantine: { max_mb: 2 / 1024 } }, clock);
  try {
    for (let n = 0; n < 8; n++) {
      clock.now = T0 + (n < 4 ? 0 : DAY) + n;
      await h.sink.write([event(`test.good${n}`), poison(n, 300)]);
    }
    assert.equal(quarantined(h), 8);
    assert.equal((await h.sink.reader.events({ limit: 20, type: "test" })).items.length, 8);
    const names = [...Deno.readDirSync(`${h.dir}/quarantine`)].map((e) => e.name).sort();
    const kept = (await Promise.all(names.map((n) => lines(`${h.dir}/quarantine/${n}`)))).flat();
    const sizes = names.map((n) => Deno.statSync(`${h.dir}/quarantine/${n}`).size);
    assert.ok(sizes.reduce((a, b) => a + b, 0) <= 2048, `sizes ${sizes}`);
    assert.ok(names.every((n) => n.startsWith("2026-11-21")), `the first day's files went first: ${names}`);
    const numbers = kept.map((l) =>
      Number(/poison (\d)/.exec(String((l.message as { event: { message: string } }).event.message))![1])
    )
      .sort();
    assert.ok(numbers.length >= 2 && numbers.length < 8, `kept ${numbers}`);
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => 8 - numbers.length + i),
      "newest kept",
    );
    const removed = h.ctx.metrics.counter("gateway_history_quarantine_files_removed_total", "")
      .get({ sink: "history" });
    assert.equal(removed, 8 - names.length, "one record per file at this cap");
    assert.equal(h.sink.health().details?.quarantine_files_removed, removed);
  } finally {
    await h.close();
  }
});
