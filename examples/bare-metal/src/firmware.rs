//! The bare-metal side: the entry point, and semihosting for output and the exit
//! status.

use crate::heap::{self, HEAP};

#[riscv_rt::entry]
fn main() -> ! {
    heap::init();
    semihosting::println!("rainmaker bare-metal node: scripted conversation");
    let ok = run();
    let (in_use, peak) = HEAP.counts();
    semihosting::println!("peak heap: {peak} bytes (in use at the end: {in_use} bytes)");
    if ok {
        semihosting::println!("all steps match the host");
        semihosting::process::exit(0)
    } else {
        semihosting::println!("MISMATCH");
        semihosting::process::exit(1)
    }
}

/// The checks (the whole node), or, in the `baseline` build, the same output
/// without the node, to measure the library's share of the flash.
#[cfg(not(feature = "baseline"))]
fn run() -> bool {
    crate::check(&mut |line| semihosting::println!("{line}"))
}

#[cfg(feature = "baseline")]
fn run() -> bool {
    for (label, transcript) in crate::EXPECTED {
        semihosting::println!("baseline {label}: {} bytes", transcript.len());
    }
    true
}
