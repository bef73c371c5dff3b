import assert from "node:assert/strict";
import { kpiSchema, KpiTransform, ShiftCalendar } from "../../../core/kpi/mod.ts";
import { harness, vectors } from "../features/_ctx.ts";

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0); // Monday 12:00 UTC
const MIN = 60_000;

Deno.test("shift calendar: shifts by weekday and timezone offset, night shift across midnight", () => {
  const cal = new ShiftCalendar([
    { name: "early", start: "06:00", hours: 8, days: [1, 2, 3, 4, 5] },
    { name: "night", start: "22:00", hours: 8, days: [1] },
  ], 60);
  // 05:30 UTC = 06:30 local (UTC+1) Monday → early, started 05:00 UTC.
  assert.deepEqual(cal.at(Date.UTC(2026, 10, 23, 5, 30)), {
    name: "early",
    start: Date.UTC(2026, 10, 23, 5),
    end: Date.UTC(2026, 10, 23, 13),
  });
  // Tuesday 02:00 local belongs to Monday's night shift.
  assert.equal(cal.at(Date.UTC(2026, 10, 24, 1))?.name, "night");
  assert.equal(cal.at(Date.UTC(2026, 10, 22, 10)), undefined); // Sunday
  assert.equal(cal.nextStart(Date.UTC(2026, 10, 22, 10)), Date.UTC(2026, 10, 23, 5));
});

Deno.test("KPIs on a scripted state sequence: durations split at the shift change, cycles across a counter rollover, OEE, energy", async () => {
  const h = harness(T0);
  const parsed = kpiSchema.parse({
    asset: "press-2",
    state: { tag: "state" },
    cycles: { tag: "count", rollover: 1000 },
    good: { tag: "good" },
    ideal_cycle_s: 1.5,
    energy: { tag: "power", kind: "power" },
    shifts: [
      { name: "early", start: "06:00", hours: 8, days: [0, 1, 2, 3, 4, 5, 6] },
      { name: "late", start: "14:00", hours: 8, days: [0, 1, 2, 3, 4, 5, 6] },
    ],
    report_interval_s: 600,
  });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
  const t = new KpiTransform(parsed.value);
  await t.start(h.ctx("kpi"));
  try {
    // 12:00–13:00 running, 13:00–13:30 idle, 13:30–14:30 down, 14:30–15:00 running.
    const stateAt = (ms: number) => (ms < 60 * MIN ? 2 : ms < 90 * MIN ? 1 : ms < 150 * MIN ? 0 : 2);
    let count = 990, good = 0, cycles = 0;
    for (let ms = 0; ms <= 180 * MIN; ms += 2000) {
      const ts = T0 + ms;
      const st = stateAt(ms);
      if (ms % 10_000 === 0) h.push("state", [[ts, st]]);
      if (ms > 0 && stateAt(ms - 2000) === 2) {
        count = (count + 1) % 1000;
        cycles++;
        if (cycles % 20 !== 0) good++;
      }
      h.push("count", [[ts, count]]);
      h.push("good", [[ts, good]]);
      if (ms % MIN === 0) h.push("power", [[ts, st === 2 ? 10 : st === 1 ? 2 : 0]]);
      if (ms % (5 * MIN) === 0) {
        h.clock.now = ts;
        t.run();
      }
    }
    const vs = vectors(h.emitted);
    const early = vs.find((v) => v.features["kpi.early.final"] === 1)!;
    assert.ok(early, "final vector of the early shift at 14:00");
    assert.equal(early.windowEnd, T0 + 120 * MIN);
    const f = (k: string) => early.features[`kpi.early.${k}`]!;
    assert.equal(f("running_s"), 3600);
    assert.equal(f("idle_s"), 1800);
    assert.equal(f("down_s"), 1800); // 13:30–14:00 only: the rest is the late shift's
    assert.equal(f("cycles"), 1800);
    assert.equal(f("good"), 1710);
    assert.ok(Math.abs(f("cycle_time_s") - 2) < 1e-9);
    assert.equal(f("availability"), 0.5);
    assert.ok(Math.abs(f("performance") - 0.75) < 1e-9);
    assert.ok(Math.abs(f("quality") - 0.95) < 1e-9);
    assert.ok(Math.abs(f("oee") - 0.5 * 0.75 * 0.95) < 1e-9);
    // 10 kW × 1 h + 2 kW × 0.5 h, minus the two 1-minute ramps the trapezoid sees at the transitions.
    assert.ok(Math.abs(f("energy_kwh") - 11) < 0.2, `energy ${f("energy_kwh")}`);
    const late = vs.filter((v) => v.features["kpi.late.final"] === 0).at(-1)!;
    assert.equal(late.features["kpi.late.down_s"], 1800);
    assert.equal(late.features["kpi.late.running_s"], 1800);
    assert.equal(late.features["kpi.late.cycles"], 900);
  } finally {
    await t.stop();
  }
});
