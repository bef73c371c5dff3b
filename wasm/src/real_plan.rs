//! Real-input FFT of any length n >= 2. Even n: an n/2-point complex FFT of the even/odd-packed
//! samples plus a post-pass (SIMD for powers of two). Odd n: a full complex FFT of the samples.
//! Output: bins 0..=n/2, interleaved (re, im), i.e. 2·(n/2 + 1) floats.

use crate::cache::zeros;
use crate::complex_plan::ComplexPlan;
use crate::layout::{floats, im, re};
use crate::real_pass;
use crate::twiddles::root;

pub struct RealPlan {
    pub n: usize,
    cplan: ComplexPlan,
    hr: Vec<f32>,
    hi: Vec<f32>,
    z: Vec<f32>,
    buf: Vec<f32>,
}

/// Number of output bins of a real transform of length n.
pub fn bins(n: usize) -> usize {
    n / 2 + 1
}

impl RealPlan {
    pub fn new(n: usize) -> Option<RealPlan> {
        let even = n % 2 == 0;
        let m = if even { n / 2 } else { n };
        let h = if even { m } else { 0 };
        let (mut hr, mut hi) = (zeros(h)?, zeros(h)?);
        for k in 0..h {
            let (c, d) = root(k, n);
            hr[k] = (0.5 * c) as f32;
            hi[k] = (0.5 * d) as f32;
        }
        let cplan = ComplexPlan::new(m)?;
        Some(RealPlan { n, cplan, hr, hi, z: zeros(floats(m))?, buf: zeros(2 * m)? })
    }

    /// Forward transform of `x` (n floats) into `out` (2·(n/2+1) floats).
    pub fn forward(&mut self, x: &[f32], out: &mut [f32], simd: bool) {
        let n = self.n;
        assert!(x.len() >= n && out.len() >= 2 * bins(n));
        if n % 2 == 1 {
            for j in 0..n {
                self.buf[2 * j] = x[j];
                self.buf[2 * j + 1] = 0.0;
            }
            self.cplan.forward(&self.buf, &mut self.z, simd);
            for k in 0..bins(n) {
                out[2 * k] = self.z[re(k)];
                out[2 * k + 1] = self.z[im(k)];
            }
            return;
        }
        let m = n / 2;
        self.cplan.forward(&x[..n], &mut self.z, simd);
        let (z, hr, hi) = (&self.z[..], &self.hr[..], &self.hi[..]);
        #[cfg(target_feature = "simd128")]
        if simd && self.cplan.is_simd_pow2() {
            real_pass::post_edges(m, z, out);
            real_pass::post_range(m, m / 2 - 3..m / 2 + 1, z, hr, hi, out);
            // Safety: z holds 2m floats, hr/hi m floats and out 2m + 2 floats (asserted above).
            unsafe { crate::radix4_simd::real_post(m, z.as_ptr(), hr.as_ptr(), hi.as_ptr(), out.as_mut_ptr()) };
            return;
        }
        real_pass::real_post(m, z, hr, hi, out);
    }

    /// Inverse transform of `spec` (2·(n/2+1) floats) into `x` (n floats), normalised by 1/n.
    pub fn inverse(&mut self, spec: &[f32], x: &mut [f32], simd: bool) {
        let n = self.n;
        assert!(x.len() >= n && spec.len() >= 2 * bins(n));
        if n % 2 == 1 {
            let h = n / 2;
            for k in 0..n {
                let (r, i) = if k <= h { (spec[2 * k], spec[2 * k + 1]) } else { (spec[2 * (n - k)], -spec[2 * (n - k) + 1]) };
                self.buf[2 * k] = r;
                self.buf[2 * k + 1] = -i;
            }
            self.cplan.forward(&self.buf, &mut self.z, simd);
            let s = 1.0 / n as f32;
            for j in 0..n {
                x[j] = self.z[re(j)] * s;
            }
            return;
        }
        let m = n / 2;
        real_pass::pre_conj(m, spec, &self.hr, &self.hi, &mut self.buf);
        self.cplan.forward(&self.buf, &mut self.z, simd);
        let s = 1.0 / m as f32;
        for j in 0..m {
            x[2 * j] = self.z[re(j)] * s;
            x[2 * j + 1] = -self.z[im(j)] * s;
        }
    }
}
