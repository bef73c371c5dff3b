//! Periodic (DFT-even) cosine-sum analysis windows and their gains.

/// Window kinds as passed through the FFI.
pub const RECT: u32 = 0;
pub const HANN: u32 = 1;
pub const HAMMING: u32 = 2;
pub const BLACKMAN_HARRIS: u32 = 3;
pub const FLATTOP: u32 = 4;

/// Cosine-sum coefficients a_k of w[j] = Σ (-1)^k a_k cos(2πkj/n).
pub fn coeffs(kind: u32) -> Option<&'static [f64]> {
    Some(match kind {
        RECT => &[1.0],
        HANN => &[0.5, 0.5],
        HAMMING => &[0.54, 0.46],
        BLACKMAN_HARRIS => &[0.35875, 0.48829, 0.14128, 0.01168],
        FLATTOP => &[0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368],
        _ => return None,
    })
}

/// Fills `w` with the window and returns (Σw, Σw²). None for an unknown kind.
pub fn fill(kind: u32, w: &mut [f32]) -> Option<(f64, f64)> {
    let a = coeffs(kind)?;
    let n = w.len() as f64;
    let (mut sum, mut sumsq) = (0.0, 0.0);
    for (j, v) in w.iter_mut().enumerate() {
        let mut acc = 0.0f64;
        for (k, c) in a.iter().enumerate() {
            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
            acc += sign * c * (2.0 * std::f64::consts::PI * (k * j) as f64 / n).cos();
        }
        *v = acc as f32;
        sum += acc;
        sumsq += acc * acc;
    }
    Some((sum, sumsq))
}
