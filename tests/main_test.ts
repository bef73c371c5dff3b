import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-sys",
  "--allow-run",
  "--allow-ffi",
];

async function gateway(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const VALID = `
gateway:
  id: cli-test
  site: lab
http:
  port: 0
sources:
  - name: sim
    type: simulator
    signals:
      - { name: temp, kind: temperature }
`;

Deno.test("check exits 0 for a valid file and prints a summary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ok.yaml`, VALID);
    const r = await gateway(["check", "--config", `${dir}/ok.yaml`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid \(1 sources, 0 transforms, 0 sinks, 0 assets\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check exits 1 and prints every error with its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = VALID.replace("kind: temperature", "kind: temperature, interval_ms: -5").replace(
      "site: lab",
      "site: lab\n  colour: red",
    );
    await Deno.writeTextFile(`${dir}/bad.yaml`, bad);
    const r = await gateway(["check", "--config", `${dir}/bad.yaml`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid configuration \(2 problems\)/);
    assert.match(r.stderr, /gateway\.colour \(line 5\): unknown key/);
    assert.match(r.stderr, /sources\[0\]\.signals\[0\]\.interval_ms \(line 12\): must be >= 1, got -5/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check exits 1 for a missing file and 2 for a usage error", async () => {
  const missing = await gateway(["check", "--config", "/nonexistent/gw.yaml"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read \/nonexistent\/gw\.yaml/);
  const usage = await gateway(["check"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--config is required/);
  const unknown = await gateway(["check", "--cfg", "x"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --cfg/);
});

Deno.test("every command answers --help and the program lists them", async () => {
  const top = await gateway(["--help"]);
  assert.equal(top.code, 0);
  for (const c of ["run", "demo", "check", "version", "config-sample"]) {
    assert.match(top.stdout, new RegExp(`\\n  ${c} `));
  }
  const run = await gateway(["run", "--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--config FILE/);
  const none = await gateway([]);
  assert.equal(none.code, 2);
  const bad = await gateway(["launch"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command "launch"/);
});

Deno.test("version prints the version", async () => {
  const r = await gateway(["version", "--json"]);
  assert.equal(r.code, 0);
  assert.match(JSON.parse(r.stdout).version, /^\d+\.\d+\.\d+/);
});

async function waitFor(read: () => string, re: RegExp, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (re.test(read())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${re}; got:\n${read()}`);
}

Deno.test("run stops gracefully on SIGTERM and reloads on SIGHUP without restarting unchanged sources", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/gw.yaml`;
  const cfg = VALID.replace("site: lab", `site: lab\n  data_dir: ${dir}/data`) +
    "sinks:\n  - { name: out, type: console, interval_ms: 100000 }\n";
  await Deno.writeTextFile(file, cfg);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, MAIN, "run", "--config", file],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) log += dec.decode(chunk);
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  try {
    await waitFor(() => log, /gateway started/, 15_000);
    // Add a second source; the first must be reported unchanged.
    await Deno.writeTextFile(
      file,
      cfg.replace(
        "sinks:",
        "  - name: sim2\n    type: simulator\n    signals: [{ name: t2, kind: analog }]\nsinks:",
      ),
    );
    child.kill("SIGHUP");
    await waitFor(
      () => log,
      /configuration reloaded: 0 restarted, 1 started, 0 stopped, 2 unchanged/,
      10_000,
    );
    // An invalid edit is rejected and the running configuration stays.
    await Deno.writeTextFile(file, cfg.replace("kind: temperature", "kind: lava"));
    child.kill("SIGHUP");
    await waitFor(() => log, /configuration reload rejected, keeping the running one/, 10_000);
    child.kill("SIGTERM");
    const status = await child.status;
    await pumps;
    assert.equal(status.code, 0, log);
    assert.match(log, /gateway stopping/);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("demo runs the plant through OPC UA, Modbus and the DAQ, with dashboard, history and uplink", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await gateway([
      "demo",
      "--duration",
      "12",
      "--data-dir",
      dir,
      "--port",
      "0",
      "--log-level",
      "warn",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /demo: dashboard http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(r.stdout, /source\.connected \[opcua\]/);
    assert.match(r.stdout, /source\.connected \[plc\]/);
    assert.match(r.stdout, /daq\.pump1_vib_x\s+-?\d/);
    assert.match(r.stdout, /opcua\.pump1_bearing_temp\s+\d+\.\d+ degC\s+good/);
    assert.match(r.stdout, /plc\.line1\.state\s+(running|stopped|fault)\s+good/);
    assert.match(r.stdout, /demo: stopped/);
    const db = await Deno.stat(`${dir}/state/history/history.duckdb`);
    assert.ok(db.isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
