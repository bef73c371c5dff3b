//! SIMD128 Stockham kernels (four butterflies per instruction) on block-4 complex arrays. All
//! `unsafe` code of the FFT lives here; callers guarantee the lengths documented on each function.
//! The scalar twin is `radix4_scalar` (stages) and `real_pass` (post-pass).

use crate::layout::ROW_PAD;
use core::arch::wasm32::*;

type V = (v128, v128);

#[inline(always)]
unsafe fn ld(p: *const f32) -> v128 {
    v128_load(p as *const v128)
}
#[inline(always)]
unsafe fn st(p: *mut f32, v: v128) {
    v128_store(p as *mut v128, v)
}
/// Loads complex numbers j..j+4 (j multiple of 4) from a block-4 array.
#[inline(always)]
unsafe fn ldc(x: *const f32, j: usize) -> V {
    (ld(x.add(2 * j)), ld(x.add(2 * j + 4)))
}
#[inline(always)]
unsafe fn stc(y: *mut f32, j: usize, v: V) {
    st(y.add(2 * j), v.0);
    st(y.add(2 * j + 4), v.1);
}
#[inline(always)]
fn add(a: v128, b: v128) -> v128 {
    f32x4_add(a, b)
}
#[inline(always)]
fn sub(a: v128, b: v128) -> v128 {
    f32x4_sub(a, b)
}
#[inline(always)]
fn mul(a: v128, b: v128) -> v128 {
    f32x4_mul(a, b)
}

/// Complex multiply t·w, lane-wise.
#[inline(always)]
fn cmul(t: V, wr: v128, wi: v128) -> V {
    (sub(mul(t.0, wr), mul(t.1, wi)), add(mul(t.0, wi), mul(t.1, wr)))
}

/// Radix-4 DFT on four lanes (outputs 0..3, no twiddles).
#[inline(always)]
fn dft4(a: V, b: V, c: V, d: V) -> [V; 4] {
    let apc = (add(a.0, c.0), add(a.1, c.1));
    let amc = (sub(a.0, c.0), sub(a.1, c.1));
    let bpd = (add(b.0, d.0), add(b.1, d.1));
    let bmd = (sub(b.0, d.0), sub(b.1, d.1));
    [
        (add(apc.0, bpd.0), add(apc.1, bpd.1)),
        (add(amc.0, bmd.1), sub(amc.1, bmd.0)),
        (sub(apc.0, bpd.0), sub(apc.1, bpd.1)),
        (sub(amc.0, bmd.1), add(amc.1, bmd.0)),
    ]
}

/// Loads four interleaved complex numbers as (re, im) vectors.
#[inline(always)]
unsafe fn ld_interleaved(p: *const f32) -> V {
    let v0 = ld(p);
    let v1 = ld(p.add(4));
    (i32x4_shuffle::<0, 2, 4, 6>(v0, v1), i32x4_shuffle::<1, 3, 5, 7>(v0, v1))
}

/// 4×4 transpose of (y0..y3) (rows = k, lanes = p) into rows indexed by p.
#[inline(always)]
fn transpose(y0: v128, y1: v128, y2: v128, y3: v128) -> [v128; 4] {
    let t0 = i32x4_shuffle::<0, 4, 1, 5>(y0, y1);
    let t1 = i32x4_shuffle::<0, 4, 1, 5>(y2, y3);
    let t2 = i32x4_shuffle::<2, 6, 3, 7>(y0, y1);
    let t3 = i32x4_shuffle::<2, 6, 3, 7>(y2, y3);
    [
        i32x4_shuffle::<0, 1, 4, 5>(t0, t1),
        i32x4_shuffle::<2, 3, 6, 7>(t0, t1),
        i32x4_shuffle::<0, 1, 4, 5>(t2, t3),
        i32x4_shuffle::<2, 3, 6, 7>(t2, t3),
    ]
}

/// First radix-4 stage (stride 1), vectorised over p, reading interleaved input.
/// Safety: `inp` has 2·nc floats, `y` 2·nc floats, `tw` the blocked table; nc/4 % 4 == 0.
pub unsafe fn radix4_first(nc: usize, inp: *const f32, y: *mut f32, tw: *const f32) {
    let q4 = nc / 4;
    let mut p = 0;
    while p < q4 {
        let a = ld_interleaved(inp.add(2 * p));
        let b = ld_interleaved(inp.add(2 * (p + q4)));
        let c = ld_interleaved(inp.add(2 * (p + 2 * q4)));
        let d = ld_interleaved(inp.add(2 * (p + 3 * q4)));
        let v = dft4(a, b, c, d);
        let t = tw.add(6 * p);
        let y1 = cmul(v[1], ld(t), ld(t.add(4)));
        let y2 = cmul(v[2], ld(t.add(8)), ld(t.add(12)));
        let y3 = cmul(v[3], ld(t.add(16)), ld(t.add(20)));
        let r = transpose(v[0].0, y1.0, y2.0, y3.0);
        let i = transpose(v[0].1, y1.1, y2.1, y3.1);
        for j in 0..4 {
            stc(y, 4 * p + 4 * j, (r[j], i[j]));
        }
        p += 4;
    }
}

