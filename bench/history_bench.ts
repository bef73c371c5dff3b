/**
 * @module History store benchmark: appender inserts vs a plain INSERT ... VALUES batch, vibration block rollups
 * vs the raw appender rate, and series query latency (one tag over 7 days at 1 min from rollups vs the same
 * from raw; 10 tags over 1 day raw).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { type BenchSuite, type Measurement, printTable } from "./harness.ts";
import { HistorySink } from "../adapters/history/sink.ts";
import { historySchema } from "../adapters/history/schema.ts";
import { RollupComputer } from "../adapters/history/rollups.ts";
import {
  Capabilities,
  type ComponentContext,
  type Message,
  Metrics,
  type Rollup,
  type Sample,
  silentLogger,
  TagStore,
} from "../core/mod.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

/** Median of `rounds` timed runs of an async operation. */
async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  ops: number,
  rounds = 5,
): Promise<Measurement> {
  await fn();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    per.push(((performance.now() - t0) * 1e6) / ops);
  }
  per.sort((a, b) => a - b);
  const nsPerOp = per[Math.floor(per.length / 2)]!;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

function ctxFor(dir: string, now: () => number): ComponentContext {
  const caps = new Capabilities();
  return {
    name: "history",
    gateway: { id: "bench", site: "bench", version: "0" },
    logger: silentLogger,
    metrics: new Metrics(),
    tags: new TagStore(1024),
    signal: new AbortController().signal,
    stateDir: dir,
    event: () => {},
    now,
    provide: (c, impl) => caps.provide(c, impl, "history"),
    lookup: (c) => caps.lookup(c),
  };
}

function sink(overrides: Record<string, unknown>): HistorySink {
  const r = historySchema.parse({ retention: { raw_days: 0, rollups_1s_days: 0 }, ...overrides });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return new HistorySink(r.value);
}

function samples(tags: number, perTag: number, t0: number, dtMs: number): Sample[] {
  const out: Sample[] = new Array(tags * perTag);
  let k = 0;
  for (let i = 0; i < perTag; i++) {
    const ts = t0 + i * dtMs;
    for (let t = 0; t < tags; t++) {
      out[k++] = {
        tag: `bench.t${t}`,
        value: Math.sin(i / 60 + t) * 10 + t,
        ts,
        recv: ts + 3,
        quality: 0,
        status: 0,
      };
    }
  }
  return out;
}

async function insertSuite(dir: string): Promise<void> {
  const N = 100_000;
  const rows = samples(10, N / 10, T0, 1000);
  // Anchor: the same rows through INSERT ... VALUES, 1000 rows per statement, one transaction.
  const inst = await DuckDBInstance.create(`${dir}/anchor.duckdb`);
  const conn = await inst.connect();
  await conn.run(`CREATE TABLE s (tag VARCHAR, ts TIMESTAMP, recv TIMESTAMP, value DOUBLE, quality UTINYINT,
    status UINTEGER)`);
  const anchor = await measureAsync(
    "INSERT VALUES (1000/stmt)",
    async () => {
      await conn.run("BEGIN");
      for (let off = 0; off < rows.length; off += 1000) {
        const parts: string[] = [];
        for (const s of rows.slice(off, off + 1000)) {
          parts.push(
            `('${s.tag}', make_timestamp(${Math.round(s.ts * 1000)}), make_timestamp(${
              Math.round(s.recv * 1000)
            }), ${s.value}, ${s.quality}, ${s.status})`,
          );
        }
        await conn.run(`INSERT INTO s VALUES ${parts.join(",")}`);
      }
      await conn.run("COMMIT");
    },
    rows.length,
    3,
  );
  conn.closeSync();
  inst.closeSync();
  const cases: Measurement[] = [];
  for (
    const [name, cfg] of [
      ["store write, raw only (appender)", { compute_rollups: false }],
      ["store write, raw + 1s/1m/1h rollups", { compute_rollups: true }],
    ] as const
  ) {
    const sub = `${dir}/${cases.length}`;
    let now = T0;
    const s = sink({ path: `${sub}/h.duckdb`, ...cfg });
    await s.start(ctxFor(sub, () => now));
    // Fresh timestamps per round (pre-built outside the timing) so rollup buckets really advance.
    const batches = Array.from(
      { length: 6 },
      (_, k) => rows.map((r) => ({ ...r, ts: r.ts + (k + 1) * DAY })),
    );
    let round = 0;
    cases.push(
      await measureAsync(name, async () => {
        const batch = batches[round++ % batches.length]!;
        now = batch[batch.length - 1]!.ts;
        for (let off = 0; off < batch.length; off += 50_000) {
          await s.write([{ kind: "samples", samples: batch.slice(off, off + 50_000) }]);
        }
      }, rows.length),
    );
    await s.stop();
  }
  printTable("history insert (rows/s; goal ≥ 1M rows/s with the appender)", anchor, cases, "rows/s");
}

