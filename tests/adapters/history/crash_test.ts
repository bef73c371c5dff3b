import assert from "node:assert/strict";
import { openDb } from "../../../adapters/history/db.ts";

Deno.test("history keeps every batch it reported committed after kill -9 mid-write, and the file reopens", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_crash_" });
  const path = `${dir}/h.duckdb`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      new URL("./_crash_writer.ts", import.meta.url).pathname,
      path,
      "500",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const committed: number[] = [];
  let killed = false;
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    while (!killed) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^committed (\d+)$/.exec(l);
        if (m) committed.push(Number(m[1]));
      }
      if (committed.length >= 60) {
        child.kill("SIGKILL");
        killed = true;
      }
    }
    // Lines already in the pipe were reported before the kill: they count too.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
    }
    for (const l of buf.split("\n")) {
      const m = /^committed (\d+)$/.exec(l);
      if (m) committed.push(Number(m[1]));
    }
    const status = await child.status;
    assert.equal(status.signal, "SIGKILL");
  } finally {
    if (!killed) child.kill("SIGKILL");
  }
  try {
    const db = await openDb(path);
    try {
      const r = await db.read.runAndReadAll(
        "SELECT value::INTEGER AS id, count(*)::INTEGER AS n FROM samples GROUP BY 1 ORDER BY 1",
      );
      const found = new Map(r.getRowObjectsJS().map((row) => [Number(row.id), Number(row.n)]));
      for (const id of committed) assert.equal(found.get(id), 500, `batch ${id} reported committed`);
      for (const [id, n] of found) assert.equal(n, 500, `batch ${id} is whole, never partial`);
      const ev = await db.read.runAndReadAll("SELECT count(*)::INTEGER AS n FROM events");
      assert.equal(Number(ev.getRowObjectsJS()[0]!.n), found.size, "events commit with their batch");
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
