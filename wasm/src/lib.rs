//! Signal-processing core of the gateway, compiled to wasm32 (SIMD128 and scalar builds).
//!
//! The FFT lives in `fft_*` modules: the SIMD kernels (`radix4_simd`) sit beside their scalar
//! twin (`radix4_scalar`) and are selected at run time (`set_simd`) when compiled with simd128.
//! Everything reachable from JavaScript goes through the `ffi_*` modules, which validate
//! arguments and return negative error codes instead of panicking.

/// Unwraps an Option or returns the given FFI error code.
macro_rules! or_return {
    ($e:expr, $code:expr) => {
        match $e {
            Some(v) => v,
            None => return $code,
        }
    };
}

mod bluestein;
mod cache;
mod complex_plan;
mod decimate;
mod envelope;
mod ew;
mod ffi_features;
mod ffi_fft;
mod ffi_mem;
mod ffi_stats;
mod layout;
mod mixed_radix;
mod pow2_plan;
mod radix4_scalar;
#[cfg(target_feature = "simd128")]
mod radix4_simd;
mod real_pass;
mod real_plan;
mod select;
mod spectral;
mod spectrum;
mod stats;
mod twiddles;
mod windows;

/// Error codes returned through the FFI (0 = success, negative = error).
pub mod codes {
    pub const BAD_LENGTH: i32 = -1;
    pub const BAD_ARGUMENT: i32 = -2;
    pub const OUT_OF_MEMORY: i32 = -3;
    pub const BAD_HANDLE: i32 = -4;
}
