/**
 * @module `gateway supervise`: runs `current/bin/gateway`, restarts it when it exits, and gives a freshly
 * switched version a trial: data backed up first, healthy within the health window (and still alive after
 * a settle time) or the previous version and its data are restored automatically.
 */
import type { Logger } from "../log/logger.ts";
import { errorMessage } from "../errors.ts";
import { Backoff, sleep } from "../util/backoff.ts";
import { backupDataFiles } from "./backup.ts";
import { Child, killOrphan } from "./child.ts";
import { HEALTH_FILE_ENV, probeHealthUrl, readHealthFile, ROOT_ENV } from "./health_file.ts";
import { Journal } from "./journal.ts";
import type { Layout } from "./layout.ts";
import { type PendingUpdate, UpdateState } from "./state.ts";
import { currentVersion } from "./switch.ts";
import { commit, recover, rollback } from "./transitions.ts";

/** Options for {@link Supervisor}. */
export interface SupervisorOptions {
  readonly layout: Layout;
  /** Arguments for the release's launcher (e.g. `run --config /etc/gateway/gateway.yaml`). */
  readonly args: readonly string[];
  readonly logger: Logger;
  /** Health window when the pending update does not say (seconds). */
  readonly healthWindowSeconds?: number;
  /** Also accept health from this URL (`http://127.0.0.1:8080/api/v1/health`). */
  readonly healthUrl?: string;
  readonly acceptDegraded?: boolean;
  /** Starts of a new version allowed before it is rolled back (power loss during a trial counts as one). */
  readonly maxAttempts?: number;
  /** After reporting healthy, the new version must stay up this long before the commit (seconds). */
  readonly settleSeconds?: number;
  /** A running child whose health file is older than this is restarted (seconds; 0 = off). */
  readonly livenessSeconds?: number;
  readonly stopGraceMs?: number;
}

