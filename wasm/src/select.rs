//! Exact order statistics by selection (O(n) average) on a scratch copy.

/// Linear-interpolated percentile (numpy "linear") of `data`, reordering it. `q` in [0, 1].
pub fn percentile(data: &mut [f64], q: f64) -> f64 {
    let n = data.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = q * (n - 1) as f64;
    let lo = (h.floor() as usize).min(n - 1);
    let frac = h - lo as f64;
    let (_, v, rest) = data.select_nth_unstable_by(lo, |a, b| a.total_cmp(b));
    let a = *v;
    if frac == 0.0 || rest.is_empty() {
        return a;
    }
    let b = rest.iter().copied().fold(f64::INFINITY, |m, x| if x.total_cmp(&m).is_lt() { x } else { m });
    a + frac * (b - a)
}

/// Median of `data` (reorders it).
pub fn median(data: &mut [f64]) -> f64 {
    percentile(data, 0.5)
}
