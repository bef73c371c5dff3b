import assert from "node:assert/strict";
import { DASHBOARD_ASSETS } from "../../../dashboard/mod.ts";
import { buildAssetsModule } from "../../../dashboard/build.ts";
import { startGateway } from "./e2e.ts";

Deno.test("the compiled dashboard assets are up to date with dashboard/src", async () => {
  const current = await Deno.readTextFile(new URL("../../../dashboard/assets.ts", import.meta.url));
  assert.equal(
    current,
    await buildAssetsModule(),
    "run: deno run --allow-read --allow-write --allow-run dashboard/build.ts",
  );
  assert.ok(DASHBOARD_ASSETS["uplot.js"]!.body.includes("uPlot"), "uPlot is bundled, no CDN");
  for (const a of Object.values(DASHBOARD_ASSETS)) {
    assert.doesNotMatch(a.body, /https?:\/\/(cdn|unpkg|fonts)\./);
  }
});

Deno.test("the dashboard is served with ETags and revalidates with 304", async () => {
  const g = await startGateway();
  try {
    const r = await fetch(`${g.url}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await r.text(), /<script type="module" src="\/assets\/app.js">/);
    const etag = r.headers.get("etag")!;
    const again = await fetch(`${g.url}/assets/uplot.js`, { headers: { "if-none-match": "x" } });
    assert.equal(again.status, 200);
    await again.body?.cancel();
    const cached = await fetch(`${g.url}/`, { headers: { "if-none-match": etag } });
    assert.equal(cached.status, 304);
    await cached.body?.cancel();
    const missing = await fetch(`${g.url}/assets/nope.js`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await g.stop();
  }
});

Deno.test("headless chromium shows live values updating and a trend chart from a running gateway", async () => {
  const g = await startGateway();
  try {
    const dir = new URL("../../artifacts/", import.meta.url).pathname;
    await Deno.mkdir(dir, { recursive: true });
    const shot = `${dir}dashboard.png`;
    const driver = new URL("./dashboard_driver.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", driver, g.url, g.viewer, shot],
      stdout: "piped",
      stderr: "piped",
      env: { DENO_TLS_CA_STORE: "system" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    assert.ok(out.success, `driver failed: ${new TextDecoder().decode(out.stderr)}`);
    const result = JSON.parse(stdout.split("\n").at(-1)!);
    assert.equal(result.error, undefined);
    const s = result.steps;
    assert.match(s.noticeWithoutToken, /Enter an API token/);
    assert.notEqual(s.firstValue, s.laterValue, "the live value changed");
    assert.ok(Number.isFinite(Number(s.laterValue)));
    assert.equal(s.quality, "good");
    assert.match(s.trendLabel, /sim\.temp/);
    assert.ok(s.trendCanvases >= 1, "uPlot drew the trend");
    assert.equal(s.storeShown, 1);
    assert.equal(s.sessionToken, g.viewer);
    assert.deepEqual(result.problems, [], "no script errors or CSP violations");
    assert.ok((await Deno.stat(shot)).size > 10_000);
  } finally {
    await g.stop();
  }
});
