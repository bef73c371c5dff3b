/**
 * @module Health reported by every component, aggregated for `/health`.
 */

/** Connection state of a component. */
export type ComponentState = "starting" | "connected" | "reconnecting" | "degraded" | "stopped" | "failed";

/** Health of one component (a source endpoint, a sink, the store). */
export interface ComponentHealth {
  readonly state: ComponentState;
  /** When the current state began, ms since epoch. */
  readonly since: number;
  readonly lastError?: string;
  readonly lastErrorAt?: number;
  /** Counters and details specific to the component (reconnects, backlog, clock offset...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Tracks state transitions so components report `since` and the last error consistently. */
export class HealthTracker {
  #state: ComponentState = "starting";
  #since: number;
  #lastError: { message: string; at: number } | undefined;
  #details: Record<string, unknown> = {};

  constructor(private readonly clock: () => number = Date.now) {
    this.#since = clock();
  }

  /** Moves to `state` (keeps `since` when the state does not change). */
  set(state: ComponentState): void {
    if (state !== this.#state) {
      this.#state = state;
      this.#since = this.clock();
    }
  }

  get state(): ComponentState {
    return this.#state;
  }

  /** Records an error message. */
  error(message: string): void {
    this.#lastError = { message, at: this.clock() };
  }

  /** Sets a detail value. */
  detail(key: string, value: unknown): void {
    this.#details[key] = value;
  }

  snapshot(): ComponentHealth {
    const h: { -readonly [K in keyof ComponentHealth]: ComponentHealth[K] } = {
      state: this.#state,
      since: this.#since,
      details: { ...this.#details },
    };
    if (this.#lastError) {
      h.lastError = this.#lastError.message;
      h.lastErrorAt = this.#lastError.at;
    }
    return h;
  }
}
