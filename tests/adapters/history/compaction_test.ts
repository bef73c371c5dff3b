import assert from "node:assert/strict";
import type { DuckDBConnection } from "@duckdb/node-api";
import { CompactionMarks, compactRollups } from "../../../adapters/history/compaction.ts";
import { emptyBatch } from "../../../adapters/history/prepare.ts";
import { TagIds } from "../../../adapters/history/tag_ids.ts";
import { commitBatch } from "../../../adapters/history/writer.ts";
import { openDb } from "../../../adapters/history/db.ts";
import type { Message, Rollup } from "../../../core/mod.ts";
import { startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

function rollup(start: number, mean: number, tag = "c.v"): Message {
  const r: Rollup = {
    tag,
    interval: "1m",
    start,
    count: 60,
    mean,
    std: 0,
    min: mean,
    max: mean,
    p95: mean,
    last: mean,
    badShare: 0,
  };
  return { kind: "rollup", rollup: r };
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const marksOf = (conn: DuckDBConnection) =>
  rows(conn, "SELECT table_name, epoch_ms(pending_from)::DOUBLE AS ms FROM rollup_compaction ORDER BY 1");

const bucketsOf = (conn: DuckDBConnection) =>
  rows(
    conn,
    "SELECT epoch_ms(start)::DOUBLE AS ms, count(*)::INTEGER AS n FROM rollups_1m GROUP BY 1 ORDER BY 1",
  );

Deno.test("a write marks the earliest rollup bucket it stored, in its transaction, and a pass clears the mark", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_test_" });
  const db = await openDb(`${dir}/history.duckdb`);
  try {
    const marks = new CompactionMarks();
    const tagIds = new TagIds();
    await marks.load(db.write);
    await compactRollups(db.write, marks); // the first pass covers the whole (new) database
    assert.deepEqual(await marksOf(db.read), []);
    const batch = emptyBatch();
    for (const [start, mean] of [[T0 + 120_000, 1], [T0 + 60_000, 2], [T0 + 180_000, 3]] as const) {
      batch.computed.push((rollup(start, mean) as { rollup: Rollup }).rollup);
    }
    await commitBatch(db.write, tagIds, marks, batch, [], () => undefined, 2048, T0);
    assert.deepEqual(await marksOf(db.read), [{ table_name: "rollups_1m", ms: T0 + 60_000 }]);
    assert.equal(await compactRollups(db.write, marks), 0);
    assert.deepEqual(await marksOf(db.read), [], "the pass left no mark");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a pass merges duplicates from the mark on and leaves older buckets unread", async () => {
  const h = await startSink();
  const path = `${h.dir}/history.duckdb`;
  try {
    await h.sink.write([rollup(T0, 1), rollup(T0 + 600_000, 1)]);
    await h.sink.maintain();
    await h.sink.stop();
    // A duplicate of an old bucket written behind the store's back (as if by hand): no mark covers it.
    let db = await openDb(path);
    try {
      await db.write.run(
        "INSERT INTO rollups_1m SELECT * FROM rollups_1m WHERE start = make_timestamp($1::BIGINT)",
        [
          BigInt(T0 * 1000),
        ],
      );
    } finally {
      db.close();
    }
    const h2 = await startSink({}, undefined, h.dir);
    try {
      await h2.sink.write([rollup(T0 + 600_000, 3)]); // continues the later bucket: marks it
      await h2.sink.maintain();
    } finally {
      await h2.sink.stop();
    }
    db = await openDb(path);
    try {
      assert.deepEqual(await bucketsOf(db.read), [{ ms: T0, n: 2 }, { ms: T0 + 600_000, n: 1 }]);
      const merged = await rows(
        db.read,
        `SELECT count::INTEGER AS c, mean FROM rollups_1m WHERE start = make_timestamp(${
          (T0 + 600_000) * 1000
        }::BIGINT)`,
      );
      assert.deepEqual(merged, [{ c: 120, mean: 2 }], "the marked bucket was merged exactly");
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true });
  }
});

Deno.test("a database from a build without marks gets one full pass", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_test_" });
  const path = `${dir}/history.duckdb`;
  try {
    const h = await startSink({}, undefined, dir);
    await h.sink.write([rollup(T0, 1), rollup(T0, 5)]); // two rows of one bucket
    await h.sink.stop();
    let db = await openDb(path);
    try {
      await db.write.run("DROP TABLE rollup_compaction"); // as an older build leaves the file
    } finally {
      db.close();
    }
    const h2 = await startSink({}, undefined, dir);
    try {
      await h2.sink.maintain();
    } finally {
      await h2.sink.stop();
    }
    db = await openDb(path);
    try {
      assert.deepEqual(await bucketsOf(db.read), [{ ms: T0, n: 1 }]);
      const [m] = await rows(db.read, "SELECT count::INTEGER AS c, mean FROM rollups_1m");
      assert.deepEqual(m, { c: 120, mean: 3 });
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a rolled-back write leaves the marks as they were after a reload", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_test_" });
  const db = await openDb(`${dir}/history.duckdb`);
  try {
    const marks = new CompactionMarks();
    await marks.load(db.write);
    assert.equal(marks.pending("rollups_1s"), "all", "an untracked database needs a full pass");
    await marks.clear(db.write, "rollups_1s");
    await marks.lower(db.write, "rollups_1s", T0);
    await marks.lower(db.write, "rollups_1s", T0 + 5000); // later: no write
    assert.equal(marks.pending("rollups_1s"), T0);
    await db.write.run("BEGIN TRANSACTION");
    await marks.lower(db.write, "rollups_1s", T0 - 5000);
    assert.equal(marks.pending("rollups_1s"), T0 - 5000);
    await db.write.run("ROLLBACK");
    await marks.load(db.write);
    assert.equal(marks.pending("rollups_1s"), T0);
    assert.equal(marks.pending("rollups_1m"), "all");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
