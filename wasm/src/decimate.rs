//! Anti-alias decimation: Kaiser-windowed-sinc low-pass (80 dB stop band from the new Nyquist,
//! pass band to 0.8 of it) evaluated polyphase-style (only kept outputs are computed).

use crate::cache::{grow, zeros};

/// Stop-band attenuation of the designed filter in dB.
pub const ATTEN_DB: f64 = 80.0;

fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-17 * sum {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        k += 1.0;
    }
    sum
}

/// Designs the low-pass for decimation by `factor` (odd length, unit DC gain).
pub fn design(factor: usize) -> Option<Vec<f64>> {
    let d = factor as f64;
    let width = 0.1 / d; // transition width in cycles/sample (0.8·fn' .. fn')
    let cutoff = 0.45 / d;
    let taps = (((ATTEN_DB - 7.95) / (14.36 * width)).ceil() as usize + 1) | 1;
    let beta = 0.1102 * (ATTEN_DB - 8.7);
    let mut h: Vec<f64> = zeros(taps)?;
    let mid = (taps - 1) as f64 / 2.0;
    let i0b = bessel_i0(beta);
    for (j, v) in h.iter_mut().enumerate() {
        let t = j as f64 - mid;
        let x = 2.0 * cutoff * t;
        let sinc = if t == 0.0 { 1.0 } else { (std::f64::consts::PI * x).sin() / (std::f64::consts::PI * x) };
        let r = t / mid;
        *v = 2.0 * cutoff * sinc * bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / i0b;
    }
    let s: f64 = h.iter().sum();
    h.iter_mut().for_each(|v| *v /= s);
    Some(h)
}

/// One-shot, zero-phase (delay-compensated) decimation; returns the output count ceil(n/factor).
pub fn decimate_once(x: &[f64], factor: usize, h: &[f64], out: &mut [f64]) -> usize {
    let n = x.len() as isize;
    let delay = (h.len() / 2) as isize;
    let count = (x.len() + factor - 1) / factor;
    for (k, o) in out[..count].iter_mut().enumerate() {
        let c = (k * factor) as isize + delay;
        let mut acc = 0.0;
        let j0 = (c - n + 1).max(0) as usize;
        let j1 = (c as usize).min(h.len() - 1);
        for j in j0..=j1 {
            acc += h[j] * x[(c - j as isize) as usize];
        }
        *o = acc;
    }
    count
}

/// Streaming causal decimator: keeps the last taps-1 samples between calls.
pub struct Decimator {
    pub factor: usize,
    pub h: Vec<f64>,
    hist: Vec<f64>,
    held: usize,
    phase: usize,
}

impl Decimator {
    pub fn new(factor: usize) -> Option<Decimator> {
        let h = design(factor)?;
        let hist = zeros(h.len() - 1)?;
        Some(Decimator { factor, held: h.len() - 1, h, hist, phase: 0 })
    }

    pub fn reset(&mut self) {
        self.hist.iter_mut().for_each(|v| *v = 0.0);
        self.held = self.h.len() - 1;
        self.phase = 0;
    }

    /// Filters `x`, writing every factor-th output to `out`; returns how many were written.
    /// The output lags the input by (taps-1)/2 samples. Returns None when memory runs out.
    pub fn process(&mut self, x: &[f64], out: &mut [f64]) -> Option<usize> {
        let t = self.h.len();
        if !grow(&mut self.hist, self.held + x.len()) {
            return None;
        }
        self.hist[self.held..self.held + x.len()].copy_from_slice(x);
        let total = self.held + x.len();
        let mut written = 0;
        let mut i = t - 1 + self.phase;
        while i < total {
            let mut acc = 0.0;
            for (j, &hj) in self.h.iter().enumerate() {
                acc += hj * self.hist[i - j];
            }
            out[written] = acc;
            written += 1;
            i += self.factor;
        }
        self.phase = i - total;
        self.hist.copy_within(total - (t - 1)..total, 0);
        self.held = t - 1;
        Some(written)
    }
}

/// Upper bound of outputs of `process` for a chunk of n samples.
pub fn max_out(n: usize, factor: usize) -> usize {
    n / factor + 1
}
