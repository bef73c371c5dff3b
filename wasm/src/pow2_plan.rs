//! Power-of-two complex FFT plan (m >= 16): Stockham autosort, radix-4 stages plus a final
//! twiddle-free radix-8 stage when log2(m) is odd. Input is interleaved complex, output is
//! block-4 (see `layout`) in natural order.

use crate::layout::floats;
use crate::radix4_scalar as sc;
use crate::twiddles::{self, Stage};

pub struct Pow2Plan {
    pub m: usize,
    stages: Vec<Stage>,
    tw: Vec<f32>,
    tmp: Vec<f32>,
}

/// True when the SIMD kernels apply (compiled in; m >= 16 so every stage has 4 lanes of work).
#[inline]
pub fn simd_ok(m: usize) -> bool {
    cfg!(target_feature = "simd128") && m >= 16
}

impl Pow2Plan {
    /// Plans a transform of size `m` (power of two, m >= 16). Allocates twiddles and scratch once.
    pub fn new(m: usize) -> Option<Pow2Plan> {
        let mut tw = Vec::new();
        tw.try_reserve(3 * m).ok()?; // the stage tables total about 2m floats
        let stages = twiddles::build(m, &mut tw);
        Some(Pow2Plan { m, stages, tw, tmp: crate::cache::zeros(floats(m))? })
    }

    /// Forward transform of `inp` (2m interleaved floats) into `out` (`layout::floats(m)`, block-4).
    pub fn forward(&mut self, inp: &[f32], out: &mut [f32], simd: bool) {
        let m = self.m;
        assert!(inp.len() >= 2 * m && out.len() >= floats(m));
        let k = self.stages.len();
        let simd = simd && simd_ok(m);
        for (i, stage) in self.stages.iter().enumerate() {
            let to_out = (k - 1 - i) % 2 == 0;
            let tmp = &mut self.tmp[..floats(m)];
            if i == 0 {
                let y = if to_out { &mut *out } else { tmp };
                if let Stage::Radix4 { nc, tw: off, .. } = *stage {
                    first(nc, inp, y, &self.tw, off, simd);
                }
                continue;
            }
            let (x, y) = if to_out { (&*tmp, &mut *out) } else { (&*out, tmp) };
            run(*stage, x, y, &self.tw, simd);
        }
    }
}

fn first(nc: usize, inp: &[f32], y: &mut [f32], tw: &[f32], off: usize, simd: bool) {
    let blocked = nc / 4 % 4 == 0;
    #[cfg(target_feature = "simd128")]
    if simd && blocked {
        // Safety: lengths asserted by the caller (inp and y 2·nc floats, blocked table present).
        unsafe { crate::radix4_simd::radix4_first(nc, inp.as_ptr(), y.as_mut_ptr(), tw[off..].as_ptr()) };
        return;
    }
    let _ = simd;
    sc::radix4_first(nc, inp, y, tw, off, blocked);
}

fn run(stage: Stage, x: &[f32], y: &mut [f32], tw: &[f32], simd: bool) {
    match stage {
        Stage::Radix4 { nc, s, tw: off, pad } => {
            #[cfg(target_feature = "simd128")]
            if simd {
                // Safety: x and y hold 2·m = 2·nc·s floats (+ 32 row pads); the table holds 6 floats
                // per p; s >= 4.
                unsafe {
                    use crate::radix4_simd as sd;
                    if pad {
                        sd::radix4_padded(nc, s, x.as_ptr(), y.as_mut_ptr(), tw[off..].as_ptr());
                    } else if nc == 4 {
                        sd::radix4_last(s, x.as_ptr(), y.as_mut_ptr());
                    } else {
                        sd::radix4(nc, s, x.as_ptr(), y.as_mut_ptr(), tw[off..].as_ptr());
                    }
                }
                return;
            }
            let _ = (simd, pad);
            sc::radix4(nc, s, x, y, tw, off, false);
        }
        Stage::Radix8 { s, pad } => {
            #[cfg(target_feature = "simd128")]
            if simd {
                // Safety: x and y hold 16·s floats (+ 32 row pads); s = m/8 >= 4.
                unsafe { crate::radix4_simd::radix8_last(s, pad, x.as_ptr(), y.as_mut_ptr()) };
                return;
            }
            let _ = pad;
            sc::radix8_last(s, x, y);
        }
    }
}
