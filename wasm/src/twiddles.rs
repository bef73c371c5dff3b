//! Twiddle tables for the power-of-two Stockham FFT, laid out for 4-lane SIMD loads.

use std::f64::consts::PI;

/// One stage of the Stockham radix-4/radix-2 decomposition.
#[derive(Clone, Copy, Debug)]
pub enum Stage {
    /// Radix-4 stage on sub-transforms of length `nc` with stride `s`; twiddles at `tw`. With `pad`
    /// (SIMD path only) its output rows of `s` complex numbers are separated by one cache line.
    Radix4 { nc: usize, s: usize, tw: usize, pad: bool },
    /// Final radix-8 stage (twiddle-free, sub-transform length 8) with stride `s` = m / 8; `pad`:
    /// its input comes from a padded radix-4 stage (SIMD path only).
    Radix8 { s: usize, pad: bool },
}

/// Complex sizes from which the rows feeding the final radix-8 stage are padded.
pub const PAD_FROM: usize = 2048;

/// exp(-2πi k / n) as (re, im), computed in f64.
pub fn root(k: usize, n: usize) -> (f64, f64) {
    let a = -2.0 * PI * (k as f64) / (n as f64);
    (a.cos(), a.sin())
}

/// Stages: radix-4 while the remaining length is a power of 4, a final radix-8 otherwise
/// (m >= 16, so the first stage is always radix-4).
///
/// Builds the stage list and the twiddle table for a complex transform of size `m` (power of two).
///
/// Stage 1 (stride 1) stores its twiddles in blocks of four consecutive `p`:
/// `[w1re×4, w1im×4, w2re×4, w2im×4, w3re×4, w3im×4]`. Later stages store six scalars per `p`
/// (`w1re, w1im, w2re, w2im, w3re, w3im`) that the kernels broadcast.
pub fn build(m: usize, tw: &mut Vec<f32>) -> Vec<Stage> {
    // For large m the radix-8 stage's 8 input streams lie m bytes apart and would share one L1
    // set; padding the rows written by the stage before it spreads them over different sets.
    let pad = m >= PAD_FROM;
    let mut stages = Vec::new();
    let mut nc = m;
    let mut s = 1;
    let odd = m.trailing_zeros() % 2 == 1;
    while nc >= 4 && !(odd && nc == 8) {
        let q4 = nc / 4;
        let off = tw.len();
        if s == 1 && q4 % 4 == 0 {
            for p0 in (0..q4).step_by(4) {
                for k in 1..4 {
                    for p in p0..p0 + 4 {
                        tw.push(root(k * p, nc).0 as f32);
                    }
                    for p in p0..p0 + 4 {
                        tw.push(root(k * p, nc).1 as f32);
                    }
                }
            }
        } else {
            for p in 0..q4 {
                for k in 1..4 {
                    let (c, d) = root(k * p, nc);
                    tw.push(c as f32);
                    tw.push(d as f32);
                }
            }
        }
        stages.push(Stage::Radix4 { nc, s, tw: off, pad: pad && odd && nc == 32 && s > 1 });
        nc /= 4;
        s *= 4;
    }
    if nc == 8 {
        stages.push(Stage::Radix8 { s, pad });
    }
    stages
}

/// Reads the scalar twiddles of stage `stage_first` layout or per-`p` layout.
#[inline(always)]
pub fn get(tw: &[f32], off: usize, blocked: bool, p: usize, k: usize) -> (f32, f32) {
    if blocked {
        let b = off + (p / 4) * 24 + (k - 1) * 8 + (p % 4);
        (tw[b], tw[b + 4])
    } else {
        let b = off + p * 6 + (k - 1) * 2;
        (tw[b], tw[b + 1])
    }
}
