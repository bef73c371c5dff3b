/**
 * @module The `memory` section and its `memory_trim` service: every `trim_interval_s` the gateway asks glibc to
 * hand freed heap pages back to the operating system (`malloc_trim(0)`, on a worker thread). Without it, a
 * process that allocates and frees many native buffers per second (Modbus/OPC UA frames, DuckDB appends, WASM
 * windows) keeps freed pages resident in fragmented arenas and its RSS creeps up for hours even though nothing
 * leaks. Linux with glibc only; elsewhere (musl, macOS, no `--allow-ffi`) the service says so once and stays off.
 */
import { defineSection } from "../config/sections.ts";
import { errorMessage } from "../errors.ts";
import { type Infer, type ObjectSchema, s, type Shape } from "../schema/mod.ts";
import { LIBC_PATHS } from "./libc_paths.ts";
import { defineService, type Service } from "./service.ts";

export const memorySection = s.object({
  trim_interval_s: s.int({ min: 0, max: 3600 }).default(30).describe(
    "Return freed native heap pages to the OS every this many seconds (glibc malloc_trim); 0 turns it off.",
  ),
});
export type MemoryConfig = Infer<typeof memorySection>;

defineSection("memory", memorySection as unknown as ObjectSchema<Shape>);

/** A callable `malloc_trim(pad)` of the C library, or why there is none. */
export type Trim = (pad: number) => Promise<number>;

/** Opens glibc's `malloc_trim` (first of `paths` that opens, then the loader's `libc.so.6`); why not, if not. */
export function openMallocTrim(paths: readonly string[] = LIBC_PATHS): Trim | string {
  if (Deno.build.os !== "linux") return `not Linux (${Deno.build.os})`;
  const reasons: string[] = [];
  for (const path of [...paths, "libc.so.6"]) {
    try {
      const lib = Deno.dlopen(path, {
        malloc_trim: { parameters: ["usize"], result: "i32", nonblocking: true },
      });
      return (pad) => lib.symbols.malloc_trim(BigInt(pad));
    } catch (error) {
      reasons.push(`${path}: ${errorMessage(error)}`);
    }
  }
  return reasons.join("; ");
}

defineService({
  name: "memory_trim",
  section: "memory",
  start(ctx) {
    const cfg = ctx.config().memory as MemoryConfig;
    if (cfg.trim_interval_s === 0) return Promise.resolve(undefined);
    const trim = openMallocTrim();
    if (typeof trim === "string") {
      ctx.logger.info("memory trimming unavailable; RSS may hold freed native pages", { reason: trim });
      return Promise.resolve(undefined);
    }
    const m = ctx.pipeline.metrics;
    const runs = m.counter("gateway_memory_trims_total", "malloc_trim runs, by whether they returned pages");
    const released = m.counter(
      "gateway_memory_trim_released_bytes_total",
      "Resident memory given back by malloc_trim (RSS before minus after, when positive)",
    );
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const before = Deno.memoryUsage().rss;
      trim(0).then((freed) => {
        const gone = before - Deno.memoryUsage().rss;
        runs.inc({ released: freed !== 0 ? "yes" : "no" });
        if (gone > 0) released.inc({}, gone);
      }).catch((error) => ctx.logger.warn("malloc_trim failed", { error: errorMessage(error) }))
        .finally(() => busy = false);
    }, cfg.trim_interval_s * 1000);
    const service: Service = {
      async stop() {
        clearInterval(timer);
        while (busy) await new Promise((r) => setTimeout(r, 10));
      },
    };
    return Promise.resolve(service);
  },
});
