//! Global state of the module: cached FFT plans, windows, grow-only scratch buffers and the
//! handle tables of stateful objects. WebAssembly here is single-threaded, so one `static mut`.

use crate::complex_plan::ComplexPlan;
use crate::decimate::Decimator;
use crate::ew::Ew;
use crate::real_plan::RealPlan;

/// A complex plan with its block-4 output and interleaved scratch.
pub struct CEntry {
    pub plan: ComplexPlan,
    pub n: usize,
    pub z: Vec<f32>,
    pub buf: Vec<f32>,
}

/// A cached analysis window with its coherent sum and energy sum.
pub struct WinEntry {
    pub kind: u32,
    pub n: usize,
    pub w: Vec<f32>,
    pub sum: f64,
    pub sumsq: f64,
}

pub struct State {
    pub simd: bool,
    pub real: Vec<RealPlan>,
    pub cplx: Vec<CEntry>,
    pub wins: Vec<WinEntry>,
    pub f32a: Vec<f32>,
    pub f32b: Vec<f32>,
    pub f32c: Vec<f32>,
    pub f64a: Vec<f64>,
    pub ews: Vec<Option<Ew>>,
    pub decs: Vec<Option<Decimator>>,
    pub firs: Vec<(usize, Vec<f64>)>,
}

static mut STATE: State = State {
    simd: cfg!(target_feature = "simd128"),
    real: Vec::new(),
    cplx: Vec::new(),
    wins: Vec::new(),
    f32a: Vec::new(),
    f32b: Vec::new(),
    f32c: Vec::new(),
    f64a: Vec::new(),
    ews: Vec::new(),
    decs: Vec::new(),
    firs: Vec::new(),
};

/// The module state. Safety: wasm32 is single-threaded and callers never hold two references.
pub fn state() -> &'static mut State {
    unsafe { &mut STATE }
}

/// A zero-filled vector, or None when the allocation fails (never aborts).
pub fn zeros<T: Copy + Default>(n: usize) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).ok()?;
    v.resize(n, T::default());
    Some(v)
}

/// Grows `v` to at least `n` elements (never shrinks). False when memory runs out.
pub fn grow<T: Copy + Default>(v: &mut Vec<T>, n: usize) -> bool {
    if v.len() < n {
        if v.try_reserve_exact(n - v.len()).is_err() {
            return false;
        }
        v.resize(n, T::default());
    }
    true
}

/// Index of the real plan for length n, creating it on first use.
pub fn real_plan(real: &mut Vec<RealPlan>, n: usize) -> Option<usize> {
    if let Some(i) = real.iter().position(|p| p.n == n) {
        return Some(i);
    }
    real.try_reserve(1).ok()?;
    real.push(RealPlan::new(n)?);
    Some(real.len() - 1)
}

/// Index of the complex plan for length n, creating it on first use.
pub fn complex_plan(cplx: &mut Vec<CEntry>, n: usize) -> Option<usize> {
    if let Some(i) = cplx.iter().position(|p| p.n == n) {
        return Some(i);
    }
    cplx.try_reserve(1).ok()?;
    let plan = ComplexPlan::new(n)?;
    cplx.push(CEntry { plan, n, z: zeros(crate::layout::floats(n))?, buf: zeros(2 * n)? });
    Some(cplx.len() - 1)
}

/// Index of the window (kind, n), creating it on first use.
pub fn window(wins: &mut Vec<WinEntry>, kind: u32, n: usize) -> Option<usize> {
    if let Some(i) = wins.iter().position(|w| w.kind == kind && w.n == n) {
        return Some(i);
    }
    let mut w = zeros(n)?;
    let (sum, sumsq) = crate::windows::fill(kind, &mut w)?;
    wins.try_reserve(1).ok()?;
    wins.push(WinEntry { kind, n, w, sum, sumsq });
    Some(wins.len() - 1)
}