/** One second of a 16-channel 25.6 kHz vibration asset as 100 ms blocks, plus 20 slow tags at 10 Hz. */
function vibrationSecond(sec: number, waves: readonly Float64Array[]): { blocks: Message[]; slow: Message } {
  const blocks: Message[] = [];
  const t0 = T0 + sec * 1000;
  for (let step = 0; step < 10; step++) {
    for (let c = 0; c < waves.length; c++) {
      blocks.push({
        kind: "block",
        block: {
          tag: `vib.ch${c}`,
          t0: t0 + step * 100,
          dt: 1000 / 25_600,
          values: waves[c]!.subarray(step * 2560, (step + 1) * 2560),
          recv: t0 + step * 100 + 100,
          quality: 0,
          status: 0,
        },
      });
    }
  }
  return { blocks, slow: { kind: "samples", samples: samples(20, 10, t0, 100) } };
}

async function blockSuite(dir: string): Promise<void> {
  const waves = Array.from({ length: 16 }, (_, c) => {
    const w = new Float64Array(25_600);
    for (let i = 0; i < w.length; i++) w[i] = Math.sin(i * (0.006 + c * 0.0007)) + ((i * 7919) % 101) / 500;
    return w;
  });
  const values = 16 * 25_600;
  // Anchor: the raw appender path, the same number of values as single samples (store write, no rollups).
  const raw = samples(16, 25_600, T0, 1000 / 25_600);
  let now = T0;
  const a = sink({ path: `${dir}/b0/h.duckdb`, compute_rollups: false });
  await a.start(ctxFor(`${dir}/b0`, () => now));
  const anchor = await measureAsync(
    "raw appender (samples, no rollups)",
    async () => {
      for (let off = 0; off < raw.length; off += 50_000) {
        await a.write([{ kind: "samples", samples: raw.slice(off, off + 50_000) }]);
      }
    },
    raw.length,
    3,
  );
  await a.stop();
  const cases: Measurement[] = [];
  // The fast path the pipeline takes: blocks rolled up at intake, one commit per second with the slow tags.
  {
    let sec = 0;
    const s = sink({ path: `${dir}/b1/h.duckdb` });
    await s.start(ctxFor(`${dir}/b1`, () => now));
    cases.push(
      await measureAsync(
        "blocks at intake + commit/s (rollups only)",
        async () => {
          const { blocks, slow } = vibrationSecond(sec++, waves);
          now = T0 + sec * 1000;
          for (const m of blocks) if (!s.intake(m)) throw new Error("block not taken at intake");
          await s.write([slow]);
        },
        values + 200,
        25,
      ),
    );
    await s.stop();
  }
  // The queue path (a block whose raw policy keeps values, or a sink without intake): rollups in prepare.
  {
    let sec = 0;
    const s = sink({ path: `${dir}/b2/h.duckdb` });
    await s.start(ctxFor(`${dir}/b2`, () => now));
    cases.push(
      await measureAsync(
        "blocks through write() (rollups only)",
        async () => {
          const { blocks, slow } = vibrationSecond(sec++, waves);
          now = T0 + sec * 1000;
          await s.write([...blocks, slow]);
        },
        values + 200,
        25,
      ),
    );
    await s.stop();
  }
  // (Many rounds of one second each: the median is taken once the JIT has optimised the loops.)
  // The rollup computation alone (what intake costs the producer), comparable with the per-value reference.
  {
    let sec = 0;
    const rc = new RollupComputer(8192, 2000);
    const out: Rollup[] = [];
    cases.push(
      await measureAsync(
        "block rollups alone (addBlock, no commit)",
        () => {
          const { blocks } = vibrationSecond(sec++, waves);
          for (const m of blocks) {
            if (m.kind === "block") {
              rc.addBlock(
                m.block.tag,
                m.block.t0,
                m.block.dt,
                m.block.values,
                false,
                0,
                out,
              );
            }
          }
          out.length = 0;
          return Promise.resolve();
        },
        values,
        25,
      ),
    );
  }
  // Reference: the per-value rollup path blocks used before (3 buckets, Welford and reservoir per value).
  {
    let sec = 0;
    const rc = new RollupComputer(8192, 2000);
    const out: Rollup[] = [];
    cases.push(
      await measureAsync(
        "per-value rollups (the old block path, no commit)",
        () => {
          const { blocks } = vibrationSecond(sec++, waves);
          for (const m of blocks) {
            if (m.kind !== "block") continue;
            const b = m.block;
            for (let i = 0; i < b.values.length; i++) {
              rc.add(b.tag, b.t0 + i * b.dt, b.values[i]!, false, b.recv, out);
            }
          }
          out.length = 0;
          return Promise.resolve();
        },
        values,
        7,
      ),
    );
  }
  printTable(
    "vibration block rollups (16 ch x 25.6 kHz = 409,600 values per op; values/s vs the raw appender)",
    anchor,
    cases,
    "values/s",
  );
}

