import assert from "node:assert/strict";
import { Bucket, quantile } from "../../../adapters/history/bucket.ts";
import { stats } from "./_helpers.ts";

Deno.test("rollup bucket statistics equal an independent computation; Bad values count but do not skew", () => {
  const b = new Bucket(0, 1000, 8192, 7);
  const values = Array.from({ length: 500 }, (_, i) => Math.cos(i) * 3 + i / 100);
  values.forEach((v, i) => b.add(i, v, false, i));
  b.add(600, 1e9, true, 600);
  const r = b.result();
  const st = stats(values);
  assert.equal(b.count, 501);
  assert.ok(Math.abs(r.mean - st.mean) < 1e-12);
  assert.ok(Math.abs(r.std - st.std) < 1e-12);
  assert.equal(r.min, st.min);
  assert.equal(r.max, st.max);
  assert.ok(Math.abs(r.p95 - st.p95) < 1e-12, "exact below the reservoir size");
  assert.equal(r.last, values[499]);
  assert.equal(r.badShare, 1 / 501);
});

Deno.test("rollup bucket estimates p95 from its reservoir beyond the reservoir size within a percentile", () => {
  const b = new Bucket(0, 1000, 1024, 11);
  const n = 100_000;
  for (let i = 0; i < n; i++) b.add(i, (i * 7919) % n, false, i); // a permutation of 0..n-1
  const p95 = b.result().p95;
  assert.ok(Math.abs(p95 - 0.95 * (n - 1)) < 0.01 * n, `p95 ${p95}`);
  assert.ok(Number.isNaN(quantile(new Float64Array(0), 0.95)));
  assert.ok(Number.isNaN(new Bucket(0, 1, 64, 1).result().mean), "no good value: NaN, stored as NULL");
});
