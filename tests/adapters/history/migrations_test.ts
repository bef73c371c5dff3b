import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { currentVersion, migrate, SCHEMA_VERSION } from "../../../adapters/history/migrations.ts";
import { openDb } from "../../../adapters/history/db.ts";
import { startSink } from "./_helpers.ts";

Deno.test("migrations bring a version 1 database forward, keeping its data, and record each step", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_mig_" });
  const path = `${dir}/history.duckdb`;
  try {
    const inst = await DuckDBInstance.create(path);
    const conn = await inst.connect();
    assert.deepEqual(await migrate(conn, 1), [1]);
    assert.equal(await currentVersion(conn), 1);
    await conn.run(
      `INSERT INTO tags VALUES (1, 'old.t', 's', 'float', NULL, NULL, NULL, NULL, now()::TIMESTAMP, now()::TIMESTAMP)`,
    );
    await conn.run(
      `INSERT INTO samples VALUES (1, TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:00', 4.5, NULL, 0, 0, NULL, NULL)`,
    );
    await conn.run(
      `INSERT INTO alerts VALUES ('a1', 'p', 'anomaly', 'warning', 'active', false, now()::TIMESTAMP, NULL, 'm', NULL, NULL, '[]', now()::TIMESTAMP)`,
    );
    conn.closeSync();
    inst.closeSync();

    const h = await startSink({ path, retention: { raw_days: 0 } }, undefined, dir);
    try {
      const [s] = await h.sink.reader.series({
        tags: ["old.t"],
        from: 0,
        to: Date.UTC(2027, 0),
        maxPoints: 10,
      });
      assert.deepEqual(s!.points, [{ ts: Date.UTC(2026, 0, 1), value: 4.5, quality: 0 }]);
      const acked = await h.sink.reader.acknowledgeAlert("a1", "operator", Date.UTC(2026, 10, 23));
      assert.equal(acked?.acknowledged, true);
      assert.equal((acked as { ackedBy?: string }).ackedBy, "operator");
    } finally {
      await h.close();
    }
    const db = await openDb(path);
    try {
      const v = await db.read.runAndReadAll("SELECT version FROM schema_version ORDER BY version");
      assert.deepEqual(v.getRowObjectsJS().map((r) => r.version), [1, 2]);
      assert.equal(await currentVersion(db.read), SCHEMA_VERSION);
      const f = await db.read.runAndReadAll("SELECT flags FROM samples");
      assert.deepEqual(f.getRowObjectsJS(), [{ flags: 0 }]);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("migrations refuse a database written by a newer gateway (forward only)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_mig_" });
  const path = `${dir}/history.duckdb`;
  try {
    const inst = await DuckDBInstance.create(path);
    const conn = await inst.connect();
    await migrate(conn);
    await conn.run(`INSERT INTO schema_version VALUES (${SCHEMA_VERSION + 1}, now()::TIMESTAMP, 'future')`);
    conn.closeSync();
    inst.closeSync();
    await assert.rejects(
      () => openDb(path),
      (e) => e instanceof RangeError && e.message.includes(`version ${SCHEMA_VERSION + 1} is newer`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
