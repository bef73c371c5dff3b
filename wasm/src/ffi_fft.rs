//! FFI: FFT entry points (real forward/inverse, complex) and the SIMD switch.

use crate::cache::{complex_plan, real_plan, state};
use crate::codes::*;
use crate::ffi_mem::f32s;
use crate::layout::{im, re};
use crate::real_plan::bins;

/// Largest supported transform length.
pub const MAX_N: usize = 1 << 24;

/// 1 when this module was compiled with SIMD128.
#[no_mangle]
pub extern "C" fn simd_compiled() -> i32 {
    cfg!(target_feature = "simd128") as i32
}

/// Enables (1) or disables (0) the SIMD kernels; returns the resulting setting.
#[no_mangle]
pub extern "C" fn set_simd(on: i32) -> i32 {
    let st = state();
    st.simd = on != 0 && cfg!(target_feature = "simd128");
    st.simd as i32
}

/// Real forward FFT of n floats at `inp` into 2·(n/2+1) floats at `out`.
#[no_mangle]
pub extern "C" fn rfft_forward(n: usize, inp: usize, out: usize) -> i32 {
    if !(2..=MAX_N).contains(&n) {
        return BAD_LENGTH;
    }
    let (x, y) = match (f32s(inp, n), f32s(out, 2 * bins(n))) {
        (Some(x), Some(y)) => (x, y),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let i = or_return!(real_plan(&mut st.real, n), OUT_OF_MEMORY);
    st.real[i].forward(x, y, st.simd);
    0
}

/// Real inverse FFT (normalised) of 2·(n/2+1) floats at `inp` into n floats at `out`.
#[no_mangle]
pub extern "C" fn rfft_inverse(n: usize, inp: usize, out: usize) -> i32 {
    if !(2..=MAX_N).contains(&n) {
        return BAD_LENGTH;
    }
    let (x, y) = match (f32s(inp, 2 * bins(n)), f32s(out, n)) {
        (Some(x), Some(y)) => (x, y),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let i = or_return!(real_plan(&mut st.real, n), OUT_OF_MEMORY);
    st.real[i].inverse(x, y, st.simd);
    0
}

/// Complex FFT of n interleaved values at `inp` into `out`; `inverse` != 0 gives the normalised inverse.
#[no_mangle]
pub extern "C" fn cfft(n: usize, inp: usize, out: usize, inverse: i32) -> i32 {
    if !(1..=MAX_N).contains(&n) {
        return BAD_LENGTH;
    }
    let (x, y) = match (f32s(inp, 2 * n), f32s(out, 2 * n)) {
        (Some(x), Some(y)) => (x, y),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let i = or_return!(complex_plan(&mut st.cplx, n), OUT_OF_MEMORY);
    let e = &mut st.cplx[i];
    let (sign, scale) = if inverse != 0 { (-1.0f32, 1.0 / n as f32) } else { (1.0, 1.0) };
    for j in 0..n {
        e.buf[2 * j] = x[2 * j];
        e.buf[2 * j + 1] = sign * x[2 * j + 1];
    }
    e.plan.forward(&e.buf, &mut e.z, st.simd);
    for j in 0..n {
        y[2 * j] = e.z[re(j)] * scale;
        y[2 * j + 1] = sign * e.z[im(j)] * scale;
    }
    0
}
