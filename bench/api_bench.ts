/**
 * @module HTTP API benchmark: `latest` with a bearer token (auth, scope check, JSON) against a bare Deno.serve
 * hello-world measured in the same run, over loopback with concurrent clients; throughput, p50 and p99.
 */
import "../core/api/mod.ts";
import { ApiServer } from "../core/api/mod.ts";
import { createLogger, Gateway, parseConfig, type ServiceContext } from "../core/mod.ts";
import { type BenchSuite, formatNs, type Measurement, printTable } from "./harness.ts";

const CONCURRENCY = 16;
const DURATION_MS = 2_000;

interface Run {
  readonly m: Measurement;
  readonly p50: number;
  readonly p99: number;
}

async function load(name: string, url: string, headers: HeadersInit): Promise<Run> {
  const lat: number[] = [];
  const warmEnd = performance.now() + 300;
  let end = Number.POSITIVE_INFINITY;
  let count = 0;
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      const r = await fetch(url, { headers });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
      const t1 = performance.now();
      if (t0 >= warmEnd) {
        lat.push(t1 - t0);
        count++;
      }
    }
  };
  end = warmEnd + DURATION_MS;
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  lat.sort((a, b) => a - b);
  const opsPerSec = count / (DURATION_MS / 1000);
  return {
    m: { name, nsPerOp: 1e9 / opsPerSec, opsPerSec },
    p50: lat[Math.floor(lat.length * 0.5)]! * 1e6,
    p99: lat[Math.floor(lat.length * 0.99)]! * 1e6,
  };
}

async function gatewayWithTags(dir: string, tags: number): Promise<{ server: ApiServer; token: string }> {
  const yaml =
    `gateway: { id: bench, site: plant-a, line: line-1, data_dir: "${dir}" }\nlog: { level: error }\n` +
    `assets: [{ id: pump-1, tags: [] }]\nhttp: { port: 0 }\n`;
  const gateway = new Gateway(parseConfig(yaml, { env: () => undefined }), {
    logger: createLogger({ level: "error", writer: () => {} }),
  });
  const p = gateway.pipeline;
  for (let i = 0; i < tags; i++) {
    const id = `plc.tag_${String(i).padStart(4, "0")}`;
    p.tags.define({ id, source: "plc", dataType: "float", unit: "bar", asset: i % 2 ? "pump-1" : "press-2" });
    p.tags.append(
      { tag: id, value: i * 0.5, ts: Date.now(), recv: Date.now(), quality: 0, status: 0 },
      "plc",
    );
  }
  const ctx: ServiceContext = {
    pipeline: p,
    logger: gateway.logger,
    version: "bench",
    config: () => gateway.config,
    health: () => gateway.health(),
    reload: (next) => gateway.reload(next),
    stateDir: `${dir}/state/http`,
  };
  const server = await ApiServer.start(ctx);
  const token =
    (await server.api.tokens.create({ name: "bench", role: "viewer", scopes: ["asset:pump-1"] })).token;
  await server.api.verifier.refresh(true);
  return { server, token };
}

export const apiBench: BenchSuite = {
  name: "api",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "api_bench_" });
    const ac = new AbortController();
    const hello = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
      () => new Response("hello"),
    );
    const { server, token } = await gatewayWithTags(dir, 200);
    try {
      const anchor = await load("Deno.serve hello world", `http://127.0.0.1:${hello.addr.port}/`, {});
      const auth = { authorization: `Bearer ${token}` };
      const ten = Array.from({ length: 10 }, (_, i) => `plc.tag_${String(i * 2 + 1).padStart(4, "0")}`).join(
        ",",
      );
      const rows = [
        await load(
          "GET /api/v1/latest?tags=<10> (token, scoped)",
          `${server.url}/api/v1/latest?tags=${ten}`,
          auth,
        ),
        await load("GET /api/v1/latest (100 visible of 200 tags)", `${server.url}/api/v1/latest`, auth),
        await load("GET /api/v1/health (public)", `${server.url}/api/v1/health`, {}),
      ];
      printTable(
        `HTTP requests/s, ${CONCURRENCY} concurrent clients over loopback`,
        anchor.m,
        rows.map((r) => r.m),
        "req/s",
      );
      console.log(`\n| case | p50 | p99 | p99 vs anchor p99 |\n|---|---:|---:|---:|`);
      for (const r of [anchor, ...rows]) {
        console.log(
          `| ${r.m.name} | ${formatNs(r.p50)} | ${formatNs(r.p99)} | ${(r.p99 / anchor.p99).toFixed(2)}× |`,
        );
      }
    } finally {
      await server.stop();
      ac.abort();
      await hello.finished;
      await Deno.remove(dir, { recursive: true });
    }
  },
};
