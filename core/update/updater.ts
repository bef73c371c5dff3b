/**
 * @module The updater: verifies a pushed or announced release completely before anything changes, stages it
 * beside the running one, switches `current` atomically and asks for a restart into it. The supervisor then
 * runs the new version's trial (health window) and commits or rolls back.
 */
import type { UpdateOutcome, UpdaterControl } from "../app/control.ts";
import type { GatewayEvent } from "../model/mod.ts";
import { errorMessage } from "../errors.ts";
import { parseUpdateDocument, type ReleaseTarget, type UpdateDocument } from "../release/manifest.ts";
import { ReleaseRejectedError } from "../release/rejection.ts";
import { verifyRelease } from "../release/verify.ts";
import { compareSemVer } from "../release/semver.ts";
import { Journal, type JournalEntry, readJournal } from "./journal.ts";
import { writeFileAtomic } from "../release/json_file.ts";
import type { Layout } from "./layout.ts";
import { fetchArtifact, receiveArtifact } from "./receive.ts";
import { stageRelease } from "./stage.ts";
import { type LastResult, type PendingUpdate, UpdateState } from "./state.ts";
import { currentVersion, switchCurrent } from "./switch.ts";
import { cleanLeftovers } from "./transitions.ts";
import { TrustStore } from "./trust_store.ts";

/** Options for {@link Updater}. */
export interface UpdaterOptions {
  readonly layout: Layout;
  readonly trustedKeysFile: string;
  readonly threshold: number;
  readonly healthWindowSeconds: number;
  readonly maxArtifactBytes: number;
  readonly downloadTimeoutMs: number;
  /** Version of the running process. */
  readonly version: string;
  readonly target: ReleaseTarget;
  /** Data directories whose database files are backed up before the new version first starts. */
  readonly dataDirs: readonly string[];
  readonly backupSuffixes: readonly string[];
  /** Records a gateway event (pipeline.event). */
  readonly event: (e: Omit<GatewayEvent, "ts" | "component">) => void;
  /** Called once the new release is current: stop this process so the supervisor (or systemd) starts it. */
  readonly requestRestart: () => void;
  readonly clock?: () => number;
}

type Level = GatewayEvent["level"];
const LEVEL: Partial<Record<JournalEntry["step"], Level>> = {
  rollback_started: "warn",
  rolled_back: "error",
  aborted: "warn",
};

/** Implements the "updater" capability. */
export class Updater implements UpdaterControl {
  readonly #o: UpdaterOptions;
  readonly #state: UpdateState;
  readonly #journal: Journal;
  readonly #trust: TrustStore;
  readonly #clock: () => number;
  #busy: string | undefined;
  #pending: PendingUpdate | undefined;
  #last: LastResult | undefined;
  #current: string | undefined;
  #rootVersion: number | undefined;
  #polling: Promise<void> = Promise.resolve();

  constructor(options: UpdaterOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#state = new UpdateState(options.layout);
    this.#trust = new TrustStore(options.layout, options.trustedKeysFile);
    this.#journal = new Journal(options.layout.journal, () => this.poll(), this.#clock);
  }

  /**
   * Cleans leftovers of an interrupted transfer, loads the state shown by {@link status} and turns journal
   * steps recorded while this process was not running (the supervisor's commit or rollback) into events.
   */
  async start(): Promise<void> {
    await cleanLeftovers(this.#o.layout);
    this.#rootVersion = (await this.#trust.load()).signed.version;
    await this.poll();
  }

  /** Emits journal entries not yet emitted as events (call periodically); refreshes the status. */
  poll(): Promise<void> {
    const run = async () => {
      const layout = this.#o.layout;
      const raw = await Deno.readTextFile(layout.journalCursor).catch(() => "0");
      const { entries, end } = await readJournal(layout.journal, Number(raw) || 0);
      for (const e of entries) this.#emit(e);
      if (entries.length > 0 || end !== (Number(raw) || 0)) {
        await writeFileAtomic(layout.journalCursor, new TextEncoder().encode(String(end)));
      }
      await this.#refresh();
    };
    this.#polling = this.#polling.then(run, run);
    return this.#polling;
  }

  upload(manifest: Uint8Array, artifact: ReadableStream<Uint8Array>): Promise<UpdateOutcome> {
    return this.#apply(
      "upload",
      manifest,
      () => Promise.resolve({ body: artifact, close: () => {} }),
      async () => {
        await artifact.cancel().catch(() => {});
      },
    );
  }

