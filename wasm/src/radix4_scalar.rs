//! Scalar twin of the SIMD Stockham kernels: same stages, same block-4 data layout, same twiddle
//! layout and the same formula order, so both paths give (bitwise) the same results. Used when
//! SIMD is off or unavailable (scalar build).

use crate::layout::{im, re};
use crate::twiddles::get;

type C = (f32, f32);

/// Radix-4 DFT without twiddles: outputs 0..3.
#[inline(always)]
fn dft4(a: C, b: C, c: C, d: C) -> [C; 4] {
    let apc = (a.0 + c.0, a.1 + c.1);
    let amc = (a.0 - c.0, a.1 - c.1);
    let bpd = (b.0 + d.0, b.1 + d.1);
    let bmd = (b.0 - d.0, b.1 - d.1);
    [
        (apc.0 + bpd.0, apc.1 + bpd.1),
        (amc.0 + bmd.1, amc.1 - bmd.0),
        (apc.0 - bpd.0, apc.1 - bpd.1),
        (amc.0 - bmd.1, amc.1 + bmd.0),
    ]
}

/// Radix-4 DIF butterfly followed by the twiddle multiplication of outputs 1..3.
#[inline(always)]
fn bfly(a: C, b: C, c: C, d: C, w: [C; 3]) -> [C; 4] {
    let y = dft4(a, b, c, d);
    let mul = |t: C, w: C| (t.0 * w.0 - t.1 * w.1, t.0 * w.1 + t.1 * w.0);
    [y[0], mul(y[1], w[0]), mul(y[2], w[1]), mul(y[3], w[2])]
}

fn twiddles(tw: &[f32], off: usize, blocked: bool, p: usize) -> [C; 3] {
    [get(tw, off, blocked, p, 1), get(tw, off, blocked, p, 2), get(tw, off, blocked, p, 3)]
}

/// First radix-4 stage (stride 1) reading interleaved complex input `inp` (2·nc floats).
pub fn radix4_first(nc: usize, inp: &[f32], y: &mut [f32], tw: &[f32], off: usize, blocked: bool) {
    let q4 = nc / 4;
    let at = |j: usize| (inp[2 * j], inp[2 * j + 1]);
    for p in 0..q4 {
        let v = bfly(at(p), at(p + q4), at(p + 2 * q4), at(p + 3 * q4), twiddles(tw, off, blocked, p));
        for (k, c) in v.iter().enumerate() {
            y[re(4 * p + k)] = c.0;
            y[im(4 * p + k)] = c.1;
        }
    }
}

/// Radix-4 stage: sub-transform length `nc`, stride `s` (block-4 in and out).
#[allow(clippy::too_many_arguments)]
pub fn radix4(nc: usize, s: usize, x: &[f32], y: &mut [f32], tw: &[f32], off: usize, blocked: bool) {
    let q4 = nc / 4;
    for p in 0..q4 {
        let w = twiddles(tw, off, blocked, p);
        for q in 0..s {
            let at = |j: usize| (x[re(q + s * j)], x[im(q + s * j)]);
            let v = bfly(at(p), at(p + q4), at(p + 2 * q4), at(p + 3 * q4), w);
            for (k, c) in v.iter().enumerate() {
                y[re(q + s * (4 * p + k))] = c.0;
                y[im(q + s * (4 * p + k))] = c.1;
            }
        }
    }
}

/// Final radix-8 stage (sub-transform length 8, so all twiddles are 1) with stride `s` = m/8.
pub fn radix8_last(s: usize, x: &[f32], y: &mut [f32]) {
    const H: f32 = std::f32::consts::FRAC_1_SQRT_2;
    for q in 0..s {
        let a = |j: usize| (x[re(q + s * j)], x[im(q + s * j)]);
        let (mut u, mut d) = ([(0.0f32, 0.0f32); 4], [(0.0f32, 0.0f32); 4]);
        for j in 0..4 {
            let (p, r) = (a(j), a(j + 4));
            u[j] = (p.0 + r.0, p.1 + r.1);
            d[j] = (p.0 - r.0, p.1 - r.1);
        }
        let v1 = ((d[1].0 + d[1].1) * H, (d[1].1 - d[1].0) * H);
        let v2 = (d[2].1, -d[2].0);
        let v3 = ((d[3].1 - d[3].0) * H, -((d[3].0 + d[3].1) * H));
        let ev = dft4(u[0], u[1], u[2], u[3]);
        let od = dft4(d[0], v1, v2, v3);
        for k in 0..4 {
            y[re(q + s * 2 * k)] = ev[k].0;
            y[im(q + s * 2 * k)] = ev[k].1;
            y[re(q + s * (2 * k + 1))] = od[k].0;
            y[im(q + s * (2 * k + 1))] = od[k].1;
        }
    }
}
