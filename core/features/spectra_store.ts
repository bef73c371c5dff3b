/**
 * @module The latest spectrum per vibration tag, offered as capability "spectra" for the dashboard.
 */
import type { SpectraProvider, SpectrumSnapshot } from "../history/types.ts";

/** Keeps the newest snapshot per tag. */
export class SpectraStore implements SpectraProvider {
  readonly #latest = new Map<string, SpectrumSnapshot>();

  put(s: SpectrumSnapshot): void {
    const prev = this.#latest.get(s.tag);
    if (!prev || s.ts >= prev.ts) this.#latest.set(s.tag, s);
  }
  latest(tag: string): SpectrumSnapshot | undefined {
    return this.#latest.get(tag);
  }
  tags(): readonly string[] {
    return [...this.#latest.keys()].sort();
  }
}