  announce(manifest: Uint8Array, url: string): Promise<UpdateOutcome> {
    return this.#apply(
      `announce ${url}`,
      manifest,
      (size) => fetchArtifact(url, size, { timeoutMs: this.#o.downloadTimeoutMs }),
      () => Promise.resolve(),
    );
  }

  status(): Readonly<Record<string, unknown>> {
    return {
      version: this.#o.version,
      current: this.#current ?? null,
      root: this.#o.layout.root,
      target: this.#o.target,
      busy: this.#busy ?? null,
      pending: this.#pending
        ? {
          from: this.#pending.from,
          to: this.#pending.to,
          state: this.#pending.state,
          attempts: this.#pending.attempts,
        }
        : null,
      last: this.#last ?? null,
      trusted_root_version: this.#rootVersion ?? null,
    };
  }

  async #apply(
    via: string,
    manifestBytes: Uint8Array,
    open: (size: number) => Promise<{ body: ReadableStream<Uint8Array>; close: () => void }>,
    discard: () => Promise<void>,
  ): Promise<UpdateOutcome> {
    if (this.#busy) {
      await discard();
      return this.#reject(
        new ReleaseRejectedError("busy", `another update is in progress (${this.#busy})`),
        via,
      );
    }
    this.#busy = via;
    let version: string | undefined;
    try {
      await this.#refresh();
      if (this.#pending) {
        throw new ReleaseRejectedError(
          "busy",
          `update to ${this.#pending.to} is still ${this.#pending.state}; wait for its commit or rollback`,
        );
      }
      if ((await currentVersion(this.#o.layout)) === undefined) {
        throw new Error(
          `${this.#o.layout.current} is not a symlink to releases/<version>: not an A/B release root (see docs/release.md)`,
        );
      }
      const doc = parseUpdateDocument(manifestBytes);
      version = doc.release.signed.version;
      const root = await this.#verify(doc);
      this.#o.event({
        type: "update.verified",
        level: "info",
        message:
          `release ${version} manifest verified (${via}); receiving ${doc.release.signed.artifact.size} bytes`,
        data: { version, via },
      });
      const m = doc.release.signed;
      const tmp = `${this.#o.layout.tmp}/${m.version}.part`;
      const { body, close } = await open(m.artifact.size);
      try {
        await receiveArtifact(body, tmp, m.artifact);
      } finally {
        close();
      }
      await stageRelease(this.#o.layout, doc.release, tmp, this.#o.maxArtifactBytes * 8);
      if (root.after.signed.version > root.before.signed.version) {
        await this.#trust.save(root.after);
        this.#rootVersion = root.after.signed.version;
        await this.#journal.record(
          "root_rotated",
          m.version,
          `trusted root rotated to version ${root.after.signed.version}`,
        );
      }
      await this.#journal.record("staged", m.version, `release ${m.version} verified and staged`, {
        from: this.#o.version,
        data: { sha256: m.artifact.sha256, size: m.artifact.size, via },
      });
      await this.#switch(m.version);
      queueMicrotask(() => this.#o.requestRestart());
      return {
        accepted: true,
        message: `release ${m.version} verified and staged; restarting into it`,
        version: m.version,
      };
    } catch (error) {
      await discard();
      return this.#reject(error, via, version);
    } finally {
      this.#busy = undefined;
      await this.#refresh().catch(() => {});
    }
  }

  async #verify(doc: UpdateDocument) {
    const rotation = await this.#trust.rotate(doc.roots).catch((error) => {
      if (error instanceof ReleaseRejectedError) throw error;
      throw new ReleaseRejectedError("rotation", `trust store: ${errorMessage(error)}`, { cause: error });
    });
    const installed = await this.#state.installed();
    await verifyRelease(doc.release, {
      root: rotation.after,
      threshold: this.#o.threshold,
      now: this.#clock(),
      currentVersion: this.#o.version,
      highestVersion: installed?.highest,
      target: this.#o.target,
      maxArtifactBytes: this.#o.maxArtifactBytes,
    });
    return rotation;
  }

  async #switch(to: string): Promise<void> {
    const layout = this.#o.layout;
    const from = await currentVersion(layout);
    if (from === undefined) {
      throw new Error(
        `${layout.current} is not a symlink to releases/<version>; cannot switch (see docs/release.md)`,
      );
    }
    const installed = await this.#state.installed();
    if (!installed || compareSemVer(to, installed.highest) > 0) {
      await this.#state.writeInstalled({ highest: to });
    }
    const pending: PendingUpdate = {
      from,
      to,
      state: "switching",
      dataDirs: this.#o.dataDirs,
      backupSuffixes: this.#o.backupSuffixes,
      attempts: 0,
      healthWindowSeconds: this.#o.healthWindowSeconds,
      created: this.#clock(),
    };
    await this.#state.writePending(pending);
    await this.#journal.record("switching", to, `switching current from ${from} to ${to}`, { from });
    if (await trySwitch(layout, to)) {
      await this.#state.writePending({ ...pending, state: "switched" });
      await this.#journal.record("switched", to, `current is now ${to}; previous ${from} kept for rollback`, {
        from,
      });
    }
    await this.#journal.record("restart_requested", to, `restarting into ${to}`, { from });
  }

  #reject(error: unknown, via: string, version?: string): UpdateOutcome {
    const rejected = error instanceof ReleaseRejectedError;
    const message = rejected
      ? `rejected (${error.reason}): ${error.message}`
      : `update failed: ${errorMessage(error)}`;
    this.#o.event({
      type: rejected ? "update.rejected" : "update.failed",
      level: rejected ? "warn" : "error",
      message,
      data: { via, ...(version ? { version } : {}), ...(rejected ? { reason: error.reason } : {}) },
    });
    return version ? { accepted: false, message, version } : { accepted: false, message };
  }

  #emit(e: JournalEntry): void {
    this.#o.event({
      type: `update.${e.step}`,
      level: LEVEL[e.step] ?? "info",
      message: e.message,
      data: { version: e.version, ...(e.from ? { from: e.from } : {}), ...(e.data ?? {}) },
    });
  }

  async #refresh(): Promise<void> {
    this.#pending = await this.#state.pending();
    this.#last = await this.#state.lastResult();
    this.#current = await currentVersion(this.#o.layout);
  }
}

/**
 * Switches `current`, unless this process may not create symlinks (Deno allows Deno.symlink only with
 * unscoped read and write permission, which the bundle launcher grants to `supervise` alone): then the
 * pending update stays "switching" and the supervisor completes the switch when this process exits.
 */
async function trySwitch(layout: Layout, to: string): Promise<boolean> {
  try {
    await switchCurrent(layout, to);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return false;
    }
    throw error;
  }
}
