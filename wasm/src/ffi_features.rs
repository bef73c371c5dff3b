//! FFI: spectra (single window and Welch), envelope spectrum and spectral features.

use crate::cache::{complex_plan, grow, real_plan, state, window};
use crate::codes::*;
use crate::envelope;
use crate::ffi_fft::MAX_N;
use crate::ffi_mem::{f32s, f64s};
use crate::real_plan::bins;
use crate::spectral;
use crate::spectrum::{accumulate, scale};

/// Spectrum of n samples at `inp` (f32) into n/2+1 f64 values at `out`.
#[no_mangle]
pub extern "C" fn spectrum(n: usize, inp: usize, fs: f64, win: u32, scaling: u32, detrend: i32, out: usize) -> i32 {
    welch(n, inp, n, n, fs, win, scaling, detrend, out)
}

/// Welch average over segments of `seg` samples every `step` samples; returns the segment count.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn welch(total: usize, inp: usize, seg: usize, step: usize, fs: f64, win: u32, scaling: u32, detrend: i32, out: usize) -> i32 {
    if !(2..=MAX_N).contains(&seg) || total < seg || step == 0 {
        return BAD_LENGTH;
    }
    if !(fs > 0.0 && fs.is_finite()) || scaling > 3 {
        return BAD_ARGUMENT;
    }
    let nb = bins(seg);
    let (x, y) = match (f32s(inp, total), f64s(out, nb)) {
        (Some(x), Some(y)) => (x, y),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let ri = or_return!(real_plan(&mut st.real, seg), OUT_OF_MEMORY);
    let wi = or_return!(window(&mut st.wins, win, seg), BAD_ARGUMENT);
    if !(grow(&mut st.f32a, seg) && grow(&mut st.f32b, 2 * nb) && grow(&mut st.f64a, nb)) {
        return OUT_OF_MEMORY;
    }
    st.f64a[..nb].iter_mut().for_each(|v| *v = 0.0);
    let w = &st.wins[wi];
    let segments = (total - seg) / step + 1;
    for s in 0..segments {
        let xs = &x[s * step..s * step + seg];
        accumulate(&mut st.real[ri], &w.w, xs, detrend != 0, &mut st.f32a, &mut st.f32b, &mut st.f64a, st.simd);
    }
    scale(&st.f64a, seg, segments, w.sum, w.sumsq, fs, scaling, y);
    segments as i32
}

