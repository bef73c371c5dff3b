/** Seeded synthetic feature streams with known anomalies for detector tests. */

/** mulberry32 PRNG + Box–Muller normal deviates. */
export function normal(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** A vector of 6 features: f0..f3 independent N(10, 1); f4 = f0 + small noise; f5 = 2·f1 + small noise. */
export function cleanVector(rnd: () => number): Record<string, number> {
  const f0 = 10 + rnd(), f1 = 10 + rnd();
  return {
    f0,
    f1,
    f2: 10 + rnd(),
    f3: 10 + rnd(),
    f4: f0 + 0.1 * rnd(),
    f5: 2 * f1 + 0.1 * rnd(),
  };
}

/** Feeds vectors at 1 s spacing; returns the index (from `from`) of the first anomalous detection or -1. */
export function firstAlarm(
  det: { update(f: Record<string, number>, ts: number): { anomalous: boolean } | undefined },
  vectors: readonly Record<string, number>[],
  from = 0,
): number {
  let first = -1;
  vectors.forEach((v, i) => {
    const d = det.update(v, i * 1000);
    if (first < 0 && i >= from && d?.anomalous) first = i - from;
  });
  return first;
}
