/**
 * @module Benchmark harness: every figure is measured beside its anchor in the same run and printed as a ratio.
 */

/** One measured figure. */
export interface Measurement {
  readonly name: string;
  /** Nanoseconds per operation (median of the rounds). */
  readonly nsPerOp: number;
  /** Operations per second derived from nsPerOp. */
  readonly opsPerSec: number;
}

/** Options for {@link measure}. */
export interface MeasureOptions {
  /** Operations performed by one call of the measured function (e.g. samples appended). */
  readonly opsPerCall?: number;
  /** Minimum wall time per round in milliseconds. */
  readonly roundMs?: number;
  /** Number of timed rounds; the median is reported. */
  readonly rounds?: number;
}

/** Runs `fn` repeatedly (after a warm-up) and returns the median cost per operation. */
export function measure(name: string, fn: () => unknown, options: MeasureOptions = {}): Measurement {
  const opsPerCall = options.opsPerCall ?? 1;
  const roundMs = options.roundMs ?? 150;
  const rounds = options.rounds ?? 7;
  // Warm-up and calibration: find a call count that fills one round.
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= roundMs / 4 || calls > 1e9) break;
    calls *= 2;
  }
  calls = Math.max(1, Math.round(calls * 4));
  const perOp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    const dt = performance.now() - t0;
    perOp.push((dt * 1e6) / (calls * opsPerCall));
  }
  perOp.sort((a, b) => a - b);
  const nsPerOp = perOp[Math.floor(perOp.length / 2)] ?? Number.NaN;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

/** Formats a number of nanoseconds for a table cell. */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** Formats a rate for a table cell. */
export function formatRate(perSec: number, unit = "ops/s"): string {
  if (perSec >= 1e9) return `${(perSec / 1e9).toFixed(2)} G${unit}`;
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M${unit}`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k${unit}`;
  return `${perSec.toFixed(1)} ${unit}`;
}

/** Prints a markdown table: each row is a measurement and its ratio to the anchor (anchor speed = 1.00×). */
export function printTable(
  title: string,
  anchor: Measurement,
  rows: readonly Measurement[],
  unit = "ops/s",
): void {
  console.log(`\n### ${title}\n`);
  console.log(`| case | time/op | rate | vs ${anchor.name} |`);
  console.log("|---|---:|---:|---:|");
  for (const m of [anchor, ...rows]) {
    const ratio = anchor.nsPerOp / m.nsPerOp;
    console.log(
      `| ${m.name} | ${formatNs(m.nsPerOp)} | ${formatRate(m.opsPerSec, unit)} | ${ratio.toFixed(2)}× |`,
    );
  }
}

/** A benchmark suite registered in bench/mod.ts. */
export interface BenchSuite {
  readonly name: string;
  run(): Promise<void> | void;
}
