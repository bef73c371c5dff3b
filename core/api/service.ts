/**
 * @module The `http` service: serves the API and the dashboard; reconfigures in place on reload.
 */
import {
  type ComponentHealth,
  errorMessage,
  type GatewayConfig,
  HealthTracker,
  type Service,
  type ServiceContext,
} from "../mod.ts";
import type { Hono } from "hono";
import { buildApp } from "./app.ts";
import { TokenFile } from "./auth/token_file.ts";
import { TokenVerifier } from "./auth/verifier.ts";
import { type HttpConfig, httpConfigOf } from "./config.ts";
import { ApiContext } from "./context.ts";
import { serveDashboard } from "./dashboard.ts";
import type { ApiEnv } from "./middleware.ts";
import { apiRoutes } from "./routes/mod.ts";
import { listen, type Listener } from "./server.ts";
import { stableJson } from "../mod.ts";

/** Where the tokens file is for a configuration. */
export function tokensPath(config: GatewayConfig): string {
  const file = httpConfigOf(config).auth.tokens_file;
  return file !== "" ? file : `${config.gateway.data_dir}/api_tokens.json`;
}

function listenerKey(c: HttpConfig): string {
  return stableJson({ host: c.host, port: c.port, tls: c.tls });
}

/** The running API server. */
export class ApiServer implements Service {
  readonly api: ApiContext;
  readonly app: Hono<ApiEnv>;
  readonly #health = new HealthTracker();
  #listener: Listener | undefined;
  #key = "";
  #restarting: Promise<void> | undefined;

  private constructor(readonly ctx: ServiceContext) {
    const file = new TokenFile(tokensPath(ctx.config()));
    this.api = new ApiContext(ctx, file, new TokenVerifier(file), `${ctx.stateDir}/tmp`);
    this.app = buildApp(this.api, apiRoutes(), (app) => {
      if (httpConfigOf(ctx.config()).dashboard) serveDashboard(app);
    });
  }

  /** Starts the API for a gateway (the listener is bound before this resolves). */
  static async start(ctx: ServiceContext): Promise<ApiServer> {
    const server = new ApiServer(ctx);
    await Deno.remove(server.api.tmpDir, { recursive: true }).catch(() => {});
    await server.api.verifier.refresh(true);
    await server.#listen();
    return server;
  }

  /** Where it listens. */
  get url(): string | undefined {
    return this.#listener?.url;
  }

  /** The bound port (useful with port 0). */
  get port(): number | undefined {
    return this.#listener?.port;
  }

  /** Handles a request without the network (tests, benchmarks). */
  fetch(req: Request): Promise<Response> {
    return Promise.resolve(this.app.fetch(req));
  }

  async reconfigure(config: GatewayConfig): Promise<void> {
    const path = tokensPath(config);
    if (path !== this.api.tokens.path) {
      const file = new TokenFile(path);
      this.api.tokens = file;
      this.api.verifier = new TokenVerifier(file);
      await this.api.verifier.refresh(true);
    }
    if (listenerKey(httpConfigOf(config)) === this.#key) return;
    // The reload may have come in over this very listener: move it after the response has been sent.
    const old = this.#listener;
    this.#restarting = (async () => {
      this.#endStreams();
      await old?.shutdown();
      await this.#listen();
    })().catch((error) => {
      this.#health.set("failed");
      this.#health.error(errorMessage(error));
      this.ctx.logger.error("HTTP API failed to move to its new address", { error: errorMessage(error) });
    });
  }

  async stop(): Promise<void> {
    await this.#restarting;
    this.#endStreams();
    await this.#listener?.shutdown();
    this.#listener = undefined;
    this.#health.set("stopped");
  }

  health(): ComponentHealth {
    this.#health.detail("streams", this.api.streams);
    return this.#health.snapshot();
  }

  #endStreams(): void {
    this.api.closing.abort();
    this.api.closing = new AbortController();
  }

  async #listen(): Promise<void> {
    const cfg = httpConfigOf(this.ctx.config());
    const listener = await listen(cfg, (req) => this.app.fetch(req), (error) => {
      this.ctx.logger.error("HTTP request failed", { error: errorMessage(error) });
      return new Response(JSON.stringify({ error: "internal error" }), { status: 500 });
    });
    this.#listener = listener;
    this.#key = listenerKey(cfg);
    this.api.listening = { url: listener.url, port: listener.port, hostname: listener.hostname };
    this.#health.set("connected");
    this.#health.detail("url", listener.url);
    this.#health.detail("port", listener.port);
    this.ctx.logger.info("HTTP API listening", { url: listener.url, dashboard: cfg.dashboard });
  }
}
