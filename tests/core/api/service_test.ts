import assert from "node:assert/strict";
import { readEvents, startGateway } from "./e2e.ts";

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

Deno.test("a gateway with the simulator serves live values, SSE updates and history from the DuckDB store", async () => {
  const g = await startGateway();
  try {
    const health = await (await fetch(`${g.url}/api/v1/health`)).json();
    assert.equal(health.api.port, Number(new URL(g.url).port));
    assert.ok(health.store.history_available, "the DuckDB store provides history");

    const stream = await get(`${g.url}/api/v1/stream?tags=sim.temp,sim.vib&max_rate_hz=10`, g.viewer);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get("content-type") ?? "", /text\/event-stream/);
    const seen = new Map<string, number[]>();
    const events = await readEvents(stream, (evs) => {
      seen.clear();
      for (const e of evs.filter((e) => e.event === "values")) {
        for (const v of JSON.parse(e.data) as { tag: string; ts: number }[]) {
          seen.set(v.tag, [...(seen.get(v.tag) ?? []), v.ts]);
        }
      }
      return (seen.get("sim.temp")?.length ?? 0) >= 4 && (seen.get("sim.vib")?.length ?? 0) >= 4;
    }, 8000);
    assert.equal(events[0]?.event, "hello");
    const temps = seen.get("sim.temp") ?? [];
    assert.ok(temps.length >= 4, `SSE delivered ${temps.length} temperature updates`);
    assert.ok(temps.every((t, i) => i === 0 || t > temps[i - 1]!), "values move forward in time");
    assert.ok(!seen.has("sim.flow"), "only the requested tags are streamed");

    // History from the real store: wait until the sink has written some rows.
    let points = 0;
    for (let i = 0; i < 40 && points < 5; i++) {
      const r = await (await get(`${g.url}/api/v1/history?tags=sim.temp&from=-1m`, g.viewer)).json();
      assert.equal(r.source, "history");
      points = r.series[0].ts.length;
      if (points < 5) await new Promise((res) => setTimeout(res, 250));
    }
    assert.ok(points >= 5, `history returned ${points} points`);
    const agg = await (await get(`${g.url}/api/v1/history?tags=sim.temp&from=-1m&step=1s&agg=max`, g.viewer))
      .json();
    assert.ok(agg.series[0].values.some((v: number | null) => v !== null && v > 40 && v < 56));

    const scoped = await (await get(`${g.url}/api/v1/latest`, g.pump)).json();
    const tags = scoped.values.map((v: { tag: string }) => v.tag).sort();
    assert.deepEqual(tags, ["sim.flow", "sim.temp", "sim.vib"]);
  } finally {
    await g.stop();
  }
});

Deno.test("SSE throttles each tag to the configured rate and sends heartbeats", async () => {
  const g = await startGateway("  port: 0\n  stream: { max_rate_hz: 2, heartbeat_s: 0.3 }\n");
  try {
    const stream = await get(`${g.url}/api/v1/stream?tags=sim.flow&max_rate_hz=50`, g.viewer);
    const t0 = Date.now();
    const events = await readEvents(stream, () => Date.now() - t0 > 2100, 2200);
    const hello = JSON.parse(events.find((e) => e.event === "hello")!.data);
    assert.equal(hello.rateHz, 2, "the client's rate is capped at http.stream.max_rate_hz");
    const updates = events.filter((e) => e.event === "values").length;
    assert.ok(updates >= 3 && updates <= 6, `${updates} updates in ~2 s at 2 Hz (plus the initial snapshot)`);
    const quiet = await get(`${g.url}/api/v1/stream?tags=sim.flow&asset=press-2`, g.viewer);
    const beats = await readEvents(quiet, (evs) => evs.some((e) => e.event === "comment"), 2000);
    assert.ok(beats.some((e) => e.event === "comment" && e.data.includes("heartbeat")));
  } finally {
    await g.stop();
  }
});

Deno.test("the number of live streams is capped with a 503", async () => {
  const g = await startGateway("  port: 0\n  limits: { max_streams: 1 }\n");
  try {
    const first = await get(`${g.url}/api/v1/stream`, g.viewer);
    const second = await get(`${g.url}/api/v1/stream`, g.viewer);
    assert.equal(second.status, 503);
    assert.match((await second.json()).error, /too many live streams/);
    await first.body?.cancel();
  } finally {
    await g.stop();
  }
});

Deno.test("HTTPS is served with the configured certificate and key, with HSTS", async () => {
  const dir = await Deno.makeTempDir({ prefix: "api_tls_" });
  try {
    const openssl = async (...args: string[]) => {
      const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
        .output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
    };
    await openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=test CA",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
    );
    await openssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-keyout",
      "key.pem",
      "-out",
      "server.csr",
    );
    await Deno.writeTextFile(
      `${dir}/ext.cnf`,
      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    );
    await openssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
      "-out",
      "cert.pem",
    );
    const g = await startGateway(
      `  port: 0\n  tls: { cert_file: "${dir}/cert.pem", key_file: "${dir}/key.pem" }\n`,
    );
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(`${dir}/ca.pem`)] });
    try {
      assert.match(g.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const r = await fetch(`${g.url}/api/v1/tags?limit=1`, {
        client,
        headers: { authorization: `Bearer ${g.viewer}` },
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("strict-transport-security"), "max-age=31536000");
      assert.equal((await r.json()).items.length, 1);
      await assert.rejects(fetch(`${g.url}/api/v1/health`), "an untrusted client refuses the certificate");
      await assert.rejects(fetch(g.url.replace("https", "http") + "/api/v1/health").then((x) => x.text()));
    } finally {
      client.close();
      await g.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reload that changes the port moves the listener; other http changes apply in place", async () => {
  const g = await startGateway();
  try {
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    const base = g.gateway.config;
    const http = base.http as Record<string, unknown>;
    await g.gateway.reload({ ...base, http: { ...http, stream: { max_rate_hz: 1, heartbeat_s: 15 } } });
    assert.equal(
      (await fetch(`${g.url}/api/v1/health`).then((r) => r.json())).api.port,
      Number(new URL(g.url).port),
    );
    await g.gateway.reload({ ...base, http: { ...http, port } });
    let url = "";
    for (let i = 0; i < 50 && !url.endsWith(`:${port}`); i++) {
      url = String((g.gateway.health().services.http?.details as { url?: string })?.url ?? "");
      if (!url.endsWith(`:${port}`)) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(url, `http://127.0.0.1:${port}`);
    const r = await fetch(`${url}/api/v1/health`);
    assert.equal((await r.json()).api.port, port);
    await assert.rejects(fetch(`${g.url}/api/v1/health`).then((x) => x.text()), "the old port is closed");
  } finally {
    await g.stop();
  }
});
