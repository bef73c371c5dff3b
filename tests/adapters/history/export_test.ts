import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { msg, series, startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 21, 6, 0, 0);

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

Deno.test("export writes a Parquet file for a time range and tag set that DuckDB reads back", async () => {
  const h = await startSink();
  try {
    h.ctx.tags.define({ id: "e.a", source: "plc", dataType: "float", unit: "bar", asset: "pump-1" });
    await h.sink.write([
      msg(series("e.a", T0, 1000, 100, (i) => i * 0.5)),
      msg(series("e.b", T0, 1000, 100, (i) => -i)),
      msg([{ tag: "e.a", value: 1, ts: T0 + 1e6, recv: T0 + 1e6, quality: 0, status: 0, historical: true }]),
    ]);
    const progress: number[] = [];
    const out = `${h.dir}/out.parquet`;
    const r = await h.sink.reader.exportRange({
      from: T0 + 10_000,
      to: T0 + 60_000,
      tags: ["e.a"],
      format: "parquet",
      path: out,
      onProgress: (p) => progress.push(p),
    });
    assert.equal(r.rows, 50);
    assert.equal(r.bytes, (await Deno.stat(out)).size);
    assert.equal(progress[0], 0);
    assert.equal(progress[progress.length - 1], 1);
    const rows = await query(
      `SELECT tag, asset, unit, epoch_ms(ts) AS ts, value, quality, historical FROM read_parquet('${out}') ORDER BY ts`,
    );
    assert.equal(rows.length, 50);
    assert.deepEqual(rows[0], {
      tag: "e.a",
      asset: "pump-1",
      unit: "bar",
      ts: BigInt(T0 + 10_000),
      value: 5,
      quality: 0,
      historical: false,
    });
    assert.equal(rows[49]!.value, 29.5);
    await assert.rejects(() => Deno.stat(`${out}.partial`), Deno.errors.NotFound);
    const csv = `${h.dir}/out.csv`;
    const c = await h.sink.reader.exportRange({ from: T0, to: T0 + 2e6, format: "csv", path: csv });
    assert.equal(c.rows, 201);
    const back = await query(
      `SELECT count(*)::INTEGER AS n, sum(value) AS s, count(*) FILTER (WHERE historical)::INTEGER AS hist FROM read_csv('${csv}')`,
    );
    assert.deepEqual(back[0], { n: 201, s: 0.5 * 4950 - 4950 + 1, hist: 1 });
    await assert.rejects(
      () => h.sink.reader.exportRange({ from: T0, to: T0 + 1, format: "xlsx" as never, path: csv }),
      /format must be "parquet" or "csv"/,
    );
  } finally {
    await h.close();
  }
});

function cli(args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      "--allow-net=127.0.0.1",
      new URL("./_cli_child.ts", import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("gateway export reads the file of a stopped gateway and says how to proceed when one holds the lock", async () => {
  const h = await startSink();
  const path = `${h.dir}/history.duckdb`;
  try {
    await h.sink.write([
      msg(series("x.a", T0, 1000, 30, (i) => i)),
      msg(series("x.b", T0, 1000, 30, (i) => i)),
    ]);
    const locked = await cli([
      "export",
      "--db",
      path,
      "--from",
      String(T0),
      "--to",
      String(T0 + 60_000),
      "--out",
      `${h.dir}/a.parquet`,
    ]);
    assert.equal(locked.code, 1);
    const err = new TextDecoder().decode(locked.stderr);
    assert.match(err, /is locked by another process \(PID \d+\), probably a running gateway/);
    assert.match(err, /gateway export --url/);
  } finally {
    await h.sink.stop();
  }
  try {
    const out = `${h.dir}/a.csv`;
    const ok = await cli([
      "export",
      "--db",
      path,
      "--from",
      new Date(T0).toISOString(),
      "--to",
      String(T0 + 10_000),
      "--tags",
      "x.a",
      "--out",
      out,
    ]);
    const err = new TextDecoder().decode(ok.stderr);
    assert.equal(ok.code, 0, err);
    assert.match(err, /\[#{30}\] 100% 10 rows/);
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    assert.equal(lines.length, 11);
    assert.ok(lines[0]!.startsWith("tag,asset,unit,ts,recv,server_ts,value,text,quality,status,reason"));
    const cfg = `${h.dir}/gw.yaml`;
    await Deno.writeTextFile(
      cfg,
      `gateway:\n  id: t\n  site: s\n  data_dir: ${h.dir}/data\nsinks:\n  - name: store\n    type: history\n    path: ${path}\n`,
    );
    const viaConfig = await cli([
      "export",
      "--config",
      cfg,
      "--from",
      String(T0),
      "--to",
      String(T0 + 5000),
      "--out",
      `${h.dir}/c.csv`,
    ]);
    assert.equal(viaConfig.code, 0, new TextDecoder().decode(viaConfig.stderr));
    assert.equal(
      (await Deno.readTextFile(`${h.dir}/c.csv`)).trim().split("\n").length,
      11,
      "5 s of two tags + header",
    );
    const bad = await cli(["export", "--db", path, "--from", "yesterday", "--out", out]);
    assert.equal(bad.code, 2);
    assert.match(new TextDecoder().decode(bad.stderr), /--from "yesterday" is not a time/);
  } finally {
    await Deno.remove(h.dir, { recursive: true });
  }
});

Deno.test("gateway export --url downloads through the HTTP API of a running gateway with its token", async () => {
  const h = await startSink();
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const u = new URL(req.url);
    seen.push(`${u.pathname}?${u.searchParams}`);
    if (req.headers.get("authorization") !== "Bearer s3cret") return new Response("no", { status: 401 });
    const path = `${h.dir}/srv-${crypto.randomUUID()}.parquet`;
    const r = await h.sink.reader.exportRange({
      from: Number(u.searchParams.get("from")),
      to: Number(u.searchParams.get("to")),
      tags: u.searchParams.get("tags")!.split(","),
      format: u.searchParams.get("format") as "parquet",
      path,
    });
    const body = await Deno.readFile(path);
    return new Response(body, { headers: { "x-export-rows": String(r.rows) } });
  });
  try {
    await h.sink.write([msg(series("u.a", T0, 1000, 40, (i) => i))]);
    const url = `http://127.0.0.1:${server.addr.port}`;
    const out = `${h.dir}/remote.parquet`;
    const denied = await cli([
      "export",
      "--url",
      url,
      "--token",
      "wrong",
      "--from",
      String(T0),
      "--to",
      String(T0 + 1e5),
      "--tags",
      "u.a",
      "--out",
      out,
    ]);
    assert.equal(denied.code, 1);
    assert.match(new TextDecoder().decode(denied.stderr), /gateway answered 401/);
    const ok = await cli([
      "export",
      "--url",
      url,
      "--token",
      "s3cret",
      "--from",
      String(T0),
      "--to",
      String(T0 + 20_000),
      "--tags",
      "u.a",
      "--out",
      out,
    ]);
    assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
    assert.match(new TextDecoder().decode(ok.stderr), /20 rows/);
    assert.ok(seen.at(-1)!.startsWith("/api/v1/export?"));
    const rows = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out}')`);
    assert.equal(rows[0]!.n, 20);
  } finally {
    await server.shutdown();
    await h.close();
  }
});