/// Envelope spectrum (amplitude scaling) of n samples: band-pass [lo_hz, hi_hz] in the frequency
/// domain, Hilbert envelope via an inverse complex FFT, mean removal, window `win`, FFT.
#[no_mangle]
pub extern "C" fn envelope_spectrum(n: usize, inp: usize, fs: f64, lo_hz: f64, hi_hz: f64, win: u32, out: usize) -> i32 {
    if !(4..=MAX_N).contains(&n) {
        return BAD_LENGTH;
    }
    if !(fs > 0.0 && fs.is_finite() && lo_hz >= 0.0 && hi_hz > lo_hz) {
        return BAD_ARGUMENT;
    }
    let nb = bins(n);
    let (x, y) = match (f32s(inp, n), f64s(out, nb)) {
        (Some(x), Some(y)) => (x, y),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let ri = or_return!(real_plan(&mut st.real, n), OUT_OF_MEMORY);
    let ci = or_return!(complex_plan(&mut st.cplx, n), OUT_OF_MEMORY);
    let wi = or_return!(window(&mut st.wins, win, n), BAD_ARGUMENT);
    if !(grow(&mut st.f32a, n) && grow(&mut st.f32b, 2 * nb) && grow(&mut st.f32c, n) && grow(&mut st.f64a, nb)) {
        return OUT_OF_MEMORY;
    }
    let mean = (x.iter().map(|&v| v as f64).sum::<f64>() / n as f64) as f32;
    for (d, &v) in st.f32a[..n].iter_mut().zip(x.iter()) {
        *d = v - mean;
    }
    st.real[ri].forward(&st.f32a[..n], &mut st.f32b, st.simd);
    let bin_hz = fs / n as f64;
    let (lo, hi) = ((lo_hz / bin_hz).ceil() as usize, (hi_hz / bin_hz).floor() as usize);
    let c = &mut st.cplx[ci];
    envelope::analytic_conj(&st.f32b, n, lo, hi, &mut c.buf);
    c.plan.forward(&c.buf, &mut c.z, st.simd);
    envelope::magnitude(&c.z, n, &mut st.f32a);
    st.f64a[..nb].iter_mut().for_each(|v| *v = 0.0);
    let w = &st.wins[wi];
    accumulate(&mut st.real[ri], &w.w, &st.f32a[..n], true, &mut st.f32c, &mut st.f32b, &mut st.f64a, st.simd);
    scale(&st.f64a, n, 1, w.sum, w.sumsq, fs, crate::spectrum::AMPLITUDE, y);
    0
}

/// Top-`count` peaks of `len` values between lo_hz and hi_hz; writes (freq, value, bin) triples.
#[no_mangle]
pub extern "C" fn spectral_peaks(v: usize, len: usize, bin_hz: f64, lo_hz: f64, hi_hz: f64, count: usize, out: usize) -> i32 {
    let (v, o) = match (f64s(v, len), f64s(out, 3 * count)) {
        (Some(v), Some(o)) if len > 0 && bin_hz > 0.0 => (v, o),
        _ => return BAD_ARGUMENT,
    };
    let lo = (lo_hz / bin_hz).ceil().max(0.0) as usize;
    let hi = ((hi_hz / bin_hz).floor().max(0.0) as usize).min(len - 1);
    if lo > hi {
        return 0;
    }
    spectral::peaks(v, bin_hz, lo, hi, count, o) as i32
}

/// Power per band; `bands` holds nb (lo, hi) pairs in Hz. `mode`: 0 power, 1 amplitude, 2 density.
#[no_mangle]
pub extern "C" fn band_sums(v: usize, len: usize, bin_hz: f64, mode: u32, bands: usize, nb: usize, out: usize) -> i32 {
    match (f64s(v, len), f64s(bands, 2 * nb), f64s(out, nb)) {
        (Some(v), Some(b), Some(o)) if bin_hz > 0.0 => spectral::band_sums(v, bin_hz, mode, b, o),
        _ => return BAD_ARGUMENT,
    }
    0
}

/// Spectral centroid, spread, skewness and kurtosis into 4 f64 at `out`.
#[no_mangle]
pub extern "C" fn spectral_shape(v: usize, len: usize, bin_hz: f64, mode: u32, out: usize) -> i32 {
    match (f64s(v, len), f64s(out, 4)) {
        (Some(v), Some(o)) if bin_hz > 0.0 => spectral::shape(v, bin_hz, mode, o),
        _ => return BAD_ARGUMENT,
    }
    0
}

/// For each of nf frequencies: (freq found, value, bin, value / median over f·(1 ± med_frac)).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn values_near(v: usize, len: usize, bin_hz: f64, freqs: usize, nf: usize, tol: f64, med_frac: f64, out: usize) -> i32 {
    let (v, f, o) = match (f64s(v, len), f64s(freqs, nf), f64s(out, 4 * nf)) {
        (Some(v), Some(f), Some(o)) if len > 0 && bin_hz > 0.0 && tol >= 0.0 => (v, f, o),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    if !grow(&mut st.f64a, len) {
        return OUT_OF_MEMORY;
    }
    for (i, &fq) in f.iter().enumerate() {
        let (pf, pv, pb) = spectral::value_near(v, bin_hz, fq, tol);
        let lo = ((fq * (1.0 - med_frac) / bin_hz).ceil().max(0.0) as usize).min(len);
        let hi = ((fq * (1.0 + med_frac) / bin_hz).floor().max(0.0) as usize + 1).min(len);
        let med = if lo < hi {
            let s = &mut st.f64a[..hi - lo];
            s.copy_from_slice(&v[lo..hi]);
            crate::select::median(s)
        } else {
            f64::NAN
        };
        o[4 * i..4 * i + 4].copy_from_slice(&[pf, pv, pb, pv / med]);
    }
    0
}

/// Bearing defect frequencies [FTF, BPFO, BPFI, BSF] into 4 f64 at `out`.
#[no_mangle]
pub extern "C" fn bearing_frequencies(balls: f64, ball_d: f64, pitch_d: f64, angle: f64, fr: f64, out: usize) -> i32 {
    let o = or_return!(f64s(out, 4), BAD_ARGUMENT);
    envelope::bearing(balls, ball_d, pitch_d, angle, fr, o);
    0
}
