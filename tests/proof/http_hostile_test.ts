import assert from "node:assert/strict";
import "../../adapters/simulator/mod.ts";
import "../../adapters/history/mod.ts";
import "../../core/api/mod.ts";
import { createLogger, Gateway, parseConfig } from "../../core/mod.ts";
import { TokenFile } from "../../core/api/mod.ts";

const CONFIG = `
log: { level: error }
sources:
  - name: sim
    type: simulator
    seed: 3
    tick_ms: 50
    signals:
      - { name: pump_temp, kind: temperature, asset: pump-1, unit: degC, interval_ms: 100 }
      - { name: press_strokes, kind: counter, asset: press-2, interval_ms: 100, rate_per_s: 5 }
sinks:
  - { name: store, type: history }
assets:
  - { id: pump-1, tags: [sim.pump_temp] }
  - { id: press-2, line: line-2, tags: [sim.press_strokes] }
http:
  port: 0
  limits: { max_body_bytes: 65536 }
`;

const HOSTILE = [
  "",
  "..",
  "../../../../etc/passwd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "' OR 1=1 --",
  "'; DROP TABLE samples; --",
  '"><script>alert(1)</script>',
  "${jndi:ldap://127.0.0.1/x}",
  "{{7*7}}",
  "%00",
  "\u0000",
  "\uFFFF\uD800",
  "sim.pump_temp",
  "sim.press_strokes",
  "press-2",
  "pump-1",
  "*",
  "-1",
  "0",
  "1e309",
  "NaN",
  "99999999999999999999999999",
  "-9223372036854775809",
  "2026-13-45T25:61:61Z",
  "x".repeat(9000),
  "a,".repeat(500),
];

/**
 * Known bugs reported to the component's owner: printed, not failed, so the suite stays green until the fix lands.
 * Remove an entry once fixed. Any other 5xx fails the test.
 */
const KNOWN_BUGS: readonly { route: RegExp; body: RegExp; report: string }[] = [];

/** Percent-encodes `s`; a lone surrogate becomes an invalid UTF-8 sequence on the wire. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What a live (SSE) response sends in its first second; the stream is then cancelled. */
async function firstSecond(res: Response): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const until = Date.now() + 1000;
  try {
    while (Date.now() < until) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const r = await Promise.race([
        reader.read(),
        new Promise<undefined>((
          resolve,
        ) => (timer = setTimeout(() => resolve(undefined), until - Date.now()))),
      ]);
      clearTimeout(timer);
      if (r === undefined || r.done) break;
      text += r.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

/** Deterministic PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("http api answers random paths, parameters, bodies and injection strings from two scoped tokens without 5xx or data across scopes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "proof_http_" });
  const tokens = new TokenFile(`${dir}/api_tokens.json`);
  const pump = (await tokens.create({ name: "pump", role: "operator", scopes: ["asset:pump-1"] })).token;
  const press = (await tokens.create({ name: "press", role: "viewer", scopes: ["line:line-2"] })).token;
  const admin = (await tokens.create({ name: "admin", role: "admin", scopes: [] })).token;
  const config = parseConfig(
    `gateway: { id: gw-proof, site: plant-a, line: line-1, data_dir: "${dir}" }\n${CONFIG}`,
    {
      env: () => undefined,
    },
  );
  const gateway = new Gateway(config, { logger: createLogger({ level: "error", writer: () => {} }) });
  const failures: string[] = [];
  let requests = 0;
  const knownSeen = new Set<string>();
  try {
    await gateway.start();
    const url = (gateway.health().services.http?.details as { url: string }).url;
    await new Promise((r) => setTimeout(r, 1500)); // some history for both assets
    const doc = await (await fetch(`${url}/api/v1/openapi.json`, {
      headers: { authorization: `Bearer ${admin}` },
    })).json() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const templates = Object.keys(doc.paths);
    assert.ok(templates.length > 10, "openapi lists the routes");
    const documented5xx = (template: string | undefined, method: string, status: number) =>
      template !== undefined &&
      doc.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)] !== undefined;
    const rnd = prng(20261123);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const who = [{ name: "pump", token: pump, foreign: ["press-2", "sim.press_strokes"] }, {
      name: "press",
      token: press,
      foreign: ["pump-1", "sim.pump_temp"],
    }];
    const deadline = Date.now() + 18_000;
    while (Date.now() < deadline && requests < 1500) {
      const user = pick(who);
      const roll = rnd();
      let template: string | undefined;
      let path: string;
      if (roll < 0.8) {
        template = pick(templates);
        path = template.replace(/\{[^}]+\}/g, () => enc(pick(HOSTILE)));
      } else {
        path = "/" +
          Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => enc(pick(HOSTILE)))
            .join("/");
      }
      const params = new URLSearchParams();
      for (let i = Math.floor(rnd() * 4); i > 0; i--) {
        params.append(
          pick(["tag", "tags", "from", "to", "limit", "cursor", "asset", "interval", "q", "x"]),
          pick(HOSTILE),
        );
      }
      const method = pick(["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);
      let body: string | undefined;
      if (method !== "GET" && method !== "OPTIONS" && rnd() < 0.8) {
        body = pick([
          "{",
          "null",
          "[]",
          JSON.stringify({ tags: [pick(HOSTILE)], from: pick(HOSTILE), note: pick(HOSTILE) }),
          JSON.stringify({ a: "x".repeat(200_000) }),
          JSON.stringify(Array.from({ length: 50 }).reduce<unknown>((acc) => ({ n: acc }), 1)),
          pick(HOSTILE),
        ]);
      }
      const target = `${url}${path}${params.size > 0 ? `?${params}` : ""}`;
      requests++;
      let res: Response;
      try {
        res = await fetch(target, {
          method,
          signal: AbortSignal.timeout(5_000),
          headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
          ...(body !== undefined ? { body } : {}),
        });
      } catch (e) {
        failures.push(`${user.name} ${method} ${path.slice(0, 120)}: no answer: ${(e as Error).message}`);
        continue;
      }
      let text: string;
      try {
        text = res.headers.get("content-type")?.startsWith("text/event-stream")
          ? await firstSecond(res) // a live stream never ends: judge what it sends in its first second
          : await res.text();
      } catch (e) {
        failures.push(
          `${user.name} ${method} ${path.slice(0, 120)} -> ${res.status}, body not delivered: ${
            (e as Error).message
          }`,
        );
        continue;
      }
      const known = res.status >= 500 && KNOWN_BUGS.find((b) => b.route.test(path) && b.body.test(text));
      if (known) {
        knownSeen.add(known.report);
      } else if (res.status >= 500 && !documented5xx(template, method, res.status)) {
        failures.push(`${user.name} ${method} ${path.slice(0, 120)} -> ${res.status} ${text.slice(0, 200)}`);
      }
      if (res.ok) {
        const asked = dec(target) + (body ?? "");
        for (const f of user.foreign) {
          if (text.includes(f) && !asked.includes(f)) {
            failures.push(`${user.name} ${method} ${path.slice(0, 120)} -> ${res.status} leaks "${f}"`);
          }
        }
      }
    }
    // Still healthy and serving after the barrage.
    const health = await fetch(`${url}/api/v1/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await gateway.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  for (const k of knownSeen) console.warn(`KNOWN BUG (reported, not failed): ${k}`);
  assert.ok(requests > 200, `only ${requests} requests were made`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${requests} requests misbehaved`);
});
