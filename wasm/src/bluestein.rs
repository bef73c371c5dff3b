//! Bluestein (chirp-z) FFT for sizes with a large prime factor, on top of a power-of-two plan.
//! Chirps are computed in f64 with k² reduced modulo 2n to keep the phase exact.

use crate::cache::zeros;
use crate::layout::{floats, im, re};
use crate::pow2_plan::Pow2Plan;
use std::f64::consts::PI;

pub struct BluesteinPlan {
    pub n: usize,
    inner: Pow2Plan,
    wr: Vec<f32>,
    wi: Vec<f32>,
    b: Vec<f32>,
    buf: Vec<f32>,
    a: Vec<f32>,
}

fn chirp(k: usize, n: usize) -> (f64, f64) {
    let k2 = ((k as u64) * (k as u64)) % (2 * n as u64);
    let a = -PI * (k2 as f64) / (n as f64);
    (a.cos(), a.sin())
}

impl BluesteinPlan {
    pub fn new(n: usize) -> Option<BluesteinPlan> {
        let mm = (2 * n - 1).next_power_of_two().max(16);
        let mut inner = Pow2Plan::new(mm)?;
        let (mut wr, mut wi) = (zeros(n)?, zeros(n)?);
        let mut buf = zeros(2 * mm)?;
        for k in 0..n {
            let (c, d) = chirp(k, n);
            wr[k] = c as f32;
            wi[k] = d as f32;
            // b[k] = conj(w[k]) / mm, mirrored at mm - k.
            let (bc, bd) = ((c / mm as f64) as f32, (-d / mm as f64) as f32);
            buf[2 * k] = bc;
            buf[2 * k + 1] = bd;
            if k > 0 {
                buf[2 * (mm - k)] = bc;
                buf[2 * (mm - k) + 1] = bd;
            }
        }
        let mut b = zeros(floats(mm))?;
        inner.forward(&buf, &mut b, false);
        Some(BluesteinPlan { n, inner, wr, wi, b, buf, a: zeros(floats(mm))? })
    }

    /// Forward transform: interleaved input (2n floats) to block-4 output (`layout::floats(n)`).
    pub fn forward(&mut self, inp: &[f32], out: &mut [f32], simd: bool) {
        let (n, mm) = (self.n, self.inner.m);
        for k in 0..n {
            let (xr, xi, c, d) = (inp[2 * k], inp[2 * k + 1], self.wr[k], self.wi[k]);
            self.buf[2 * k] = xr * c - xi * d;
            self.buf[2 * k + 1] = xr * d + xi * c;
        }
        for v in &mut self.buf[2 * n..2 * mm] {
            *v = 0.0;
        }
        self.inner.forward(&self.buf, &mut self.a, simd);
        for k in 0..mm {
            let (ar, ai, br, bi) = (self.a[re(k)], self.a[im(k)], self.b[re(k)], self.b[im(k)]);
            self.buf[2 * k] = ar * br - ai * bi;
            self.buf[2 * k + 1] = -(ar * bi + ai * br);
        }
        self.inner.forward(&self.buf, &mut self.a, simd);
        for k in 0..n {
            let (cr, ci, c, d) = (self.a[re(k)], -self.a[im(k)], self.wr[k], self.wi[k]);
            out[re(k)] = cr * c - ci * d;
            out[im(k)] = cr * d + ci * c;
        }
    }
}
