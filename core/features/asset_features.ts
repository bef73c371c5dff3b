/**
 * @module One asset's feature computation: its windows, shaft speed, context tags joined ASOF with a
 * tolerance, vectors held for late context samples during a grace period, late samples dead-lettered.
 */
import type { SignalCore } from "../../wasm/mod.ts";
import type { SpectrumSnapshot } from "../history/types.ts";
import { QUALITY_NAMES } from "../model/quality.ts";
import type { FeatureVector } from "../model/records.ts";
import type { TagReader } from "../ring/tag_store.ts";
import { AsofSeries } from "./asof.ts";
import { extract, windowQuality } from "./extract.ts";
import type { AssetFeaturesConfig, WindowConfig } from "./schema.ts";
import { WindowCursor } from "./window_cursor.ts";

interface WindowResult {
  end: number;
  features: Record<string, number>;
  worst: number;
  good: number;
}

interface WindowState {
  readonly cfg: WindowConfig;
  readonly prefix: string;
  readonly cursor: WindowCursor;
  started: boolean;
  /** Recent results, oldest first (for ASOF joins onto the trigger window). */
  recent: WindowResult[];
}

interface ContextState {
  readonly name: string;
  readonly tag: string;
  readonly series: AsofSeries;
  nextSeq: number | undefined;
}

interface Pending {
  readonly start: number;
  readonly result: WindowResult;
  readonly deadline: number;
}

/** Counters the transform exports as metrics. */
export interface AssetCounters {
  windows: number;
  rejected: number;
  lost: number;
  deadLetters: number;
  errors: number;
}

/** What one step produced. */
export interface StepOutput {
  readonly vectors: FeatureVector[];
  readonly snapshots: SpectrumSnapshot[];
  /** Late context samples that arrived after their vector was emitted: (tag, ts). */
  readonly dead: { tag: string; ts: number; value: number }[];
}

/** Feature computation of one asset. */
export class AssetFeatures {
  readonly #windows: WindowState[];
  readonly #context: ContextState[];
  readonly #pending: Pending[] = [];
  #lastEmittedEnd = Number.NEGATIVE_INFINITY;
  readonly counters: AssetCounters = { windows: 0, rejected: 0, lost: 0, deadLetters: 0, errors: 0 };

