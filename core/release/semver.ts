/**
 * @module Semantic versions (semver 2.0.0): parsing and precedence, for anti-downgrade checks.
 */

/** A parsed version. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly (string | number)[];
  readonly text: string;
}

const RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** True when `text` is a valid semantic version. */
export function isSemVer(text: string): boolean {
  return RE.test(text);
}

/** Parses `text`; throws TypeError naming the bad value. */
export function parseSemVer(text: string): SemVer {
  const m = RE.exec(text);
  if (!m) {
    throw new TypeError(`"${text}" is not a semantic version (expected MAJOR.MINOR.PATCH[-pre][+build])`);
  }
  const prerelease = m[4] === undefined ? [] : m[4].split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease, text };
}

/** Precedence of `a` vs `b`: negative, 0 or positive (build metadata is ignored, as semver requires). */
export function compareSemVer(a: string | SemVer, b: string | SemVer): number {
  const x = typeof a === "string" ? parseSemVer(a) : a;
  const y = typeof b === "string" ? parseSemVer(b) : b;
  for (const k of ["major", "minor", "patch"] as const) if (x[k] !== y[k]) return x[k] - y[k];
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    return y.prerelease.length - x.prerelease.length;
  }
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    if (typeof p === "number") return -1;
    if (typeof q === "number") return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
