import assert from "node:assert/strict";
import { appendSamples } from "../../../adapters/history/appender.ts";
import { openDb } from "../../../adapters/history/db.ts";
import { SampleRows } from "../../../adapters/history/staging.ts";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

interface Row {
  value: number;
  text?: string;
  serverTs: number;
}

function rowsOf(list: readonly Row[], t0: number): SampleRows {
  const rows = new SampleRows();
  rows.reserve(list.length);
  list.forEach((r, i) => {
    const k = rows.push(rows.tagRef("a.t"), t0 + i, t0 + i + 1, r.value, 0, 0, r.serverTs, 0);
    if (r.text !== undefined) rows.text.set(k, r.text);
  });
  return rows;
}

Deno.test("appends through the reused chunk keep each append's nulls, strings and sizes apart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_test_" });
  const db = await openDb(`${dir}/history.duckdb`);
  try {
    await db.write.run(
      "INSERT INTO tags VALUES (1, 'a.t', NULL, NULL, NULL, NULL, NULL, NULL, now()::TIMESTAMP, now()::TIMESTAMP)",
    );
    // 1: every value null and a text on every row; 2: values, no text, server time set where 1 had none;
    // 3: fewer rows than 2 (the reused chunk must not carry 2's tail); 4: spans two chunks of 3 rows.
    const appends: Row[][] = [
      Array.from({ length: 5 }, (_, i) => ({ value: NaN, text: `s${i}`, serverTs: NaN })),
      Array.from({ length: 5 }, (_, i) => ({ value: i, serverTs: T0 + i })),
      [{ value: 42, serverTs: NaN }],
      Array.from({ length: 4 }, (_, i) => ({ value: 100 + i, serverTs: i % 2 ? NaN : T0 })),
    ];
    let t = T0;
    for (const list of appends) {
      const a = await db.write.createAppender("samples");
      appendSamples(a, rowsOf(list, t), [1], 3);
      a.flushSync();
      a.closeSync();
      t += 1000;
    }
    const got = (await db.read.runAndReadAll(
      "SELECT value, text, epoch_ms(server_ts)::DOUBLE AS s FROM samples ORDER BY ts",
    )).getRowObjectsJS();
    const expected = appends.flat().map((r) => ({
      value: Number.isNaN(r.value) ? null : r.value,
      text: r.text ?? null,
      s: Number.isNaN(r.serverTs) ? null : r.serverTs,
    }));
    assert.deepEqual(got, expected);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
