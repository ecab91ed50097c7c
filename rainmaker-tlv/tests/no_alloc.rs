//! Decoding an unfragmented frame, and encoding into a slice, allocate nothing.
//!
//! Counting allocations needs a global allocator, whose trait is `unsafe`
//! to implement; this file alone allows unsafe code, for that wrapper only.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rainmaker_tlv::{Command, Frame, RawFrame, Request, Response, Status, UserRole};

thread_local! {
    // Counts only on the test's own thread; const-initialised, so reading it
    // never allocates.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: every call is forwarded unchanged to the system allocator; the
// wrapper only bumps a thread-local counter.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get)
}

#[test]
fn decoding_and_slice_encoding_do_not_allocate() {
    let request = Request::new(Command::SET_PARAMS, UserRole::PRIMARY)
        .with_request_id(b"EQPf7Rj7HFiBhFhvNMjLaB")
        .with_timestamp(1_748_871_366)
        .with_data(&br#"{"params":{"Light":{"Power":false}}}"#[..])
        .to_vec()
        .unwrap();
    let big = Request::new(Command::SET_PARAMS, UserRole::PRIMARY)
        .with_data(&vec![b'x'; 8192][..])
        .to_vec()
        .unwrap();
    let mut out = [0u8; 256];

    // The counter does see allocations.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 3]))), 1);

    let n = allocations(|| {
        let req = Request::decode(std::hint::black_box(&request)).unwrap();
        assert_eq!(req.data.len(), 36);
        let raw = RawFrame::parse(&request).unwrap();
        assert_eq!(raw.fields().count(), 5);
        let frame = Frame::decode(&request).unwrap();
        assert!(matches!(frame, Frame::Request(_)));
        // A fragmented value is a view as well.
        let req = Request::decode(&big).unwrap();
        assert_eq!(req.data.chunks().map(<[u8]>::len).sum::<usize>(), 8192);
        // Slice encoding.
        let resp = Response::new(Command::SET_PARAMS, Status::SUCCESS)
            .with_request_id(b"EQPf7Rj7HFiBhFhvNMjLaB")
            .with_data(&br#"{"status":"success","params":{"Light":{"Power":false}}}"#[..]);
        let written = resp.encode(&mut out).unwrap();
        assert_eq!(written, resp.encoded_len());
        // Errors are plain values too.
        assert!(RawFrame::parse(b"\x05\x02\x01").is_err());
    });
    assert_eq!(n, 0);
}
