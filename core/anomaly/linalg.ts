/**
 * @module Small dense linear algebra for detectors: column statistics, covariance, symmetric eigen (Jacobi).
 */

/** Column means and (population) standard deviations of row vectors. */
export function columnStats(rows: readonly Float64Array[]): { mean: Float64Array; std: Float64Array } {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  let n = 0;
  for (const r of rows) {
    n++;
    for (let j = 0; j < d; j++) {
      const delta = r[j]! - mean[j]!;
      mean[j] = mean[j]! + delta / n;
      m2[j] = m2[j]! + delta * (r[j]! - mean[j]!);
    }
  }
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) std[j] = n > 0 ? Math.sqrt(m2[j]! / n) : 0;
  return { mean, std };
}

/** Sample covariance (divisor n-1) of row vectors, as a row-major d×d matrix. */
export function covariance(rows: readonly Float64Array[]): Float64Array {
  const d = rows[0]?.length ?? 0;
  const n = rows.length;
  const { mean } = columnStats(rows);
  const c = new Float64Array(d * d);
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const di = r[i]! - mean[i]!;
      for (let j = i; j < d; j++) c[i * d + j] = c[i * d + j]! + di * (r[j]! - mean[j]!);
    }
  }
  const div = Math.max(1, n - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = c[i * d + j]! / div;
      c[i * d + j] = v;
      c[j * d + i] = v;
    }
  }
  return c;
}

/**
 * Eigen-decomposition of a symmetric d×d matrix by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching unit eigenvectors as columns (row-major d×d).
 */
export function symmetricEigen(
  matrix: Float64Array,
  d: number,
): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== d * d) {
    throw new RangeError(`matrix has ${matrix.length} entries, expected ${d}×${d}`);
  }
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(d).keys()].sort((x, y) => a[y * d + y]! - a[x * d + x]!);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    values[dst] = a[src * d + src]!;
    for (let k = 0; k < d; k++) vectors[k * d + dst] = v[k * d + src]!;
  });
  return { values, vectors };
}
