import assert from "node:assert/strict";
import { V8_FLAGS, v8FlagsArg } from "../../../core/app/runtime_flags.ts";
import { launcherScript } from "../../../scripts/release_launcher.ts";
import { gatewayRuntimeFlags } from "../../../scripts/proof/rig.ts";

const ROOT = new URL("../../../", import.meta.url);

Deno.test("V8 accepts the gateway's flags (an unknown flag would stop the process at start)", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["eval", v8FlagsArg(), "console.log('started')"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(r.stdout).trim(), "started", new TextDecoder().decode(r.stderr));
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--heap-growing-percentage=50", "console.log('started')"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.notEqual(
    new TextDecoder().decode(bad.stdout).trim(),
    "started",
    "control: a misspelt flag is refused",
  );
});

Deno.test("every way of starting the gateway passes the same V8 flags", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).tasks as Record<
    string,
    string
  >;
  for (const name of ["start", "demo"]) assert.ok(tasks[name]!.includes(v8FlagsArg()), `task ${name}`);
  assert.ok(launcherScript("1.2.3").includes(`--cached-only ${v8FlagsArg()} `), "bundle launcher");
  const compile = await Deno.readTextFile(new URL("scripts/release_compile.ts", ROOT));
  assert.match(compile, /\.\.\.PERMISSIONS,\n\s+v8FlagsArg\(\),/, "deno compile bakes them in");
  assert.deepEqual(gatewayRuntimeFlags([]), [v8FlagsArg()], "proof runs");
});

Deno.test("a diagnostic run's V8 flags join the gateway's in one argument; other flags pass through", () => {
  assert.deepEqual(
    gatewayRuntimeFlags(["--inspect=127.0.0.1:9229", "--v8-flags=--trace-gc,--trace-gc-verbose"]),
    [`--v8-flags=${[...V8_FLAGS, "--trace-gc", "--trace-gc-verbose"].join(",")}`, "--inspect=127.0.0.1:9229"],
  );
});
