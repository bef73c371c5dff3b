/**
 * @module A link kept open across polls: connects on demand, backs off after failures (core Backoff),
 * and tells every device sharing it when it drops.
 */
import { Backoff, errorMessage } from "../../core/mod.ts";
import { type Endpoint, ModbusLink } from "./link.ts";

/** Options for {@link Connection}. */
export interface ConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly now: () => number;
}

/** Why a device cannot be polled right now. */
export interface Unavailable {
  readonly reason: string;
  /** When the next connection attempt is due, ms since epoch. */
  readonly retryAt: number;
}

/** Connection state shared by the devices on one endpoint. */
export class Connection {
  readonly link: ModbusLink;
  readonly #backoff: Backoff;
  readonly #listeners = new Set<(reason: string) => void>();
  #opening: Promise<Unavailable | undefined> | undefined;
  #retryAt = 0;
  #lastError = "";
  /** Connections opened successfully, over the lifetime. */
  opened = 0;

  constructor(endpoint: Endpoint, private readonly options: ConnectionOptions) {
    this.link = new ModbusLink(endpoint, (reason) => {
      this.#lastError = reason;
      for (const l of this.#listeners) l(reason);
    });
    this.#backoff = new Backoff({ initialMs: options.initialBackoffMs, maxMs: options.maxBackoffMs });
  }

  /** Calls `fn` whenever an open connection drops; returns the unsubscribe function. */
  onDrop(fn: (reason: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  get lastError(): string {
    return this.#lastError;
  }

  /**
   * Makes sure the link is open. Resolves undefined when it is, or why not (too early to retry, or the
   * attempt failed). Concurrent callers share one attempt.
   */
  ensure(): Promise<Unavailable | undefined> {
    if (this.link.connected) return Promise.resolve(undefined);
    if (this.#opening) return this.#opening;
    const now = this.options.now();
    if (now < this.#retryAt) {
      return Promise.resolve({ reason: `not connected (${this.#lastError})`, retryAt: this.#retryAt });
    }
    this.#opening = this.#open().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #open(): Promise<Unavailable | undefined> {
    try {
      await this.link.connect(this.options.connectTimeoutMs);
      this.#backoff.reset();
      this.#retryAt = 0;
      this.opened++;
      return undefined;
    } catch (error) {
      this.#lastError = `connect failed: ${errorMessage(error)}`;
      this.#retryAt = this.options.now() + this.#backoff.next();
      return { reason: this.#lastError, retryAt: this.#retryAt };
    }
  }

  /** Marks the current connection as failed so the next use reconnects after a backoff delay. */
  failed(reason: string): void {
    this.#lastError = reason;
    this.link.destroy(reason);
    this.#retryAt = Math.max(this.#retryAt, this.options.now() + this.#backoff.next());
  }

  close(): void {
    this.link.destroy("closed");
  }
}
