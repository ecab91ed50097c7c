//! Test helpers shared by the workspace's crates.
//!
//! [`Counting`] is a global allocator that counts the allocations of the current
//! thread while [`allocations`] runs a closure: the zero-allocation tests of the
//! TLV codec and of the borrowed decoders use it. With the `mosquitto` feature,
//! `mosquitto` starts a broker for integration tests; with the `node` feature,
//! `node` has the light and node info most node tests drive; with the
//! `differential` feature, `differential` compares generated decoders with the
//! jsonschema crate; with the `scripted-broker` feature, `scripted_broker` is an
//! MQTT broker that misbehaves on demand; with the `tls` feature, `tls` makes
//! certificates and starts mosquitto with mutual TLS.
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: rainmaker_test_support::Counting = rainmaker_test_support::Counting;
//!
//! assert_eq!(rainmaker_test_support::allocations(|| { let _ = 1 + 1; }), 0);
//! ```

// A global allocator's trait is `unsafe` to implement; this crate allows unsafe code
// for that wrapper only.
#![allow(unsafe_code)]

#[cfg(feature = "differential")]
pub mod differential;
#[cfg(feature = "mosquitto")]
pub mod mosquitto;
#[cfg(feature = "node")]
pub mod node;
#[cfg(feature = "scripted-broker")]
pub mod scripted_broker;
#[cfg(feature = "tls")]
pub mod tls;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

thread_local! {
    // Counts only on the thread that asked; const-initialised, so reading it never
    // allocates.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

/// The system allocator, counting allocations and reallocations of the thread
/// inside [`allocations`]. Install it with `#[global_allocator]` in a test binary.
pub struct Counting;

// SAFETY: every call is forwarded unchanged to the system allocator; the wrapper
// only bumps a thread-local counter.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn count() {
    if COUNTING.with(Cell::get) {
        COUNT.with(|c| c.set(c.get() + 1));
    }
}

/// How many allocations `f` makes on this thread (with [`Counting`] installed as the
/// global allocator; 0 otherwise).
pub fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get)
}

/// Runs `command` with stdin closed and its output captured, killing it (and
/// failing the test) when it runs longer than `limit`.
pub fn run_within(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {command:?}: {error}"));
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("the child's status").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} ran for over {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the child's output")
}

/// Runs a program to its end (at most `limit`, see [`run_within`]): its exit code and
/// its standard output and error as text.
pub fn run_program(program: &str, args: &[&str], limit: Duration) -> (Option<i32>, String, String) {
    let output = run_within(Command::new(program).args(args), limit);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A path under the system's temp directory that no other test of any process uses:
/// `<prefix>-<pid>-<n>-<nanoseconds>` (not created).
pub fn unique_temp_path(prefix: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};

    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}
