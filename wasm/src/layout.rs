//! The "block-4" layout of complex arrays inside the FFT: each group of four complex numbers is
//! stored as [re×4, im×4], so one SIMD load fetches four real parts (or four imaginary parts) and
//! the real and imaginary halves share a cache line (no power-of-two aliasing between them).

/// Float index of the real part of complex number j.
#[inline(always)]
pub fn re(j: usize) -> usize {
    2 * (j & !3) + (j & 3)
}

/// Float index of the imaginary part of complex number j.
#[inline(always)]
pub fn im(j: usize) -> usize {
    re(j) + 4
}

/// Floats needed to hold n complex numbers in block-4 layout.
pub fn floats(n: usize) -> usize {
    2 * ((n + 3) & !3) + ROW_PAD * 32
}

/// Padding floats (one cache line) after each of the 32 rows a padded radix-4 stage writes.
pub const ROW_PAD: usize = 16;
