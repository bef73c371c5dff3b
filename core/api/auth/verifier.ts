/**
 * @module Checks bearer tokens against the tokens file, re-reading it when it changes (CLI edits apply live).
 */
import { parseScopes, type Principal } from "./roles.ts";
import { type TokenFile, type TokenRecord } from "./token_file.ts";
import { constantTimeEqual, hashSecret, splitToken } from "./token_format.ts";

/** Verifies presented tokens; the file is re-read at most every `recheckMs` when its mtime changed. */
export class TokenVerifier {
  #records = new Map<string, TokenRecord>();
  /** mtime, size and inode of the file last read (coarse mtimes alone miss quick rewrites). */
  #stamp: string | undefined = "never";
  #checkedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;
  #lastError: string | undefined;

  constructor(readonly file: TokenFile, private readonly recheckMs = 1_000) {}

  /** Last problem reading the file (reported in health), if any. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Number of active tokens known. */
  get size(): number {
    return this.#records.size;
  }

  /** The principal of a valid, unrevoked token; undefined otherwise. */
  async verify(token: string): Promise<Principal | undefined> {
    await this.refresh();
    const parts = splitToken(token);
    // Hash even when the id is unknown, so timing does not tell which ids exist.
    const record = parts ? this.#records.get(parts.id) : undefined;
    const hash = await hashSecret(record?.salt ?? "00", parts?.secret ?? token);
    if (!record || !constantTimeEqual(hash, record.hash)) return undefined;
    return { name: record.name, tokenId: record.id, role: record.role, scopes: parseScopes(record.scopes) };
  }

  /** Re-reads the file if it may have changed. */
  async refresh(force = false): Promise<void> {
    const now = performance.now();
    if (!force && now - this.#checkedAt < this.recheckMs) return;
    this.#checkedAt = now;
    this.#loading ??= this.#load().finally(() => (this.#loading = undefined));
    await this.#loading;
  }

  async #load(): Promise<void> {
    let stamp: string | undefined;
    try {
      const st = await Deno.stat(this.file.path);
      stamp = `${st.mtime?.getTime() ?? 0}:${st.size}:${st.ino ?? 0}`;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        this.#lastError = `cannot stat ${this.file.path}: ${(error as Error).message}`;
        return;
      }
      stamp = undefined;
    }
    if (stamp === this.#stamp) return;
    try {
      const records = await this.file.read();
      const next = new Map<string, TokenRecord>();
      for (const r of records) {
        if (r.revokedAt) continue;
        try {
          parseScopes(r.scopes);
          next.set(r.id, r);
        } catch (error) {
          this.#lastError = `token ${r.id} ignored: ${(error as Error).message}`;
        }
      }
      this.#records = next;
      this.#stamp = stamp;
      this.#lastError = undefined;
    } catch (error) {
      // Keep the tokens we had: a half-edited file must not lock everyone out.
      this.#lastError = (error as Error).message;
    }
  }
}
