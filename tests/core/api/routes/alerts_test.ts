import assert from "node:assert/strict";
import { type Alert, type AlertControl, ALERTS_CAPABILITY } from "../../../../core/mod.ts";
import { T0, withFixture } from "../fixture.ts";

function alert(id: string, asset: string, state: Alert["state"] = "active"): Alert {
  return {
    id,
    asset,
    kind: "anomaly",
    severity: "warning",
    state,
    acknowledged: false,
    raisedAt: T0,
    message: `anomaly on ${asset}`,
    contributions: [],
  };
}

class LiveAlerts implements AlertControl {
  constructor(public list: Alert[]) {}
  acks: { id: string; by: string }[] = [];
  active(): readonly Alert[] {
    return this.list.filter((a) => a.state === "active");
  }
  acknowledge(id: string, by: string): Alert | undefined {
    const i = this.list.findIndex((a) => a.id === id);
    if (i < 0) return undefined;
    this.acks.push({ id, by });
    return (this.list[i] = { ...this.list[i]!, acknowledged: true });
  }
}

Deno.test("active alerts come from the live alert manager, filtered by scope", () =>
  withFixture(async (f) => {
    const live = new LiveAlerts([
      alert("a1", "pump-1"),
      alert("a2", "press-2"),
      alert("a3", "pump-1", "cleared"),
    ]);
    f.gateway.pipeline.capabilities.provide(ALERTS_CAPABILITY, live, "scoring");
    const all = await f.json("/api/v1/alerts/active", f.tokens.viewer);
    assert.equal(all.body.source, "live");
    assert.deepEqual((all.body.items as Alert[]).map((a) => a.id), ["a1", "a2"]);
    const scoped = await f.json("/api/v1/alerts/active", f.tokens.pump);
    assert.deepEqual((scoped.body.items as Alert[]).map((a) => a.id), ["a1"]);
  }));

Deno.test("active alerts fall back to history when no live alert manager runs", () =>
  withFixture(async (f) => {
    f.history!.alertList.push(alert("h1", "pump-1"), alert("h2", "pump-1", "cleared"));
    const r = await f.json("/api/v1/alerts/active", f.tokens.viewer);
    assert.equal(r.body.source, "history");
    assert.deepEqual((r.body.items as Alert[]).map((a) => a.id), ["h1"]);
    const listed = await f.json("/api/v1/alerts?state=cleared", f.tokens.viewer);
    assert.deepEqual((listed.body.items as Alert[]).map((a) => a.id), ["h2"]);
  }));

Deno.test("an operator acknowledges an alert live and in history, recorded with the token name", () =>
  withFixture(async (f) => {
    const live = new LiveAlerts([alert("a1", "pump-1")]);
    f.gateway.pipeline.capabilities.provide(ALERTS_CAPABILITY, live, "scoring");
    f.history!.alertList.push(alert("a1", "pump-1"));
    const r = await f.fetch("/api/v1/alerts/a1/acknowledge", {
      method: "POST",
      token: f.tokens.pump,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ comment: "bearing checked" }),
    });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).acknowledged, true);
    assert.deepEqual(live.acks, [{ id: "a1", by: "pump" }]);
    assert.equal(f.history!.acknowledged[0]!.by, "pump");
  }));

Deno.test("acknowledging needs the operator role and a visible alert", () =>
  withFixture(async (f) => {
    f.history!.alertList.push(alert("a2", "press-2"));
    const viewer = await f.fetch("/api/v1/alerts/a2/acknowledge", { method: "POST", token: f.tokens.viewer });
    assert.equal(viewer.status, 403);
    await viewer.body?.cancel();
    const scoped = await f.fetch("/api/v1/alerts/a2/acknowledge", { method: "POST", token: f.tokens.pump });
    assert.equal(scoped.status, 404);
    await scoped.body?.cancel();
    assert.equal(f.history!.acknowledged.length, 0);
    const unknown = await f.fetch("/api/v1/alerts/zz/acknowledge", {
      method: "POST",
      token: f.tokens.operator,
    });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'unknown alert "zz"');
    const bad = await f.fetch("/api/v1/alerts/a2/acknowledge", {
      method: "POST",
      token: f.tokens.operator,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ comment: 5 }),
    });
    assert.equal(bad.status, 400);
    assert.deepEqual((await bad.json()).issues.map((i: { path: string }) => i.path), ["body.comment"]);
  }));