/** The supervisor loop. */
export class Supervisor {
  readonly #o: SupervisorOptions;
  readonly #state: UpdateState;
  readonly #journal: Journal;
  readonly #stop = new AbortController();
  #child: Child | undefined;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.#state = new UpdateState(options.layout);
    this.#journal = new Journal(options.layout.journal, (e) => {
      options.logger[e.step === "rolled_back" ? "error" : "info"](e.message, {
        step: e.step,
        version: e.version,
      });
    });
  }

  /** Runs until {@link stop}; returns the exit code (1 when no bootable release exists). */
  async run(): Promise<number> {
    const { layout, logger } = this.#o;
    await layout.ensure();
    if (await killOrphan(`${layout.state}/child.pid`, layout.root)) {
      logger.warn("killed a child left by a previous supervisor");
    }
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
    while (!this.#stop.signal.aborted) {
      // Completes a switch the child could not make itself (or one interrupted by a crash) before choosing.
      await recover(layout, this.#state, this.#journal);
      const version = await currentVersion(layout);
      if (!version) {
        logger.error(`no bootable release: ${layout.current} is not a symlink to releases/<version>`);
        return 1;
      }
      const pending = await this.#state.pending();
      if (pending && pending.to === version && pending.state !== "switching") {
        await this.#trial(pending);
        continue;
      }
      const child = await this.#launch(version);
      const code = await this.#watch(child);
      if (this.#stop.signal.aborted) break;
      if (await this.#state.pending()) continue; // the child staged a new release: start it now
      if (Date.now() - child.startedAt > 60_000) backoff.reset();
      const delay = backoff.next();
      logger.warn(`gateway ${version} exited with code ${code}; restarting in ${delay} ms`);
      await sleep(delay, this.#stop.signal);
    }
    return 0;
  }

  /** Forwards a signal to the running gateway (SIGHUP: reload its configuration). */
  forward(sig: Deno.Signal): void {
    this.#child?.signal(sig);
  }

  /** Stops the child gracefully and ends {@link run}. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#child?.stop(this.#o.stopGraceMs ?? 10_000);
  }

  async #trial(p: PendingUpdate): Promise<void> {
    const { layout } = this.#o;
    let pending = p;
    if (!pending.backups) {
      const backups = await backupDataFiles(
        pending.dataDirs,
        pending.backupSuffixes,
        layout.backup(pending.to),
      );
      pending = { ...pending, backups };
      await this.#state.writePending(pending);
      await this.#journal.record(
        "backed_up",
        pending.to,
        `backed up ${backups.length} data file(s) before starting ${pending.to}`,
        {
          from: pending.from,
          data: { files: backups.map((b) => b.source) },
        },
      );
    }
    const attempts = pending.attempts + 1;
    const max = this.#o.maxAttempts ?? 2;
    if (attempts > max) {
      return await this.#rollback(pending, `did not become healthy in ${max} start(s)`);
    }
    pending = { ...pending, state: "trial", attempts };
    await this.#state.writePending(pending);
    const windowS = pending.healthWindowSeconds || this.#o.healthWindowSeconds || 60;
    await this.#journal.record(
      "trial_started",
      pending.to,
      `starting ${pending.to} (attempt ${attempts}/${max}, ${windowS} s to report healthy)`,
      {
        from: pending.from,
      },
    );
    let child: Child;
    try {
      child = await this.#launch(pending.to);
    } catch (error) {
      return await this.#rollback(pending, `cannot start: ${errorMessage(error)}`);
    }
    const healthy = await this.#awaitHealthy(child, pending.to, windowS * 1000);
    if (this.#stop.signal.aborted) return;
    if (healthy !== true) {
      await child.stop(this.#o.stopGraceMs ?? 10_000);
      return await this.#rollback(pending, healthy);
    }
    const settle = (this.#o.settleSeconds ?? 3) * 1000;
    const exitedEarly = await Promise.race([
      child.exited.then((c) => c),
      sleep(settle, this.#stop.signal).then(() => undefined),
    ]);
    if (this.#stop.signal.aborted) return;
    if (exitedEarly !== undefined) {
      return await this.#rollback(
        pending,
        `exited with code ${exitedEarly} within ${settle / 1000} s of reporting healthy`,
      );
    }
    await commit(layout, this.#state, this.#journal, pending);
    await this.#watch(child);
  }

  async #rollback(pending: PendingUpdate, reason: string): Promise<void> {
    try {
      await rollback(this.#o.layout, this.#state, this.#journal, pending, reason);
    } catch (error) {
      this.#o.logger.error("rollback failed", { error: errorMessage(error) });
      throw error;
    }
  }

  async #launch(version: string): Promise<Child> {
    const { layout } = this.#o;
    await Deno.remove(layout.health).catch(() => {});
    const env = { [ROOT_ENV]: layout.root, [HEALTH_FILE_ENV]: layout.health, GATEWAY_SUPERVISED: "1" };
    this.#o.logger.info(`starting gateway ${version}`, { launcher: layout.launcher(version) });
    this.#child = await Child.spawn(layout.launcher(version), this.#o.args, env, `${layout.state}/child.pid`);
    return this.#child;
  }

  /** Waits for the child to exit (or the supervisor to stop), restarting it when its health file goes stale. */
  async #watch(child: Child): Promise<number> {
    const liveness = (this.#o.livenessSeconds ?? 60) * 1000;
    while (child.running && !this.#stop.signal.aborted) {
      await Promise.race([child.exited, sleep(1000, this.#stop.signal)]);
      if (!child.running || liveness <= 0) continue;
      const h = await readHealthFile(this.#o.layout.health);
      if (h && h.pid === child.pid && Date.now() - h.ts > liveness) {
        this.#o.logger.error(
          `gateway unresponsive (health not refreshed for ${liveness / 1000} s); restarting it`,
        );
        await child.stop(this.#o.stopGraceMs ?? 10_000);
      }
    }
    return child.running ? await child.stop(this.#o.stopGraceMs ?? 10_000) : await child.exited;
  }

  /** true when healthy in time; otherwise the reason. */
  async #awaitHealthy(child: Child, version: string, windowMs: number): Promise<true | string> {
    const deadline = child.startedAt + windowMs;
    const okStatus = (s: string) => s === "ok" || (this.#o.acceptDegraded === true && s === "degraded");
    while (Date.now() < deadline && !this.#stop.signal.aborted) {
      if (!child.running) return `exited with code ${await child.exited} before reporting healthy`;
      const h = await readHealthFile(this.#o.layout.health);
      if (h && h.pid === child.pid && h.version === version && okStatus(h.status)) return true;
      if (this.#o.healthUrl) {
        const r = await probeHealthUrl(this.#o.healthUrl);
        if (r && r.version === version && okStatus(r.status)) return true;
      }
      await Promise.race([child.exited, sleep(250, this.#stop.signal)]);
    }
    if (!child.running) return `exited with code ${await child.exited} before reporting healthy`;
    return `did not report healthy within ${windowMs / 1000} s`;
  }
}
