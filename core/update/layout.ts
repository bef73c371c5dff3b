/**
 * @module The A/B release root: `releases/<version>/` side by side, `current` a symlink switched atomically.
 *
 * ```
 * ROOT/current -> releases/1.4.0        the version started by `gateway supervise` (or systemd)
 * ROOT/releases/<version>/bin/gateway   launcher (bundle form) or the compiled executable (binary form)
 * ROOT/releases/<version>/.release.json the verified manifest, written last: a release without it is incomplete
 * ROOT/state/                           journal.jsonl, pending.json, installed.json, trust.json, health.json
 * ROOT/tmp/                             downloads in progress (wiped at start)
 * ROOT/backups/<version>/               data files copied before the first start of <version>
 * ```
 */

/** Paths inside a release root. */
export class Layout {
  constructor(readonly root: string) {
    if (!root) throw new TypeError("release root directory must not be empty");
  }
  get current(): string {
    return `${this.root}/current`;
  }
  get releases(): string {
    return `${this.root}/releases`;
  }
  release(version: string): string {
    return `${this.releases}/${version}`;
  }
  /** Relative symlink target of `current` for `version`. */
  linkTarget(version: string): string {
    return `releases/${version}`;
  }
  releaseInfo(version: string): string {
    return `${this.release(version)}/.release.json`;
  }
  launcher(version: string): string {
    return `${this.release(version)}/bin/gateway`;
  }
  get currentLauncher(): string {
    return `${this.current}/bin/gateway`;
  }
  get state(): string {
    return `${this.root}/state`;
  }
  get journal(): string {
    return `${this.state}/journal.jsonl`;
  }
  get journalCursor(): string {
    return `${this.state}/journal.cursor`;
  }
  get pending(): string {
    return `${this.state}/pending.json`;
  }
  get installed(): string {
    return `${this.state}/installed.json`;
  }
  get trust(): string {
    return `${this.state}/trust.json`;
  }
  get health(): string {
    return `${this.state}/health.json`;
  }
  get lastResult(): string {
    return `${this.state}/last_result.json`;
  }
  get tmp(): string {
    return `${this.root}/tmp`;
  }
  get backups(): string {
    return `${this.root}/backups`;
  }
  backup(version: string): string {
    return `${this.backups}/${version}`;
  }

  /** Creates the directories that must exist. */
  async ensure(): Promise<void> {
    for (const dir of [this.releases, this.state, this.tmp, this.backups]) {
      await Deno.mkdir(dir, { recursive: true });
    }
  }
}

/** True when `path` exists (without following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
