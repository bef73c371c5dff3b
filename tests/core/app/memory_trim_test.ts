import assert from "node:assert/strict";
import "../../../adapters/simulator/mod.ts";
import { openMallocTrim } from "../../../core/app/memory_trim.ts";
import { registeredServices, type ServiceContext } from "../../../core/app/service.ts";
import { parseConfig } from "../../../core/config/mod.ts";
import { createLogger } from "../../../core/log/logger.ts";
import { Metrics } from "../../../core/metrics/registry.ts";

const BASE =
  "gateway: { id: gw, site: s }\nsources: [{ name: sim, type: simulator, signals: [{ name: a, kind: analog }] }]\n";

function context(memory: string, metrics: Metrics, logs: string[]): ServiceContext {
  const config = parseConfig(BASE + memory);
  const logger = createLogger({ level: "info", writer: (line) => logs.push(line) });
  return { pipeline: { metrics }, logger, config: () => config } as unknown as ServiceContext;
}

const factory = () => registeredServices().find((s) => s.name === "memory_trim")!;

Deno.test("malloc_trim opens from glibc on this Linux host and runs", async () => {
  const trim = openMallocTrim();
  assert.equal(typeof trim, "function", `unavailable: ${String(trim)}`);
  const r = await (trim as (pad: number) => Promise<number>)(0);
  assert.ok(r === 0 || r === 1, `malloc_trim returned ${r}`);
});

Deno.test("malloc_trim skips a libc path that does not open and says why when none does", async () => {
  const trim = openMallocTrim(["/nonexistent/libc.so.6"]);
  assert.equal(typeof trim, "function", "falls back to the loader's libc.so.6");
  assert.ok(((await (trim as (pad: number) => Promise<number>)(0)) & ~1) === 0);
  // A process granted FFI elsewhere only (as a release launcher on a host without these libc paths would be).
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    script,
    `import { openMallocTrim } from "${
      new URL("../../../core/app/memory_trim.ts", import.meta.url).href
    }";\n` +
      "console.log(String(openMallocTrim()));\n",
  );
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--allow-read", "--allow-ffi=/nonexistent", script],
    stdout: "piped",
    stderr: "piped",
  }).output().finally(() => Deno.remove(script));
  const out = new TextDecoder().decode(child.stdout);
  assert.ok(child.success, new TextDecoder().decode(child.stderr));
  assert.match(out, /\/lib\/x86_64-linux-gnu\/libc\.so\.6: .*Requires ffi access/);
  assert.match(out, /libc\.so\.6: .*Requires ffi access/);
});

Deno.test("memory_trim runs on its interval, counts runs and stops cleanly", async () => {
  const metrics = new Metrics();
  const logs: string[] = [];
  const service = await factory().start(context("memory: { trim_interval_s: 1 }\n", metrics, logs));
  assert.ok(service, "started");
  await new Promise((r) => setTimeout(r, 2300));
  await service.stop();
  const text = metrics.render();
  const runs = [...text.matchAll(/^gateway_memory_trims_total\{released="(?:yes|no)"\} (\d+)$/gm)]
    .reduce((a, m) => a + Number(m[1]), 0);
  assert.ok(runs >= 2 && runs <= 3, `runs ${runs}\n${text}`);
  assert.deepEqual(logs, []);
});

Deno.test("memory trimming is off with trim_interval_s: 0 and bad values name their path", async () => {
  const service = await factory().start(context("memory: { trim_interval_s: 0 }\n", new Metrics(), []));
  assert.equal(service, undefined);
  assert.throws(() => parseConfig(BASE + "memory: { trim_interval_s: -1 }\n"), /memory\.trim_interval_s/);
  assert.throws(() => parseConfig(BASE + "memory: { trim_every: 5 }\n"), /memory\.trim_every/);
});
