/**
 * @module `gateway healthcheck`: exits 0 when the gateway reports healthy (for Docker HEALTHCHECK and scripts;
 * images without curl or a shell can still probe).
 */
import { defineCommand } from "../cli/command.ts";
import { probeHealthUrl, readHealthFile } from "./health_file.ts";

defineCommand({
  name: "healthcheck",
  summary: "Exit 0 when the gateway reports healthy (HTTP /api/v1/health or the supervisor health file)",
  usage: "[--url URL | --file FILE] [--accept-degraded] [--max-age SECONDS]",
  options: {
    url: {
      type: "string",
      arg: "URL",
      description: "Health endpoint.",
      default: "http://127.0.0.1:8080/api/v1/health",
    },
    file: {
      type: "string",
      arg: "FILE",
      description: "Health file written for `gateway supervise` instead of --url.",
    },
    "accept-degraded": { type: "boolean", description: "Treat status degraded as healthy.", default: false },
    "max-age": { type: "number", arg: "SECONDS", description: "Oldest acceptable health file.", default: 10 },
    timeout: { type: "number", arg: "SECONDS", description: "HTTP timeout.", default: 3 },
  },
  async run({ options }) {
    const ok = (s: string) => s === "ok" || (options["accept-degraded"] === true && s === "degraded");
    if (typeof options.file === "string") {
      const h = await readHealthFile(options.file);
      if (!h) return fail(`no readable health record in ${options.file}`);
      const age = (Date.now() - h.ts) / 1000;
      if (age > (options["max-age"] as number)) return fail(`health record is ${age.toFixed(0)} s old`);
      return ok(h.status) ? pass(`${h.status} (version ${h.version})`) : fail(`status ${h.status}`);
    }
    const r = await probeHealthUrl(options.url as string, (options.timeout as number) * 1000);
    if (!r) return fail(`no health answer from ${options.url}`);
    return ok(r.status) ? pass(`${r.status} (version ${r.version})`) : fail(`status ${r.status}`);
  },
});

function pass(message: string): number {
  console.log(`healthy: ${message}`);
  return 0;
}

function fail(message: string): number {
  console.error(`unhealthy: ${message}`);
  return 1;
}
