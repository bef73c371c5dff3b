/**
 * @module Drops repeats: the value a re-created subscription sends first is usually the one last seen before
 * the outage, and backfill and live data overlap at the reconnect instant.
 */
import type { Sample } from "../../core/mod.ts";

/** Per-tag last delivered (ts, value, status), and the first live timestamp since the last connect. */
export class Dedup {
  readonly #last = new Map<string, Sample>();
  #firstLive = new Map<string, number>();

  /** A new connection: live data starts again. */
  reset(): void {
    this.#firstLive = new Map();
  }

  /** Live samples without exact repeats of the previous one of the same tag (same array when none). */
  live(samples: Sample[]): Sample[] {
    let out: Sample[] | undefined;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const prev = this.#last.get(s.tag);
      const repeat = prev !== undefined && prev.ts === s.ts && prev.status === s.status &&
        (prev.value === s.value || (Number.isNaN(prev.value) && Number.isNaN(s.value)));
      if (!this.#firstLive.has(s.tag)) this.#firstLive.set(s.tag, s.ts);
      if (repeat) {
        out ??= samples.slice(0, i);
        continue;
      }
      this.#last.set(s.tag, s);
      out?.push(s);
    }
    return out ?? samples;
  }

  /** Whether `tag` delivered live data since the last connect. */
  hasLive(tag: string): boolean {
    return this.#firstLive.has(tag);
  }

  /** Tags that delivered live data since the last connect. */
  get liveTags(): number {
    return this.#firstLive.size;
  }

  /**
   * Historical samples older than the first live sample of their tag since the connect (live data, which also
   * feeds the ring buffers, wins the overlap) and not repeating the last live one.
   */
  historical(samples: Sample[]): Sample[] {
    return samples.filter((s) => {
      const first = this.#firstLive.get(s.tag);
      if (first !== undefined && s.ts >= first) return false;
      const prev = this.#last.get(s.tag);
      return !(prev && prev.ts === s.ts && prev.value === s.value);
    });
  }
}
