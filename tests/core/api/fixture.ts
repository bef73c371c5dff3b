/**
 * @module A gateway (not started) with tags, an API server on port 0 and tokens of each role, for API tests.
 */
import "../../../core/api/mod.ts";
import {
  createLogger,
  Gateway,
  HISTORY_CAPABILITY,
  parseConfig,
  type Sample,
  type ServiceContext,
  type TagMeta,
} from "../../../core/mod.ts";
import { ApiServer } from "../../../core/api/mod.ts";
import { FakeHistory } from "./fake_history.ts";

export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** Tags of two assets on two lines plus one without an asset. */
export const TAGS: TagMeta[] = [
  { id: "plc.pump1_temp", source: "plc", dataType: "float", unit: "degC", asset: "pump-1" },
  { id: "plc.pump1_flow", source: "plc", dataType: "float", unit: "m3/h", asset: "pump-1" },
  { id: "plc.press2_strokes", source: "plc", dataType: "int", asset: "press-2" },
  { id: "plc.ambient", source: "plc", dataType: "float", unit: "degC" },
];

const BASE = `
gateway: { id: gw-test, site: plant-a, line: line-1, data_dir: "\${DIR}" }
log: { level: error }
assets:
  - { id: pump-1, tags: [plc.pump1_temp, plc.pump1_flow] }
  - { id: press-2, line: line-2, tags: [plc.press2_strokes] }
http:
  port: 0
`;

export interface Fixture {
  readonly gateway: Gateway;
  readonly server: ApiServer;
  readonly history: FakeHistory | undefined;
  readonly dir: string;
  readonly tokens: Record<"viewer" | "operator" | "admin" | "pump" | "line2" | "otherSite", string>;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  json(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Builds the fixture; `httpYaml` lines are appended under `http:` (indented by the caller). */
export async function fixture(
  options: { httpYaml?: string; history?: boolean; now?: () => number } = {},
): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "api_test_" });
  const config = parseConfig(BASE + (options.httpYaml ?? ""), {
    env: (n) => (n === "DIR" ? dir : undefined),
  });
  const gateway = new Gateway(config, {
    version: "9.9.9-test",
    logger: createLogger({ level: "error", writer: () => {} }),
  });
  const p = gateway.pipeline;
  for (const meta of TAGS) p.tags.define(meta);
  for (let i = 0; i < 10; i++) {
    for (const meta of TAGS) {
      const s: Sample = {
        tag: meta.id,
        value: 20 + i,
        ts: T0 + i * 1000,
        recv: T0 + i * 1000,
        quality: 0,
        status: 0,
      };
      p.tags.append(s, "plc");
    }
  }
  const history = options.history === false ? undefined : new FakeHistory();
  if (history) p.capabilities.provide(HISTORY_CAPABILITY, history, "store");
  const ctx: ServiceContext = {
    pipeline: p,
    logger: gateway.logger,
    version: "9.9.9-test",
    config: () => gateway.config,
    health: () => gateway.health(),
    reload: (next) => gateway.reload(next),
    stateDir: `${dir}/state/http`,
  };
  const server = await ApiServer.start(ctx);
  const make = async (name: string, role: "viewer" | "operator" | "admin", scopes: string[] = []) =>
    (await server.api.tokens.create({ name, role, scopes })).token;
  const tokens = {
    viewer: await make("viewer", "viewer"),
    operator: await make("operator", "operator"),
    admin: await make("admin", "admin"),
    pump: await make("pump", "operator", ["asset:pump-1"]),
    line2: await make("line2", "viewer", ["line:line-2"]),
    otherSite: await make("other", "admin", ["site:plant-b"]),
  };
  await server.api.verifier.refresh(true);
  const doFetch = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    return server.fetch(new Request(`http://gw.local${path}`, { ...init, headers }));
  };
  return {
    gateway,
    server,
    history,
    dir,
    tokens,
    fetch: doFetch,
    async json(path, token) {
      const r = await doFetch(path, token === undefined ? {} : { token });
      return { status: r.status, body: await r.json() };
    },
    async close() {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Runs `fn` with a fixture and always closes it. */
export async function withFixture(
  fn: (f: Fixture) => Promise<void>,
  options?: Parameters<typeof fixture>[0],
): Promise<void> {
  const f = await fixture(options);
  try {
    await fn(f);
  } finally {
    await f.close();
  }
}
