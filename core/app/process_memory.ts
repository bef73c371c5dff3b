/**
 * @module Memory of the gateway process as a Prometheus gauge (service `process_memory`, no config):
 * `gateway_process_memory_bytes{kind="rss"|"heap_used"|"heap_total"|"external"|"wasm"|"v8_malloced"|
 * "global_handles"}`, read when scraped. RSS growing while `heap_used` stays flat points at native memory (DuckDB,
 * WASM, buffers), not at JS objects; `v8_malloced` is V8's own malloc (compiler zones, remembered sets) and
 * `global_handles` the handles that native addons (DuckDB's) and the runtime hold on JS objects.
 * Registered by importing this module.
 */
import { getHeapStatistics } from "node:v8";
import { wasmMemoryBytes } from "../../wasm/mod.ts";
import { defineService, type Service } from "./service.ts";

defineService({
  name: "process_memory",
  start: (ctx) => {
    const remove = ctx.pipeline.metrics.gauge(
      "gateway_process_memory_bytes",
      "Memory of the gateway process: resident set, V8 heap used and reserved, external (ArrayBuffers, addons), WASM linear memory (part of external), V8's own malloc, global handles",
    ).collect(() => {
      const m = Deno.memoryUsage();
      const v8 = getHeapStatistics();
      return [
        [{ kind: "rss" }, m.rss],
        [{ kind: "heap_used" }, m.heapUsed],
        [{ kind: "heap_total" }, m.heapTotal],
        [{ kind: "external" }, m.external],
        [{ kind: "wasm" }, wasmMemoryBytes()],
        [{ kind: "v8_malloced" }, v8.malloced_memory],
        [{ kind: "global_handles" }, v8.total_global_handles_size],
      ];
    });
    const service: Service = {
      stop() {
        remove();
        return Promise.resolve();
      },
    };
    return Promise.resolve(service);
  },
});
