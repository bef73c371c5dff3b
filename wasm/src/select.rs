//! Exact order statistics by selection (O(n) average) on a scratch copy.

fn min_of(s: &[f64]) -> f64 {
    s.iter().copied().fold(f64::INFINITY, |m, x| if x.total_cmp(&m).is_lt() { x } else { m })
}

/// Linear-interpolated percentile (numpy "linear") of `data`, reordering it. `q` in [0, 1].
pub fn percentile(data: &mut [f64], q: f64) -> f64 {
    let mut out = [0.0];
    percentiles_desc(data, &[q], &mut out);
    out[0]
}

/// Several percentiles, `qs` in descending order: each selection runs on the part left of the
/// previous one, so three percentiles cost little more than one.
pub fn percentiles_desc(data: &mut [f64], qs: &[f64], out: &mut [f64]) {
    let n = data.len();
    if n == 0 {
        out.iter_mut().for_each(|o| *o = f64::NAN);
        return;
    }
    // After each selection, data[..end] <= data[end] <= data[end + 1..].
    let mut end = n;
    let mut prev: Option<(usize, f64, f64)> = None;
    for (&q, o) in qs.iter().zip(out.iter_mut()) {
        let h = q * (n - 1) as f64;
        let lo = (h.floor() as usize).min(n - 1);
        let frac = h - lo as f64;
        let (a, next) = match prev {
            Some((pl, pa, pn)) if pl == lo => (pa, pn),
            _ => {
                let lo = lo.min(end - 1);
                let a = *data[..end].select_nth_unstable_by(lo, |a, b| a.total_cmp(b)).1;
                // The rank lo+1 element: the minimum right of lo within the range, or data[end].
                let right = if lo + 1 < end { min_of(&data[lo + 1..end]) } else { f64::INFINITY };
                let next = if end < n && data[end].total_cmp(&right).is_lt() { data[end] } else { right };
                (a, if lo + 1 < n { next } else { a })
            }
        };
        *o = if frac == 0.0 { a } else { a + frac * (next - a) };
        prev = Some((lo, a, next));
        end = lo.max(1);
    }
}

/// Median of `data` (reorders it).
pub fn median(data: &mut [f64]) -> f64 {
    percentile(data, 0.5)
}
