/**
 * The bundle-form release built by `deno task release:bundle` runs the demo from a fresh directory: archive
 * unpacked elsewhere, no repository, no deno.json, no npm cache, a clean environment.
 */
import assert from "node:assert/strict";
import { VERSION } from "../../../core/version.ts";
import { hashFile } from "../../../core/release/file_hash.ts";

const REPO = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the bundle release archive runs the demo and DuckDB history from a fresh directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "release_bundle_test_" });
  try {
    const build = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        `${REPO}/scripts/release_bundle.ts`,
        "--out",
        `${dir}/dist`,
        "--gzip-level",
        "1",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(build.success, new TextDecoder().decode(build.stderr));
    const archive = `${dir}/dist/gateway-${VERSION}-linux-${Deno.build.arch}.tar.gz`;
    const { size } = await hashFile(archive);
    assert.ok(size > 1_000_000, `archive of ${size} bytes`);
    const fresh = `${dir}/fresh`;
    await Deno.mkdir(`${fresh}/gw`, { recursive: true });
    assert.ok(
      (await new Deno.Command("tar", { args: ["-xzf", archive, "-C", `${fresh}/gw`] }).output()).success,
    );
    const env = { PATH: "/usr/bin:/bin", HOME: fresh };
    const demo = await new Deno.Command(`${fresh}/gw/bin/gateway`, {
      args: ["demo", "--duration", "12", "--port", "0"],
      cwd: fresh,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(demo.stdout);
    assert.equal(demo.code, 0, new TextDecoder().decode(demo.stderr));
    assert.match(out, /demo: plant running/);
    assert.match(out, /source\.connected \[opcua\]/, "the embedded OPC UA server runs from the release");
    assert.match(out, /opcua\.pump1_bearing_temp\s+\d/);
    assert.match(out, /demo: stopped/);
    await Deno.writeTextFile(
      `${fresh}/gateway.yaml`,
      `gateway: { id: gw-fresh, site: plant, data_dir: ./data }
sources: [{ name: plant, type: simulator, tick_ms: 100, signals: [{ name: temp, kind: temperature }] }]
sinks: [{ name: history, type: history }]
http: { enabled: false }
`,
    );
    const gw = new Deno.Command(`${fresh}/gw/bin/gateway`, {
      args: ["run", "--config", `${fresh}/gateway.yaml`],
      cwd: fresh,
      env,
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    await new Promise((r) => setTimeout(r, 2500));
    gw.kill("SIGTERM");
    const res = await gw.output();
    const log = new TextDecoder().decode(res.stderr);
    assert.equal(res.code, 0, log);
    assert.doesNotMatch(log, /level=error/, log);
    // The launcher grants FFI to glibc by the path the memory_trim service opens (else RSS keeps freed pages).
    assert.doesNotMatch(log, /memory trimming unavailable/, log);
    const db = await Deno.stat(`${fresh}/data/state/history/history.duckdb`);
    assert.ok(db.size > 0, "the native DuckDB addon shipped in the release wrote the history file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
