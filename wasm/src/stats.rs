//! Window statistics: Welford/Terriberry updates for mean and central moments over data shifted by
//! the first sample (stable under large offsets, e.g. 1e9), run as four interleaved accumulators
//! (independent dependency chains) merged with Pébay's pairwise formulas; extremes, RMS, crest
//! factor, and exact percentiles by nested selection on a scratch copy.

use crate::select::percentiles_desc;

/// Number of values written by `stats`.
pub const FIELDS: usize = 15;

/// Count, mean and central moment sums M2..M4 of a stream.
#[derive(Clone, Copy, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl Moments {
    #[inline(always)]
    fn push(&mut self, v: f64) {
        let n1 = self.n;
        self.n += 1.0;
        let n = self.n;
        let delta = v - self.mean;
        let dn = delta / n;
        let dn2 = dn * dn;
        let term1 = delta * dn * n1;
        self.mean += dn;
        self.m4 += term1 * dn2 * (n * n - 3.0 * n + 3.0) + 6.0 * dn2 * self.m2 - 4.0 * dn * self.m3;
        self.m3 += term1 * dn * (n - 2.0) - 3.0 * dn * self.m2;
        self.m2 += term1;
    }

    /// Pébay's combination of two partial results.
    fn merge(a: Moments, b: Moments) -> Moments {
        if a.n == 0.0 {
            return b;
        }
        if b.n == 0.0 {
            return a;
        }
        let n = a.n + b.n;
        let d = b.mean - a.mean;
        let (d2, nab) = (d * d, a.n * b.n);
        Moments {
            n,
            mean: a.mean + d * b.n / n,
            m2: a.m2 + b.m2 + d2 * nab / n,
            m3: a.m3 + b.m3 + d2 * d * nab * (a.n - b.n) / (n * n) + 3.0 * d * (a.n * b.m2 - b.n * a.m2) / n,
            m4: a.m4
                + b.m4
                + d2 * d2 * nab * (a.n * a.n - nab + b.n * b.n) / (n * n * n)
                + 6.0 * d2 * (a.n * a.n * b.m2 + b.n * b.n * a.m2) / (n * n)
                + 4.0 * d * (a.n * b.m3 - b.n * a.m3) / n,
        }
    }
}

/// Writes count, mean, std, variance, min, max, rms, peak, peak-to-peak, crest factor, skewness,
/// kurtosis (non-excess), p50, p95, p99 to `out`. Population moments (divide by n).
pub fn stats(x: &[f64], scratch: &mut [f64], out: &mut [f64]) {
    let shift = x.first().copied().filter(|v| v.is_finite()).unwrap_or(0.0);
    let mut acc = [Moments::default(); 4];
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut nan = false;
    let mut chunks = x.chunks_exact(4);
    for c in &mut chunks {
        for (a, &raw) in acc.iter_mut().zip(c) {
            a.push(raw - shift);
            lo = lo.min(raw);
            hi = hi.max(raw);
            nan |= raw.is_nan();
        }
    }
    for (a, &raw) in acc.iter_mut().zip(chunks.remainder()) {
        a.push(raw - shift);
        lo = lo.min(raw);
        hi = hi.max(raw);
        nan |= raw.is_nan();
    }
    if nan {
        lo = f64::NAN;
        hi = f64::NAN;
    }
    let m = Moments::merge(Moments::merge(acc[0], acc[1]), Moments::merge(acc[2], acc[3]));
    let n = m.n;
    let var = m.m2 / n;
    let mean = m.mean + shift;
    let rms = (mean * mean + var).sqrt();
    let peak = lo.abs().max(hi.abs());
    out[0] = n;
    out[1] = mean;
    out[2] = var.sqrt();
    out[3] = var;
    out[4] = lo;
    out[5] = hi;
    out[6] = rms;
    out[7] = peak;
    out[8] = hi - lo;
    out[9] = peak / rms;
    out[10] = if m.m2 > 0.0 { n.sqrt() * m.m3 / m.m2.powf(1.5) } else { 0.0 };
    out[11] = if m.m2 > 0.0 { n * m.m4 / (m.m2 * m.m2) } else { 0.0 };
    let data = &mut scratch[..x.len()];
    data.copy_from_slice(x);
    let mut p = [0.0; 3];
    percentiles_desc(data, &[0.99, 0.95, 0.5], &mut p);
    out[12] = p[2];
    out[13] = p[1];
    out[14] = p[0];
}
