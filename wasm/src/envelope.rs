//! Envelope analysis helpers: band-limited analytic signal (Hilbert via FFT) and bearing defect
//! frequencies from geometry.

use crate::layout::{im, re};

/// Writes conj(H) interleaved into `buf` (2n floats), where H is the analytic spectrum of the real
/// spectrum `spec` (bins 0..=n/2) restricted to bins [lo, hi]: H[k] = 2·X[k] inside, 0 elsewhere.
/// A forward FFT of `buf` then yields n·conj(z), whose magnitude is n·|z|.
pub fn analytic_conj(spec: &[f32], n: usize, lo: usize, hi: usize, buf: &mut [f32]) {
    buf[..2 * n].iter_mut().for_each(|v| *v = 0.0);
    let nyq = n / 2;
    for k in lo.max(1)..=hi.min(nyq) {
        let g = if n % 2 == 0 && k == nyq { 1.0 } else { 2.0 };
        buf[2 * k] = g * spec[2 * k];
        buf[2 * k + 1] = -g * spec[2 * k + 1];
    }
}

/// |z|/n for a block-4 complex array, written to `out`.
pub fn magnitude(z: &[f32], n: usize, out: &mut [f32]) {
    let s = 1.0 / n as f32;
    for j in 0..n {
        let (r, i) = (z[re(j)], z[im(j)]);
        out[j] = (r * r + i * i).sqrt() * s;
    }
}

/// Bearing defect frequencies [FTF, BPFO, BPFI, BSF] in Hz for shaft frequency `fr` (Hz).
/// `angle` is the contact angle in radians.
pub fn bearing(balls: f64, ball_d: f64, pitch_d: f64, angle: f64, fr: f64, out: &mut [f64]) {
    let r = ball_d / pitch_d * angle.cos();
    out[0] = 0.5 * fr * (1.0 - r);
    out[1] = 0.5 * balls * fr * (1.0 - r);
    out[2] = 0.5 * balls * fr * (1.0 + r);
    out[3] = pitch_d / (2.0 * ball_d) * fr * (1.0 - r * r);
}
