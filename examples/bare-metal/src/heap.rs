//! A heap that counts the bytes in use and remembers the peak, shared by the
//! firmware binaries.

// The global allocator and the heap's memory need `unsafe`: there is no other way to
// hand a region of RAM to an allocator.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::mem::MaybeUninit;

use critical_section::Mutex;
use embedded_alloc::LlffHeap;

/// The heap's size: far more than the conversation needs, so the peak is measured,
/// not capped.
const HEAP_SIZE: usize = 256 * 1024;

/// An allocator that counts the bytes in use and remembers the peak. The counters
/// sit behind a critical section, not atomics: the ESP32-C3's core
/// (`riscv32imc`) has no atomic read-modify-write.
pub struct Counting {
    heap: LlffHeap,
    /// (bytes in use, peak).
    counts: Mutex<Cell<(usize, usize)>>,
}

impl Counting {
    /// (bytes in use, peak).
    pub fn counts(&self) -> (usize, usize) {
        critical_section::with(|cs| self.counts.borrow(cs).get())
    }
}

// SAFETY: every call goes to `LlffHeap`, whose `GlobalAlloc` impl is sound; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let pointer = unsafe { self.heap.alloc(layout) };
        if !pointer.is_null() {
            critical_section::with(|cs| {
                let counts = self.counts.borrow(cs);
                let (in_use, peak) = counts.get();
                let now = in_use + layout.size();
                counts.set((now, peak.max(now)));
            });
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.heap.dealloc(pointer, layout) };
        critical_section::with(|cs| {
            let counts = self.counts.borrow(cs);
            let (in_use, peak) = counts.get();
            counts.set((in_use.saturating_sub(layout.size()), peak));
        });
    }
}

/// The firmware's heap.
#[global_allocator]
pub static HEAP: Counting = Counting {
    heap: LlffHeap::empty(),
    counts: Mutex::new(Cell::new((0, 0))),
};

/// Hands the heap its memory; the first call only (later ones do nothing).
pub fn init() {
    static DONE: Mutex<Cell<bool>> = Mutex::new(Cell::new(false));
    static mut MEMORY: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
    if critical_section::with(|cs| DONE.borrow(cs).replace(true)) {
        return;
    }
    // SAFETY: this runs once (the flag above), before any allocation, and
    // `MEMORY` is used by nothing else.
    unsafe {
        HEAP.heap
            .init(core::ptr::addr_of_mut!(MEMORY) as usize, HEAP_SIZE);
    }
}