/// Radix-4 stage with stride s >= 4 (multiple of 4), vectorised over q.
/// Safety: `x`/`y` hold 2·nc·s floats; `tw` holds 6 floats per p (nc/4 of them).
pub unsafe fn radix4(nc: usize, s: usize, x: *const f32, y: *mut f32, tw: *const f32) {
    let q4 = nc / 4;
    let splat = |p: *const f32| v128_load32_splat(p as *const u32);
    for p in 0..q4 {
        let w = tw.add(6 * p);
        let (w1r, w1i, w2r, w2i, w3r, w3i) = (splat(w), splat(w.add(1)), splat(w.add(2)), splat(w.add(3)), splat(w.add(4)), splat(w.add(5)));
        let (ia, ib, ic, id) = (s * p, s * (p + q4), s * (p + 2 * q4), s * (p + 3 * q4));
        let o = s * 4 * p;
        let mut q = 0;
        while q < s {
            let v = dft4(ldc(x, ia + q), ldc(x, ib + q), ldc(x, ic + q), ldc(x, id + q));
            stc(y, o + q, v[0]);
            stc(y, o + s + q, cmul(v[1], w1r, w1i));
            stc(y, o + 2 * s + q, cmul(v[2], w2r, w2i));
            stc(y, o + 3 * s + q, cmul(v[3], w3r, w3i));
            q += 4;
        }
    }
}

/// Last radix-4 stage (nc = 4, twiddles are 1), vectorised over q. Safety: arrays hold 8·s floats.
pub unsafe fn radix4_last(s: usize, x: *const f32, y: *mut f32) {
    let mut q = 0;
    while q < s {
        let v = dft4(ldc(x, q), ldc(x, s + q), ldc(x, 2 * s + q), ldc(x, 3 * s + q));
        for (k, c) in v.iter().enumerate() {
            stc(y, k * s + q, *c);
        }
        q += 4;
    }
}

/// Radix-4 stage like `radix4`, writing output row r (= 4p + k, `s` complex numbers) at float
/// offset 2·s·r + ROW_PAD·r. Only used for nc = 32 (32 rows) before a padded radix-8 stage.
/// Safety: `x` holds 2·nc·s floats, `y` that plus 32·ROW_PAD; `tw` 6 floats per p; s >= 4.
pub unsafe fn radix4_padded(nc: usize, s: usize, x: *const f32, y: *mut f32, tw: *const f32) {
    let q4 = nc / 4;
    let splat = |p: *const f32| v128_load32_splat(p as *const u32);
    for p in 0..q4 {
        let w = tw.add(6 * p);
        let (w1r, w1i, w2r, w2i, w3r, w3i) = (splat(w), splat(w.add(1)), splat(w.add(2)), splat(w.add(3)), splat(w.add(4)), splat(w.add(5)));
        let (ia, ib, ic, id) = (s * p, s * (p + q4), s * (p + 2 * q4), s * (p + 3 * q4));
        let row = |k: usize| y.add((2 * s + ROW_PAD) * (4 * p + k));
        let (y0, y1, y2, y3) = (row(0), row(1), row(2), row(3));
        let mut q = 0;
        while q < s {
            let v = dft4(ldc(x, ia + q), ldc(x, ib + q), ldc(x, ic + q), ldc(x, id + q));
            stc(y0, q, v[0]);
            stc(y1, q, cmul(v[1], w1r, w1i));
            stc(y2, q, cmul(v[2], w2r, w2i));
            stc(y3, q, cmul(v[3], w3r, w3i));
            q += 4;
        }
    }
}