async function querySuite(dir: string): Promise<void> {
  let now = T0;
  const s = sink({ path: `${dir}/q/h.duckdb`, retention: { raw_days: 0, rollups_1s_days: 0, max_db_mb: 0 } });
  await s.start(ctxFor(`${dir}/q`, () => now));
  // 7 days of 1 s data for one tag; 1 day of 1 s data for 10 more tags.
  const week = 7 * 86_400;
  for (let off = 0; off < week; off += 100_000) {
    const n = Math.min(100_000, week - off);
    const part = Array.from({ length: n }, (_, i): Sample => {
      const ts = T0 + (off + i) * 1000;
      return { tag: "bench.week", value: Math.sin((off + i) / 600), ts, recv: ts + 2, quality: 0, status: 0 };
    });
    now = part[part.length - 1]!.ts;
    await s.write([{ kind: "samples", samples: part }]);
  }
  const day = samples(10, 86_400, T0, 1000);
  for (let off = 0; off < day.length; off += 100_000) {
    await s.write([{ kind: "samples", samples: day.slice(off, off + 100_000) }]);
  }
  now = T0 + 8 * DAY;
  await s.maintain();
  await s.stop();
  const s2 = sink({
    path: `${dir}/q/h.duckdb`,
    retention: { raw_days: 0, rollups_1s_days: 0, max_db_mb: 0 },
  });
  await s2.start(ctxFor(`${dir}/q`, () => now));
  const r = s2.reader;
  const weekQuery = {
    tags: ["bench.week"],
    from: T0,
    to: T0 + 7 * DAY,
    step: 60_000,
    agg: "avg" as const,
    maxPoints: 20_000,
  };
  const check = await r.series(weekQuery);
  if (check[0]!.table !== "1m" || check[0]!.points.length !== 10_080) {
    throw new Error("unexpected table or points");
  }
  // Anchor: the same 1-minute averages computed from the raw table (rollups bypassed via a 59 s step).
  const anchor = await measureAsync(
    "1 tag, 7 d, 59 s step from raw",
    () => r.series({ ...weekQuery, step: 59_000 }),
    1,
  );
  const rows: Measurement[] = [
    await measureAsync("1 tag, 7 d, 1 min step (rollups_1m)", () => r.series(weekQuery), 1),
    await measureAsync(
      "1 tag, 7 d, 1 h step (rollups_1h)",
      () => r.series({ ...weekQuery, step: 3_600_000 }),
      1,
    ),
    await measureAsync(
      "10 tags, 1 d raw (864k points)",
      () =>
        r.series({
          tags: Array.from({ length: 10 }, (_, t) => `bench.t${t}`),
          from: T0,
          to: T0 + DAY,
          maxPoints: 100_000,
        }),
      1,
      3,
    ),
  ];
  await s2.stop();
  printTable("history query latency (per query; goal < 100 ms for 7 d at 1 min)", anchor, rows, "queries/s");
}

export const historySuite: BenchSuite = {
  name: "history",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "history_bench_" });
    try {
      await insertSuite(dir);
      await blockSuite(dir);
      await querySuite(dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};
