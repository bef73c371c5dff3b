//! FFI: memory management and pointer validation. JavaScript allocates its grow-only buffers here.

use std::alloc::{alloc, dealloc, Layout};

/// Allocates `bytes` (16-byte aligned). Returns 0 when out of memory.
#[no_mangle]
pub extern "C" fn mem_alloc(bytes: usize) -> usize {
    match Layout::from_size_align(bytes.max(16), 16) {
        // Safety: the layout has non-zero size.
        Ok(l) => unsafe { alloc(l) as usize },
        Err(_) => 0,
    }
}

/// Frees a block from `mem_alloc` with the same size.
#[no_mangle]
pub extern "C" fn mem_free(ptr: usize, bytes: usize) {
    if ptr == 0 {
        return;
    }
    if let Ok(l) = Layout::from_size_align(bytes.max(16), 16) {
        // Safety: ptr came from mem_alloc with this layout (contract with mod.ts).
        unsafe { dealloc(ptr as *mut u8, l) }
    }
}

fn in_memory(ptr: usize, len: usize, size: usize) -> bool {
    let end = len.checked_mul(size).and_then(|b| ptr.checked_add(b));
    let limit = core::arch::wasm32::memory_size(0) * 65536;
    ptr != 0 && ptr % size == 0 && end.map_or(false, |e| e <= limit)
}

/// A mutable f32 view of linear memory, or None when the range is invalid.
pub fn f32s<'a>(ptr: usize, len: usize) -> Option<&'a mut [f32]> {
    // Safety: the range lies inside linear memory and is aligned; mod.ts never aliases buffers.
    in_memory(ptr, len, 4).then(|| unsafe { core::slice::from_raw_parts_mut(ptr as *mut f32, len) })
}

/// A mutable f64 view of linear memory, or None when the range is invalid.
pub fn f64s<'a>(ptr: usize, len: usize) -> Option<&'a mut [f64]> {
    // Safety: as for f32s.
    in_memory(ptr, len, 8).then(|| unsafe { core::slice::from_raw_parts_mut(ptr as *mut f64, len) })
}
