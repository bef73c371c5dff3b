//! Window statistics: one Welford/Terriberry pass over shifted data for mean and central moments
//! (stable under large offsets), extremes, RMS, crest factor, and exact percentiles by selection on a scratch copy.

use crate::select::percentile;

/// Number of values written by `stats`.
pub const FIELDS: usize = 15;

/// Writes count, mean, std, variance, min, max, rms, peak, peak-to-peak, crest factor, skewness,
/// kurtosis (non-excess), p50, p95, p99 to `out`. Population moments (divide by n).
pub fn stats(x: &[f64], scratch: &mut [f64], out: &mut [f64]) {
    let (mut n, mut mean, mut m2, mut m3, mut m4) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    // Shifted data: moments of x - x[0] keep full precision under large offsets (e.g. 1e9).
    let shift = x.first().copied().filter(|v| v.is_finite()).unwrap_or(0.0);
    for &raw in x {
        let v = raw - shift;
        let n1 = n;
        n += 1.0;
        let delta = v - mean;
        let dn = delta / n;
        let dn2 = dn * dn;
        let term1 = delta * dn * n1;
        mean += dn;
        m4 += term1 * dn2 * (n * n - 3.0 * n + 3.0) + 6.0 * dn2 * m2 - 4.0 * dn * m3;
        m3 += term1 * dn * (n - 2.0) - 3.0 * dn * m2;
        m2 += term1;
        lo = lo.min(raw);
        hi = hi.max(raw);
        if raw.is_nan() {
            lo = f64::NAN;
            hi = f64::NAN;
        }
    }
    let var = m2 / n;
    let mean = mean + shift;
    let rms = (mean * mean + var).sqrt();
    let peak = lo.abs().max(hi.abs());
    let data = &mut scratch[..x.len()];
    data.copy_from_slice(x);
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
    out[10] = if m2 > 0.0 { n.sqrt() * m3 / m2.powf(1.5) } else { 0.0 };
    out[11] = if m2 > 0.0 { n * m4 / (m2 * m2) } else { 0.0 };
    out[12] = percentile(data, 0.5);
    out[13] = percentile(data, 0.95);
    out[14] = percentile(data, 0.99);
}
