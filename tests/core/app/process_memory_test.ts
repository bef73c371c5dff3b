import assert from "node:assert/strict";
import "../../../core/app/process_memory.ts";
import { registeredServices, type ServiceContext } from "../../../core/app/service.ts";
import { Metrics } from "../../../core/metrics/registry.ts";

function startWith(metrics: Metrics) {
  const factory = registeredServices().find((s) => s.name === "process_memory");
  assert.ok(factory, "process_memory is registered by importing its module");
  return factory.start({ pipeline: { metrics } } as unknown as ServiceContext);
}

function read(text: string, kind: string): number {
  const m = text.match(new RegExp(`^gateway_process_memory_bytes\\{kind="${kind}"\\} (\\d+)$`, "m"));
  assert.ok(m, `no ${kind} line in:\n${text}`);
  return Number(m[1]);
}

Deno.test("process_memory reports rss, heap and external bytes when scraped, and follows allocations", async () => {
  const metrics = new Metrics();
  const service = await startWith(metrics);
  assert.ok(service);
  const first = metrics.render();
  assert.ok(read(first, "rss") > read(first, "heap_used"));
  assert.ok(read(first, "heap_total") >= read(first, "heap_used"));
  const held = new Uint8Array(32 * 2 ** 20).fill(1);
  const second = metrics.render();
  assert.ok(read(second, "external") - read(first, "external") >= 32 * 2 ** 20);
  assert.equal(held[0], 1);
  assert.ok(read(second, "v8_malloced") > 0, "V8's own malloc");
  assert.ok(read(second, "global_handles") > 0, "handles native code holds on JS objects");
  await service.stop();
  assert.doesNotMatch(metrics.render(), /gateway_process_memory_bytes\{/);
});

Deno.test("process_memory reports the linear memory of loaded WASM signal cores", async () => {
  const { loadSignalCore } = await import("../../../wasm/mod.ts");
  const metrics = new Metrics();
  const service = await startWith(metrics);
  assert.ok(service);
  const core = await loadSignalCore({ logger: () => {} });
  const before = read(metrics.render(), "wasm");
  assert.ok(before >= 64 * 1024, `wasm ${before}`);
  core.fft(new Float32Array(1 << 18)); // a large transform grows the instance's memory
  assert.ok(read(metrics.render(), "wasm") > before);
  await service.stop();
});
