/**
 * @module The machine a proof run came from: cores, RAM, CPU model (/proc), kernel, Deno version.
 */

/** Where the figures were measured. */
export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly kernel: string;
  readonly deno: string;
  readonly v8: string;
  readonly loadAvgAtStart: string;
}

/** Describes this machine. */
export async function machine(): Promise<Machine> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const meminfo = await Deno.readTextFile("/proc/meminfo").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0);
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "");
  return {
    cpuModel: model,
    cores: navigator.hardwareConcurrency,
    ramGiB: Math.round((kb / 2 ** 20) * 10) / 10,
    kernel: Deno.osRelease(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    loadAvgAtStart: load.split(" ").slice(0, 3).join(" "),
  };
}
