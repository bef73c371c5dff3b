/**
 * @module What route handlers share: the gateway, the http config, tokens, topology and live streams.
 */
import type { GatewayConfig, HistoryReader, Logger, Metrics, ServiceContext } from "../mod.ts";
import { HISTORY_CAPABILITY } from "../mod.ts";
import { Topology } from "./auth/access.ts";
import type { TokenFile } from "./auth/token_file.ts";
import type { TokenVerifier } from "./auth/verifier.ts";
import { type HttpConfig, httpConfigOf } from "./config.ts";
import { HttpError } from "./http_error.ts";

/** Shared state of one API instance. */
export class ApiContext {
  /** Aborted when the server stops: live streams end so shutdown does not wait on them. */
  closing = new AbortController();
  /** Open live streams. */
  streams = 0;
  /** Where the server listens, once it does. */
  listening: { url: string; port: number; hostname: string } | undefined;
  #topology: { config: GatewayConfig; topology: Topology } | undefined;

  constructor(
    readonly service: ServiceContext,
    public tokens: TokenFile,
    public verifier: TokenVerifier,
    /** Directory for temporary files (exports, spooled uploads). */
    readonly tmpDir: string,
    readonly clock: () => number = Date.now,
  ) {}

  get logger(): Logger {
    return this.service.logger;
  }

  get metrics(): Metrics {
    return this.service.pipeline.metrics;
  }

  /** The http section in force. */
  http(): HttpConfig {
    return httpConfigOf(this.service.config());
  }

  now(): number {
    return this.clock();
  }

  /** Plant topology of the configuration in force (cached per configuration). */
  topology(): Topology {
    const config = this.service.config();
    if (this.#topology?.config !== config) {
      this.#topology = { config, topology: new Topology(config, this.service.pipeline.tags) };
    }
    return this.#topology.topology;
  }

  /** A capability, if some component provides it. */
  lookup<T>(capability: string): T | undefined {
    return this.service.pipeline.capabilities.lookup<T>(capability);
  }

  /** The history store, or a 503 naming what is missing. */
  history(): HistoryReader {
    const h = this.lookup<HistoryReader>(HISTORY_CAPABILITY);
    if (!h) {
      throw new HttpError(
        503,
        'history is not available: no running sink provides capability "history" (configure the history store)',
      );
    }
    return h;
  }
}