  constructor(
    readonly config: AssetFeaturesConfig,
    private readonly schemaVersion: number,
    /** Ring sequence per tag when the transform started (tags created later start at 0). */
    private readonly startSeq: (tag: string) => number,
  ) {
    this.#windows = config.windows.map((cfg) => ({
      cfg,
      prefix: cfg.name ?? cfg.tag.slice(cfg.tag.lastIndexOf(".") + 1),
      cursor: new WindowCursor(cfg),
      started: false,
      recent: [],
    }));
    this.#context = Object.entries(config.context).map(([name, tag]) => ({
      name,
      tag,
      series: new AsofSeries(),
      nextSeq: undefined,
    }));
  }

  /** Reads new samples, computes finished windows, emits vectors whose context is complete or whose grace ran out. */
  step(core: SignalCore, tags: TagReader, now: number): StepOutput {
    const out: StepOutput = { vectors: [], snapshots: [], dead: [] };
    this.#readContext(tags, out);
    // Non-trigger windows first, so the trigger's vector can join windows ending at the same time.
    for (let i = this.#windows.length - 1; i >= 0; i--) this.#computeWindows(core, tags, i, now, out);
    while (this.#pending.length > 0) {
      const p = this.#pending[0]!;
      const complete = this.#context.every((c) => c.series.watermark >= p.result.end);
      if (!complete && now < p.deadline) break;
      this.#pending.shift();
      out.vectors.push(this.#vector(p, now));
    }
    return out;
  }

  #readContext(tags: TagReader, out: StepOutput): void {
    for (const c of this.#context) {
      const entry = tags.get(c.tag);
      if (!entry) continue;
      const ring = entry.ring;
      c.nextSeq ??= this.startSeq(c.tag);
      if (c.nextSeq < ring.oldestSeq) {
        this.counters.lost += ring.oldestSeq - c.nextSeq;
        c.nextSeq = ring.oldestSeq;
      }
      for (let seq = c.nextSeq; seq < ring.seq; seq++) {
        const s = ring.at(seq)!;
        if (s.ts <= this.#lastEmittedEnd) {
          this.counters.deadLetters++;
          out.dead.push({ tag: c.tag, ts: s.ts, value: s.value });
        } else c.series.insert(s.ts, s.value, s.quality);
      }
      c.nextSeq = ring.seq;
    }
  }

  #computeWindows(core: SignalCore, tags: TagReader, i: number, now: number, out: StepOutput): void {
    const w = this.#windows[i]!;
    const entry = tags.get(w.cfg.tag);
    if (!entry) return;
    if (!w.started) {
      w.cursor.begin(this.startSeq(w.cfg.tag));
      w.started = true;
    }
    for (let guard = 0; guard < 10_000; guard++) {
      const lostBefore = w.cursor.lost;
      const cw = w.cursor.next(entry.ring);
      this.counters.lost += w.cursor.lost - lostBefore;
      if (!cw) return;
      this.counters.windows++;
      const q = windowQuality(cw.view);
      if (cw.view.length === 0 || q.good < w.cfg.min_good_share) {
        this.counters.rejected++;
        continue;
      }
      const fs = entry.meta.sampleRateHz ?? estimateFs(cw.view.length, cw.start, cw.end);
      const ex = extract(core, w.cfg, w.prefix, w.cfg.tag, cw.view, cw.end, fs, this.#shaftHz(tags, cw.end));
      if (ex.snapshot) out.snapshots.push(ex.snapshot);
      const result: WindowResult = { end: cw.end, features: ex.features, worst: q.worst, good: q.good };
      w.recent.push(result);
      if (w.recent.length > 8) w.recent.shift();
      if (i === 0) this.#pending.push({ start: cw.start, result, deadline: now + this.config.grace_ms });
    }
  }

  #shaftHz(tags: TagReader, at: number): number | undefined {
    const sp = this.config.speed;
    if (!sp) return undefined;
    if (sp.tag) {
      const l = tags.get(sp.tag)?.latest;
      const v = typeof l?.value === "number" ? l.value : Number.NaN;
      if (l && l.quality !== 2 && v > 0 && Math.abs(at - l.ts) <= Math.max(this.config.tolerance_ms, 1)) {
        return sp.unit === "rpm" ? v / 60 : v;
      }
    }
    return sp.hz;
  }

  #vector(p: Pending, now: number): FeatureVector {
    const features: Record<string, number> = { ...p.result.features };
    let worst = p.result.worst;
    let good = p.result.good;
    const end = p.result.end;
    const tol = this.config.tolerance_ms;
    for (let i = 1; i < this.#windows.length; i++) {
      const w = this.#windows[i]!;
      const r = [...w.recent].reverse().find((x) => x.end <= end + 1e-6 && end - x.end <= tol);
      if (!r) continue;
      Object.assign(features, r.features);
      worst = Math.max(worst, r.worst);
      good = Math.min(good, r.good);
    }
    for (const c of this.#context) {
      const v = c.series.at(end, tol);
      if (!v) continue;
      features[c.name] = v.value;
      worst = Math.max(worst, v.quality);
    }
    this.#lastEmittedEnd = Math.max(this.#lastEmittedEnd, end);
    return {
      asset: this.config.asset,
      windowStart: p.start,
      windowEnd: end,
      computedAt: now,
      schemaVersion: this.schemaVersion,
      features,
      quality: { worst: QUALITY_NAMES[Math.min(2, worst)]!, goodShare: good },
    };
  }
}

function estimateFs(n: number, start: number, end: number): number | undefined {
  return end > start && n > 1 ? (n * 1000) / (end - start) : undefined;
}
