//! FFI: window statistics, exponentially weighted streaming statistics and decimation.

use crate::cache::{grow, state};
use crate::codes::*;
use crate::decimate::{self, Decimator};
use crate::ew::Ew;
use crate::ffi_mem::f64s;
use crate::stats;

/// Statistics of n f64 at `inp` into 15 f64 at `out` (see stats::stats for the order).
#[no_mangle]
pub extern "C" fn window_stats(inp: usize, n: usize, out: usize) -> i32 {
    let (x, o) = match (f64s(inp, n), f64s(out, stats::FIELDS)) {
        (Some(x), Some(o)) if n > 0 => (x, o),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    if !grow(&mut st.f64a, n) {
        return OUT_OF_MEMORY;
    }
    stats::stats(x, &mut st.f64a, o);
    0
}

fn slot<T>(table: &mut Vec<Option<T>>, v: T) -> i32 {
    if let Some(i) = table.iter().position(|e| e.is_none()) {
        table[i] = Some(v);
        return i as i32;
    }
    if table.try_reserve(1).is_err() {
        return OUT_OF_MEMORY;
    }
    table.push(Some(v));
    table.len() as i32 - 1
}

fn get<T>(table: &mut [Option<T>], h: i32) -> Option<&mut T> {
    table.get_mut(usize::try_from(h).ok()?)?.as_mut()
}

#[no_mangle]
pub extern "C" fn ew_new(alpha: f64) -> i32 {
    if !(alpha > 0.0 && alpha <= 1.0) {
        return BAD_ARGUMENT;
    }
    slot(&mut state().ews, Ew::new(alpha))
}

#[no_mangle]
pub extern "C" fn ew_free(h: i32) {
    if let Some(e) = state().ews.get_mut(h.max(0) as usize) {
        *e = None;
    }
}

#[no_mangle]
pub extern "C" fn ew_push(h: i32, x: f64) -> i32 {
    let e = or_return!(get(&mut state().ews, h), BAD_HANDLE);
    e.push(x);
    0
}

#[no_mangle]
pub extern "C" fn ew_push_many(h: i32, inp: usize, n: usize) -> i32 {
    let x = or_return!(f64s(inp, n), BAD_ARGUMENT);
    let e = or_return!(get(&mut state().ews, h), BAD_HANDLE);
    x.iter().for_each(|&v| e.push(v));
    0
}

/// Writes (count, mean, variance) to `out`.
#[no_mangle]
pub extern "C" fn ew_read(h: i32, out: usize) -> i32 {
    let o = or_return!(f64s(out, 3), BAD_ARGUMENT);
    let e = or_return!(get(&mut state().ews, h), BAD_HANDLE);
    o.copy_from_slice(&[e.count, e.mean, e.var]);
    0
}

/// Number of FIR taps used for decimation by `factor`.
#[no_mangle]
pub extern "C" fn decimate_taps(factor: usize) -> i32 {
    if !(2..=1024).contains(&factor) {
        return BAD_ARGUMENT;
    }
    let st = state();
    let i = or_return!(fir(&mut st.firs, factor), OUT_OF_MEMORY);
    st.firs[i].1.len() as i32
}

fn fir(firs: &mut Vec<(usize, Vec<f64>)>, factor: usize) -> Option<usize> {
    if let Some(i) = firs.iter().position(|f| f.0 == factor) {
        return Some(i);
    }
    firs.try_reserve(1).ok()?;
    firs.push((factor, decimate::design(factor)?));
    Some(firs.len() - 1)
}

/// Zero-phase decimation of n f64 into ceil(n/factor) f64 at `out`; returns the output count.
#[no_mangle]
pub extern "C" fn decimate_once(inp: usize, n: usize, factor: usize, out: usize) -> i32 {
    if !(2..=1024).contains(&factor) || n == 0 {
        return BAD_ARGUMENT;
    }
    let (x, o) = match (f64s(inp, n), f64s(out, (n + factor - 1) / factor)) {
        (Some(x), Some(o)) => (x, o),
        _ => return BAD_ARGUMENT,
    };
    let st = state();
    let i = or_return!(fir(&mut st.firs, factor), OUT_OF_MEMORY);
    decimate::decimate_once(x, factor, &st.firs[i].1, o) as i32
}

#[no_mangle]
pub extern "C" fn decimator_new(factor: usize) -> i32 {
    if !(2..=1024).contains(&factor) {
        return BAD_ARGUMENT;
    }
    let d = or_return!(Decimator::new(factor), OUT_OF_MEMORY);
    slot(&mut state().decs, d)
}

#[no_mangle]
pub extern "C" fn decimator_free(h: i32) {
    if let Some(e) = state().decs.get_mut(h.max(0) as usize) {
        *e = None;
    }
}

#[no_mangle]
pub extern "C" fn decimator_reset(h: i32) -> i32 {
    or_return!(get(&mut state().decs, h), BAD_HANDLE).reset();
    0
}

/// Streams n samples through decimator `h`; writes at most n/factor+1 outputs; returns the count.
#[no_mangle]
pub extern "C" fn decimator_process(h: i32, inp: usize, n: usize, out: usize) -> i32 {
    let d = or_return!(get(&mut state().decs, h), BAD_HANDLE);
    let (x, o) = match (f64s(inp, n), f64s(out, decimate::max_out(n, d.factor))) {
        (Some(x), Some(o)) => (x, o),
        _ => return BAD_ARGUMENT,
    };
    or_return!(d.process(x, o), OUT_OF_MEMORY) as i32
}
