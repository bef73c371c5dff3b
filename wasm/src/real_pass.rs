//! Real-FFT post-pass (scalar twin of `radix4_simd::real_post`): turns the m-point complex FFT Z
//! (block-4) of the even/odd-packed input into bins 0..=m of the 2m-point real FFT (interleaved),
//! computing X[k] and X[m-k] together from shared products. `hr`/`hi` hold 0.5·exp(-2πik/2m).

use crate::layout::{im, re};

/// Bins k and m-k from Z[k] = (ar, ai) and Z[m-k] = (br, bi); returns (X[k], X[m-k]).
#[inline(always)]
pub fn pair(ar: f32, ai: f32, br: f32, bi: f32, hr: f32, hi: f32) -> ((f32, f32), (f32, f32)) {
    let (sr, dr, si, di) = (ar + br, ar - br, ai + bi, ai - bi);
    let (a, b, c) = (0.5 * sr, hr * si, hi * dr);
    let (e, f, g) = (0.5 * di, hr * dr, hi * si);
    let (bc, gf) = (b + c, g - f);
    ((a + bc, gf + e), (a - bc, gf - e))
}

/// Writes bins k and m-k for k in `ks` (k <= m/2) to `out`.
pub fn post_range(m: usize, ks: core::ops::Range<usize>, z: &[f32], hr: &[f32], hi: &[f32], out: &mut [f32]) {
    for k in ks {
        let (x, xm) = pair(z[re(k)], z[im(k)], z[re(m - k)], z[im(m - k)], hr[k], hi[k]);
        if k != m - k {
            out[2 * (m - k)] = xm.0;
            out[2 * (m - k) + 1] = xm.1;
        }
        out[2 * k] = x.0;
        out[2 * k + 1] = x.1;
    }
}

/// DC and Nyquist bins (purely real).
pub fn post_edges(m: usize, z: &[f32], out: &mut [f32]) {
    out[0] = z[re(0)] + z[im(0)];
    out[1] = 0.0;
    out[2 * m] = z[re(0)] - z[im(0)];
    out[2 * m + 1] = 0.0;
}

/// Complete scalar post-pass.
pub fn real_post(m: usize, z: &[f32], hr: &[f32], hi: &[f32], out: &mut [f32]) {
    post_edges(m, z, out);
    post_range(m, 1..m / 2 + 1, z, hr, hi, out);
}

/// Inverse pre-pass: from bins 0..=m (interleaved) builds conj(Z) interleaved in `buf` (2m floats),
/// so that a forward complex FFT of `buf` gives m·conj(z).
pub fn pre_conj(m: usize, spec: &[f32], hr: &[f32], hi: &[f32], buf: &mut [f32]) {
    for k in 0..m {
        let (xr, xi) = (spec[2 * k], spec[2 * k + 1]);
        let (cr, ci) = (spec[2 * (m - k)], -spec[2 * (m - k) + 1]);
        let (sr, si, tr, ti) = (xr + cr, xi + ci, xr - cr, xi - ci);
        let (h, g) = (hr[k], hi[k]);
        buf[2 * k] = 0.5 * sr - (h * ti - g * tr);
        buf[2 * k + 1] = -(0.5 * si + h * tr + g * ti);
    }
}
