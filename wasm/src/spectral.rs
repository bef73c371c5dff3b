//! Spectral features on one-sided spectra: peaks with parabolic interpolation, band sums,
//! spectral shape (centroid, spread, skewness, kurtosis) and values near given frequencies.

/// How a value is turned into power: as is, amplitude (v²/2) or density (v·Δf).
pub fn power_of(v: f64, mode: u32, bin_hz: f64) -> f64 {
    match mode {
        1 => 0.5 * v * v,
        2 => v * bin_hz,
        _ => v,
    }
}

/// Parabolic interpolation around local maximum k on log values (falls back to linear values).
/// Returns (fractional bin, interpolated value).
pub fn interpolate(v: &[f64], k: usize) -> (f64, f64) {
    if k == 0 || k + 1 >= v.len() {
        return (k as f64, v[k]);
    }
    let (a, b, c) = (v[k - 1], v[k], v[k + 1]);
    let logs = a > 0.0 && b > 0.0 && c > 0.0;
    let (a, b, c) = if logs { (a.ln(), b.ln(), c.ln()) } else { (a, b, c) };
    let den = a - 2.0 * b + c;
    if den >= 0.0 || !den.is_finite() {
        return (k as f64, v[k]);
    }
    let d = (0.5 * (a - c) / den).clamp(-0.5, 0.5);
    let peak = b - 0.25 * (a - c) * d;
    (k as f64 + d, if logs { peak.exp() } else { peak })
}

fn is_peak(v: &[f64], k: usize) -> bool {
    let left = k == 0 || v[k] > v[k - 1];
    let right = k + 1 >= v.len() || v[k] >= v[k + 1];
    left && right && v[k].is_finite()
}

/// Top-`count` local maxima within bins [lo, hi], largest first. Writes (freq, value, bin) triples
/// to `out` and returns how many were found.
pub fn peaks(v: &[f64], bin_hz: f64, lo: usize, hi: usize, count: usize, out: &mut [f64]) -> usize {
    let mut found = 0;
    for k in lo..=hi.min(v.len() - 1) {
        if !is_peak(v, k) {
            continue;
        }
        let (pos, val) = interpolate(v, k);
        let mut i = found.min(count);
        if i == count && (count == 0 || out[3 * (count - 1) + 1] >= val) {
            continue;
        }
        if i == count {
            i -= 1;
        }
        while i > 0 && out[3 * (i - 1) + 1] < val {
            out.copy_within(3 * (i - 1)..3 * i, 3 * i);
            i -= 1;
        }
        out[3 * i] = pos * bin_hz;
        out[3 * i + 1] = val;
        out[3 * i + 2] = k as f64;
        found = (found + 1).min(count);
    }
    found
}

/// Sum of power in each band [lo_hz, hi_hz) given as pairs in `bands`.
pub fn band_sums(v: &[f64], bin_hz: f64, mode: u32, bands: &[f64], out: &mut [f64]) {
    for (b, o) in bands.chunks_exact(2).zip(out.iter_mut()) {
        let lo = (b[0] / bin_hz).ceil().max(0.0) as usize;
        let mut s = 0.0;
        let mut k = lo;
        while k < v.len() && (k as f64) * bin_hz < b[1] {
            s += power_of(v[k], mode, bin_hz);
            k += 1;
        }
        *o = s;
    }
}

/// Power-weighted centroid, spread, skewness and kurtosis of the frequency axis.
pub fn shape(v: &[f64], bin_hz: f64, mode: u32, out: &mut [f64]) {
    let (mut w, mut m1) = (0.0, 0.0);
    for (k, &x) in v.iter().enumerate() {
        let p = power_of(x, mode, bin_hz);
        w += p;
        m1 += p * k as f64 * bin_hz;
    }
    let mu = m1 / w;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for (k, &x) in v.iter().enumerate() {
        let p = power_of(x, mode, bin_hz) / w;
        let d = k as f64 * bin_hz - mu;
        m2 += p * d * d;
        m3 += p * d * d * d;
        m4 += p * d * d * d * d;
    }
    out[0] = mu;
    out[1] = m2.sqrt();
    out[2] = m3 / m2.powf(1.5);
    out[3] = m4 / (m2 * m2);
}

/// Largest value within ±tol of `f`: (interpolated freq, value, bin), NaN when no bin is in range.
pub fn value_near(v: &[f64], bin_hz: f64, f: f64, tol: f64) -> (f64, f64, f64) {
    let lo = ((f - tol) / bin_hz).ceil().max(0.0) as usize;
    let hi = (((f + tol) / bin_hz).floor().max(0.0) as usize).min(v.len() - 1);
    if lo > hi {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let mut best = lo;
    for k in lo..=hi {
        if v[k] > v[best] {
            best = k;
        }
    }
    let (pos, val) = if is_peak(v, best) { interpolate(v, best) } else { (best as f64, v[best]) };
    (pos * bin_hz, val, best as f64)
}
