/**
 * @module Raw-value downsampling per tag: glob rules resolved once per tag, every-nth counters kept per tag.
 */
import type { RawMode, RawRule } from "./schema.ts";

/** Compiles a glob (`*` any run, `?` one character) to a matcher; a pattern without wildcards is exact. */
export function globMatcher(pattern: string): (id: string) => boolean {
  if (!/[*?]/.test(pattern)) return (id) => id === pattern;
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`);
  return (id) => re.test(id);
}

/** What to do with one tag's raw values. */
export interface TagPolicy {
  readonly mode: RawMode;
  readonly n: number;
}

const KEEP_ALL: TagPolicy = { mode: "all", n: 1 };

/** Resolves tags to policies (first matching rule wins) and decides per value whether it is kept. */
export class RawPolicy {
  readonly #rules: { match: (id: string) => boolean; policy: TagPolicy }[];
  readonly #byTag = new Map<string, { policy: TagPolicy; seen: number }>();

  constructor(rules: readonly RawRule[]) {
    this.#rules = rules.map((r) => {
      const matchers = r.tags.map(globMatcher);
      return {
        match: (id: string) => matchers.some((m) => m(id)),
        policy: { mode: r.mode, n: r.mode === "every_nth" ? r.n : 1 },
      };
    });
  }

  /** The policy of a tag. */
  policyOf(tag: string): TagPolicy {
    return this.#state(tag).policy;
  }

  /**
   * Indices (into a run of `count` consecutive values of `tag`) that are kept, advancing the tag's counter:
   * every_nth keeps values number 0, n, 2n ... of the tag's whole stream, across batches.
   */
  keep(tag: string, count: number): { start: number; stride: number; kept: number } {
    const st = this.#state(tag);
    const { mode, n } = st.policy;
    if (mode === "all") return { start: 0, stride: 1, kept: count };
    if (mode === "rollups_only") return { start: 0, stride: 1, kept: 0 };
    const start = (n - (st.seen % n)) % n;
    st.seen += count;
    const kept = start >= count ? 0 : Math.floor((count - 1 - start) / n) + 1;
    return { start, stride: n, kept };
  }

  #state(tag: string): { policy: TagPolicy; seen: number } {
    let st = this.#byTag.get(tag);
    if (!st) {
      const policy = this.#rules.find((r) => r.match(tag))?.policy ?? KEEP_ALL;
      st = { policy, seen: 0 };
      this.#byTag.set(tag, st);
    }
    return st;
  }
}
