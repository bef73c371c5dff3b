/**
 * @module The `updater` service: provides the "updater" capability (HTTP upload, MQTT announcement) and writes
 * the health file read by `gateway supervise`.
 */
import { defineService, type Service, type ServiceContext } from "../app/service.ts";
import { defineSection } from "../config/sections.ts";
import { UPDATER_CAPABILITY } from "../app/control.ts";
import { HealthTracker } from "../plugin/health.ts";
import { errorMessage } from "../errors.ts";
import type { ObjectSchema, Shape } from "../schema/mod.ts";
import { readJsonFile } from "../release/json_file.ts";
import { hostTarget } from "../release/verify.ts";
import type { ReleaseForm } from "../release/manifest.ts";
import { type UpdateConfig, updateSection } from "./section.ts";
import { HEALTH_FILE_ENV, ROOT_ENV, writeHealthFile } from "./health_file.ts";
import { Layout } from "./layout.ts";
import { Updater } from "./updater.ts";

defineSection("update", updateSection as unknown as ObjectSchema<Shape>);

defineService({
  name: "updater",
  section: "update",
  async start(ctx) {
    const cfg = ctx.config().update as UpdateConfig;
    const healthFile = env(HEALTH_FILE_ENV);
    const timers: ReturnType<typeof setInterval>[] = [];
    const tracker = new HealthTracker();
    if (healthFile) {
      const write = () =>
        void writeHealthFile(healthFile, {
          pid: Deno.pid,
          version: ctx.version,
          status: ctx.health().status,
          ts: Date.now(),
        })
          .catch((error) => ctx.logger.warn("cannot write the health file", { error: errorMessage(error) }));
      write();
      timers.push(setInterval(write, 1000));
    }
    const rootDir = cfg.root_dir || env(ROOT_ENV) || "";
    let updater: Updater | undefined;
    if (cfg.enabled && rootDir) {
      updater = await createUpdater(ctx, cfg, rootDir, timers);
      tracker.set("connected");
    } else {
      tracker.set("connected");
      tracker.detail(
        "updates",
        cfg.enabled ? "unavailable: no update.root_dir and not under `gateway supervise`" : "disabled",
      );
    }
    if (!healthFile && !updater) return undefined;
    const service: Service = {
      stop() {
        for (const t of timers) clearInterval(t);
        ctx.pipeline.capabilities.withdraw("updater");
        return Promise.resolve();
      },
      health() {
        if (updater) { for (const [k, v] of Object.entries(updater.status())) tracker.detail(k, v); }
        return tracker.snapshot();
      },
    };
    return service;
  },
});

async function createUpdater(
  ctx: ServiceContext,
  cfg: UpdateConfig,
  rootDir: string,
  timers: ReturnType<typeof setInterval>[],
): Promise<Updater> {
  const layout = new Layout(rootDir);
  const dataDir = ctx.config().gateway.data_dir;
  const updater = new Updater({
    layout,
    trustedKeysFile: cfg.trusted_keys_file || `${rootDir}/trust/root.json`,
    threshold: cfg.threshold,
    healthWindowSeconds: cfg.health_window_seconds,
    maxArtifactBytes: cfg.max_artifact_bytes,
    downloadTimeoutMs: cfg.download_timeout_seconds * 1000,
    version: ctx.version,
    target: hostTarget(cfg.form === "auto" ? await runningForm(layout) : cfg.form),
    dataDirs: [dataDir.startsWith("/") ? dataDir : `${Deno.cwd()}/${dataDir}`],
    backupSuffixes: cfg.backup_suffixes,
    event: (e) => ctx.pipeline.event({ ...e, component: "updater" }),
    requestRestart: () => {
      if (!cfg.restart_on_update) return;
      ctx.logger.info("restarting into the new release");
      timers.push(setTimeout(() => Deno.kill(Deno.pid, "SIGTERM"), 300));
    },
  });
  await updater.start();
  ctx.pipeline.capabilities.provide(UPDATER_CAPABILITY, updater, "updater");
  timers.push(setInterval(() => void updater.poll().catch(() => {}), 2000));
  return updater;
}

/** The form of the running release: from its .release.json or RELEASE.json, else from the executable. */
async function runningForm(layout: Layout): Promise<ReleaseForm> {
  for (const file of [`${layout.current}/.release.json`, `${layout.current}/RELEASE.json`]) {
    const info = await readJsonFile(file).catch(() => undefined) as
      | { manifest?: { signed?: { target?: { form?: string } } }; form?: string }
      | undefined;
    const form = info?.manifest?.signed?.target?.form ?? info?.form;
    if (form === "bundle" || form === "binary") return form;
  }
  return /\/deno$/.test(Deno.execPath()) ? "bundle" : "binary";
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}
