/**
 * @module `gateway supervise --root DIR -- run --config FILE`: the A/B supervisor command.
 */
import { defineCommand } from "../cli/command.ts";
import { createLogger, LOG_LEVELS, type LogLevel } from "../log/logger.ts";
import { UsageError } from "../cli/parse.ts";
import { Layout } from "./layout.ts";
import { Supervisor } from "./supervisor.ts";

defineCommand({
  name: "supervise",
  summary: "Run the current release, restart it, and roll back a new version that does not become healthy",
  usage: "--root DIR [options] -- run --config FILE",
  details:
    "Starts ROOT/current/bin/gateway with the arguments after --, and restarts it when it exits. After an\n" +
    "update switched `current`, it backs up the data files, starts the new version and waits for it to report\n" +
    "healthy (health file, or --health-url) within the health window; otherwise it restores the previous\n" +
    "version and its data. SIGTERM/SIGINT stop the child gracefully; SIGHUP is forwarded (reload). Run it\n" +
    "from systemd (deploy/gateway.service).",
  options: {
    root: {
      type: "string",
      arg: "DIR",
      description: "Release root (releases/, current, state/).",
      required: true,
    },
    "health-window": {
      type: "number",
      arg: "SECONDS",
      description: "Health window when the update does not set one.",
      default: 120,
    },
    "health-url": {
      type: "string",
      arg: "URL",
      description: "Also accept health from this URL (/api/v1/health).",
    },
    "accept-degraded": { type: "boolean", description: "Treat status degraded as healthy.", default: false },
    "max-attempts": {
      type: "number",
      arg: "N",
      description: "Starts of a new version before rollback.",
      default: 2,
    },
    settle: {
      type: "number",
      arg: "SECONDS",
      description: "Time a new version must stay up after reporting healthy.",
      default: 3,
    },
    liveness: {
      type: "number",
      arg: "SECONDS",
      description: "Restart a child whose health file is this stale (0 = off).",
      default: 60,
    },
    "stop-grace": {
      type: "number",
      arg: "SECONDS",
      description: "Time between SIGTERM and SIGKILL.",
      default: 15,
    },
    "log-level": {
      type: "string",
      arg: "LEVEL",
      description: "debug | info | warn | error.",
      default: "info",
    },
  },
  async run({ options, positionals }) {
    const root = options.root as string;
    const level = options["log-level"] as LogLevel;
    if (!LOG_LEVELS.includes(level)) {
      throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(", ")}`);
    }
    const logger = createLogger({ level, format: "logfmt" }).child({ component: "supervisor" });
    const supervisor = new Supervisor({
      layout: new Layout(root.startsWith("/") ? root : `${Deno.cwd()}/${root}`),
      args: positionals,
      logger,
      healthWindowSeconds: options["health-window"] as number,
      ...(typeof options["health-url"] === "string" ? { healthUrl: options["health-url"] } : {}),
      acceptDegraded: options["accept-degraded"] as boolean,
      maxAttempts: options["max-attempts"] as number,
      settleSeconds: options.settle as number,
      livenessSeconds: options.liveness as number,
      stopGraceMs: (options["stop-grace"] as number) * 1000,
    });
    const stop = () => void supervisor.stop();
    const hup = () => supervisor.forward("SIGHUP");
    for (const sig of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(sig, stop);
    Deno.addSignalListener("SIGHUP", hup);
    try {
      return await supervisor.run();
    } finally {
      for (const sig of ["SIGTERM", "SIGINT"] as const) Deno.removeSignalListener(sig, stop);
      Deno.removeSignalListener("SIGHUP", hup);
    }
  },
});