/// Final radix-8 stage (length-8 sub-transforms, no twiddles), vectorised over q; s multiple of 4.
/// With `pad`, the input is the padded output of `radix4_padded` (rows of s/4 complex numbers).
/// Safety: arrays hold 16·s floats (+ 32·ROW_PAD when padded).
pub unsafe fn radix8_last(s: usize, pad: bool, x: *const f32, y: *mut f32) {
    let h = f32x4_splat(core::f32::consts::FRAC_1_SQRT_2);
    // Input j of column q lives in row 4j + q/r at offset q % r (r = s/4 complex per row).
    let (r, chunks) = if pad { (s / 4, 4) } else { (s, 1) };
    let rowf = if pad { 2 * r + ROW_PAD } else { 2 * s };
    for c in 0..chunks {
        let xc = |j: usize| if pad { x.add(rowf * (4 * j + c)) } else { x.add(rowf * j) };
        let (x0, x1, x2, x3, x4, x5, x6, x7) = (xc(0), xc(1), xc(2), xc(3), xc(4), xc(5), xc(6), xc(7));
        let mut q = 0;
        while q < r {
            let a = |p: *const f32| ldc(p, q);
            let (a0, a1, a2, a3, a4, a5, a6, a7) = (a(x0), a(x1), a(x2), a(x3), a(x4), a(x5), a(x6), a(x7));
            let u = |p: V, r: V| (add(p.0, r.0), add(p.1, r.1));
            let d = |p: V, r: V| (sub(p.0, r.0), sub(p.1, r.1));
            let (u0, u1, u2, u3) = (u(a0, a4), u(a1, a5), u(a2, a6), u(a3, a7));
            let (d0, d1, d2, d3) = (d(a0, a4), d(a1, a5), d(a2, a6), d(a3, a7));
            let v1 = (mul(add(d1.0, d1.1), h), mul(sub(d1.1, d1.0), h));
            let v2 = (d2.1, f32x4_neg(d2.0));
            let v3 = (mul(sub(d3.1, d3.0), h), f32x4_neg(mul(add(d3.0, d3.1), h)));
            let ev = dft4(u0, u1, u2, u3);
            let od = dft4(d0, v1, v2, v3);
            let qq = c * r + q;
            for k in 0..4 {
                stc(y, qq + s * 2 * k, ev[k]);
                stc(y, qq + s * (2 * k + 1), od[k]);
            }
            q += 4;
        }
    }
}

/// Vector part of the real post-pass: bins k = 1 ..= m/2 - 4 and their mirrors m-k (m power of two
/// >= 16, `z` block-4); the scalar twin `real_pass::pair` uses the same formulas in the same order.
/// Blocks are k = 4c+1 ..= 4c+4, so Z[k] is a lane shift across two aligned blocks (carried from
/// the previous iteration) and Z[m-k] is one aligned block reversed.
/// Safety: `z` holds 2m floats, `hr`/`hi` m floats, `out` 2m + 2 floats.
pub unsafe fn real_post(m: usize, z: *const f32, hr: *const f32, hi: *const f32, out: *mut f32) {
    let half = f32x4_splat(0.5);
    let (mut cr, mut ci) = ldc(z, 0);
    for c in 0..m / 8 - 1 {
        let k = 4 * c + 1;
        let (nr, ni) = ldc(z, 4 * c + 4);
        let ar = i32x4_shuffle::<1, 2, 3, 4>(cr, nr);
        let ai = i32x4_shuffle::<1, 2, 3, 4>(ci, ni);
        cr = nr;
        ci = ni;
        let (b0, b1) = ldc(z, m - 4 * c - 4);
        let br = i32x4_shuffle::<3, 2, 1, 0>(b0, b0);
        let bi = i32x4_shuffle::<3, 2, 1, 0>(b1, b1);
        let (wr, wi) = (ld(hr.add(k)), ld(hi.add(k)));
        let (sr, dr, si, di) = (add(ar, br), sub(ar, br), add(ai, bi), sub(ai, bi));
        let (a, b, c2) = (mul(half, sr), mul(wr, si), mul(wi, dr));
        let (e, f, g) = (mul(half, di), mul(wr, dr), mul(wi, si));
        let (bc, gf) = (add(b, c2), sub(g, f));
        let (xr, xi) = (add(a, bc), add(gf, e));
        let (yr, yi) = (sub(a, bc), sub(gf, e));
        st(out.add(2 * k), i32x4_shuffle::<0, 4, 1, 5>(xr, xi));
        st(out.add(2 * k + 4), i32x4_shuffle::<2, 6, 3, 7>(xr, xi));
        // Mirror bins m-k-3 ..= m-k in ascending order: lanes reversed.
        let mk = m - k - 3;
        st(out.add(2 * mk), i32x4_shuffle::<3, 7, 2, 6>(yr, yi));
        st(out.add(2 * mk + 4), i32x4_shuffle::<1, 5, 0, 4>(yr, yi));
    }
}
