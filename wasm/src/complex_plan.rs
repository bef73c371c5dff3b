//! A complex FFT plan of any size: power-of-two Stockham, mixed radix, or Bluestein.

use crate::bluestein::BluesteinPlan;
use crate::mixed_radix::{self, MixedPlan};
use crate::pow2_plan::Pow2Plan;

pub enum ComplexPlan {
    Pow2(Pow2Plan),
    Mixed(MixedPlan),
    Blue(BluesteinPlan),
}

impl ComplexPlan {
    /// Chooses the algorithm for size `n` (n >= 1). None when memory runs out.
    pub fn new(n: usize) -> Option<ComplexPlan> {
        if n >= 16 && n.is_power_of_two() {
            return Pow2Plan::new(n).map(ComplexPlan::Pow2);
        }
        if mixed_radix::factor(n).is_some() {
            return MixedPlan::new(n).map(ComplexPlan::Mixed);
        }
        BluesteinPlan::new(n).map(ComplexPlan::Blue)
    }

    #[cfg(target_feature = "simd128")]
    pub fn is_simd_pow2(&self) -> bool {
        matches!(self, ComplexPlan::Pow2(p) if crate::pow2_plan::simd_ok(p.m))
    }

    /// Forward transform of interleaved `inp` (2n floats) into block-4 `out` (`layout::floats(n)`).
    pub fn forward(&mut self, inp: &[f32], out: &mut [f32], simd: bool) {
        match self {
            ComplexPlan::Pow2(p) => p.forward(inp, out, simd),
            ComplexPlan::Mixed(p) => p.forward(inp, out),
            ComplexPlan::Blue(p) => p.forward(inp, out, simd),
        }
    }
}
