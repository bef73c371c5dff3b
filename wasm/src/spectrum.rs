//! Windowed one-sided spectra with gain correction (amplitude, power, energy, PSD) and Welch averaging.

use crate::real_plan::{bins, RealPlan};

pub const AMPLITUDE: u32 = 0;
pub const POWER: u32 = 1;
pub const ENERGY: u32 = 2;
pub const PSD: u32 = 3;

/// Windows `x` (optionally removing its mean) into `buf`, transforms it into `spec` and adds
/// |X[k]|² to `acc[k]`.
#[allow(clippy::too_many_arguments)]
pub fn accumulate(plan: &mut RealPlan, w: &[f32], x: &[f32], detrend: bool, buf: &mut [f32], spec: &mut [f32], acc: &mut [f64], simd: bool) {
    let n = plan.n;
    let mean = if detrend { x[..n].iter().map(|&v| v as f64).sum::<f64>() / n as f64 } else { 0.0 } as f32;
    for j in 0..n {
        buf[j] = (x[j] - mean) * w[j];
    }
    plan.forward(&buf[..n], spec, simd);
    for k in 0..bins(n) {
        let (re, im) = (spec[2 * k] as f64, spec[2 * k + 1] as f64);
        acc[k] += re * re + im * im;
    }
}

/// Turns accumulated |X|² (averaged over `segments`) into the requested one-sided scaling.
pub fn scale(acc: &[f64], n: usize, segments: usize, sum: f64, sumsq: f64, fs: f64, scaling: u32, out: &mut [f64]) {
    let nb = bins(n);
    for k in 0..nb {
        let edge = k == 0 || (n % 2 == 0 && k == n / 2);
        let f = if edge { 1.0 } else { 2.0 };
        let p = acc[k] / segments as f64;
        out[k] = match scaling {
            AMPLITUDE => p.sqrt() * f / sum,
            POWER => p * f / (sum * sum),
            ENERGY => p * f / (n as f64 * sumsq),
            PSD => p * f / (fs * sumsq),
            _ => f64::NAN,
        };
    }
}
