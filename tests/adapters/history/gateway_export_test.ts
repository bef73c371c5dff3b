import assert from "node:assert/strict";
import "../../../adapters/simulator/mod.ts";
import "../../../adapters/history/mod.ts";
import "../../../core/api/mod.ts";
import { DuckDBInstance } from "@duckdb/node-api";
import { createLogger, Gateway, parseConfig } from "../../../core/mod.ts";
import { TokenFile } from "../../../core/api/mod.ts";

Deno.test("gateway export --url pulls Parquet from a running gateway's HTTP API while it holds the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "history_gw_" });
  const token =
    (await new TokenFile(`${dir}/api_tokens.json`).create({ name: "v", role: "viewer", scopes: [] })).token;
  const yaml = `gateway: { id: gw, site: s, data_dir: "${dir}" }
log: { level: error }
sources:
  - name: sim
    type: simulator
    tick_ms: 50
    signals:
      - { name: temp, kind: temperature, unit: degC, interval_ms: 50 }
sinks:
  - { name: store, type: history }
http:
  port: 0
`;
  const gateway = new Gateway(parseConfig(yaml, { env: () => undefined }), {
    logger: createLogger({ level: "error", writer: () => {} }),
  });
  await gateway.start();
  try {
    const url = (gateway.health().services.http?.details as { url: string }).url;
    await new Promise((r) => setTimeout(r, 1500));
    const out = `${dir}/remote.parquet`;
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "--allow-ffi",
          "--allow-sys",
          "--allow-net=127.0.0.1",
          new URL("./_cli_child.ts", import.meta.url).pathname,
          "export",
          ...args,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const locked = await run(["--db", `${dir}/state/store/history.duckdb`, "--from", "-1h", "--out", out]);
    assert.equal(locked.code, 1);
    assert.match(new TextDecoder().decode(locked.stderr), /locked by another process/);
    const r = await run([
      "--url",
      url,
      "--token",
      token,
      "--from",
      "-1h",
      "--tags",
      "sim.temp",
      "--out",
      out,
    ]);
    const err = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, 0, err);
    const rows = Number(/(\d+) rows/.exec(err)?.[1]);
    assert.ok(rows >= 5, err);
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    try {
      const back = (await conn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, min(tag) AS tag, max(unit) AS unit FROM read_parquet('${out}')`,
      )).getRowObjectsJS()[0]!;
      assert.deepEqual(back, { n: rows, tag: "sim.temp", unit: "degC" });
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  } finally {
    await gateway.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
