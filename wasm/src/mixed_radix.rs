//! Mixed-radix Stockham FFT (scalar, split arrays internally) for sizes whose prime factors are all <= 31 (2, 3, 5, ...).
//! Generic radix-r butterflies use a precomputed r-th root table; twiddles are computed in f64.

use crate::cache::zeros;
use crate::layout::{im, re};
use crate::twiddles::root;

/// Largest prime factor handled by the generic butterfly; bigger ones go to Bluestein.
pub const MAX_RADIX: usize = 31;

struct MStage {
    r: usize,
    nc: usize,
    s: usize,
    tw: usize,
    roots: usize,
}

pub struct MixedPlan {
    pub n: usize,
    stages: Vec<MStage>,
    tw: Vec<f32>,
    ar: Vec<f32>,
    ai: Vec<f32>,
    br: Vec<f32>,
    bi: Vec<f32>,
    acc: Vec<f32>,
}

/// Factors n into radices (4 first, then primes); None if a prime factor exceeds MAX_RADIX.
pub fn factor(mut n: usize) -> Option<Vec<usize>> {
    let mut f = Vec::new();
    while n % 4 == 0 {
        f.push(4);
        n /= 4;
    }
    let mut p = 2;
    while n > 1 {
        if p > MAX_RADIX {
            return None;
        }
        while n % p == 0 {
            f.push(p);
            n /= p;
        }
        p += 1;
    }
    Some(f)
}

impl MixedPlan {
    pub fn new(n: usize) -> Option<MixedPlan> {
        let factors = factor(n)?;
        let mut tw: Vec<f32> = Vec::new();
        let mut stages = Vec::new();
        let (mut nc, mut s) = (n, 1);
        for &r in &factors {
            let q = nc / r;
            let roots = tw.len();
            for j in 0..r {
                let (c, d) = root(j, r);
                tw.push(c as f32);
                tw.push(d as f32);
            }
            let off = tw.len();
            for p in 0..q {
                for k in 0..r {
                    let (c, d) = root((p * k) % nc, nc);
                    tw.push(c as f32);
                    tw.push(d as f32);
                }
            }
            stages.push(MStage { r, nc, s, tw: off, roots });
            nc = q;
            s *= r;
        }
        let acc = zeros(2 * MAX_RADIX + 2)?;
        Some(MixedPlan { n, stages, tw, ar: zeros(n)?, ai: zeros(n)?, br: zeros(n)?, bi: zeros(n)?, acc })
    }

    /// Forward transform: interleaved input (2n floats) to block-4 output (`layout::floats(n)`).
    pub fn forward(&mut self, inp: &[f32], out: &mut [f32]) {
        let n = self.n;
        let (ar, ai) = (&mut self.ar[..], &mut self.ai[..]);
        for j in 0..n {
            ar[j] = inp[2 * j];
            ai[j] = inp[2 * j + 1];
        }
        let mut in_a = true;
        for st in &self.stages {
            if in_a {
                stage(st, &self.ar, &self.ai, &mut self.br, &mut self.bi, &self.tw, &mut self.acc);
            } else {
                stage(st, &self.br, &self.bi, &mut self.ar, &mut self.ai, &self.tw, &mut self.acc);
            }
            in_a = !in_a;
        }
        let (xr, xi) = if in_a { (&self.ar, &self.ai) } else { (&self.br, &self.bi) };
        for j in 0..n {
            out[re(j)] = xr[j];
            out[im(j)] = xi[j];
        }
    }
}

fn stage(st: &MStage, xr: &[f32], xi: &[f32], yr: &mut [f32], yi: &mut [f32], tw: &[f32], acc: &mut [f32]) {
    let (r, s) = (st.r, st.s);
    let q = st.nc / r;
    let roots = &tw[st.roots..st.roots + 2 * r];
    for p in 0..q {
        let w = &tw[st.tw + 2 * r * p..st.tw + 2 * r * (p + 1)];
        for qq in 0..s {
            for j in 0..r {
                acc[2 * j] = xr[qq + s * (p + j * q)];
                acc[2 * j + 1] = xi[qq + s * (p + j * q)];
            }
            for kk in 0..r {
                let (mut sr, mut si) = (0.0f32, 0.0f32);
                for j in 0..r {
                    let e = (j * kk) % r;
                    let (c, d) = (roots[2 * e], roots[2 * e + 1]);
                    let (ar, ai) = (acc[2 * j], acc[2 * j + 1]);
                    sr += ar * c - ai * d;
                    si += ar * d + ai * c;
                }
                let (c, d) = (w[2 * kk], w[2 * kk + 1]);
                let o = qq + s * (r * p + kk);
                yr[o] = sr * c - si * d;
                yi[o] = sr * d + si * c;
            }
        }
    }
}
