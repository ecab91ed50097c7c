//! A RainMaker node on a bare-metal RISC-V core (`riscv32imac-unknown-none-elf`, run
//! under QEMU's `virt` machine): a lightbulb and a temperature sensor declared with
//! `#[derive(Device)]`, a `Node` driven through a scripted conversation held in
//! memory, and every output compared byte for byte with what the host build of the
//! same script produced (recorded by the build script).
//!
//! It prints through semihosting and exits with status 0 when every step matches,
//! 1 otherwise; it also prints the peak heap the conversation used. Built for the
//! host, the same program runs the script with `std` and checks it the same way.
//!
//! `bash .ci/bare-metal.sh` builds it, runs it under QEMU and measures its flash.

#![cfg_attr(target_os = "none", no_std, no_main)]
// The `baseline` build (the same program without the node, to measure the
// library's share of flash) never calls the script.
#![cfg_attr(feature = "baseline", allow(dead_code))]

extern crate alloc;

mod script;

#[cfg(target_os = "none")]
mod firmware;
#[cfg(target_os = "none")]
mod heap;

include!(concat!(env!("OUT_DIR"), "/expected.rs"));

/// Runs the script and compares each step with [`EXPECTED`]; `print` receives every
/// line of the report. Returns whether everything matched.
fn check(print: &mut dyn FnMut(&str)) -> bool {
    let mut expected = EXPECTED.iter();
    let mut ok = true;
    let run = script::run(&mut |step| match expected.next() {
        Some((label, transcript)) if step.label == *label && step.transcript == *transcript => {
            print(&alloc::format!("ok   {label}"));
        }
        Some((label, transcript)) => {
            ok = false;
            print(&alloc::format!(
                "FAIL {label}\n  expected:\n{transcript}  got:\n{}",
                step.transcript
            ));
        }
        None => {
            ok = false;
            print(&alloc::format!(
                "FAIL {}: the host recorded no such step",
                step.label
            ));
        }
    });
    if let Err(stop) = run {
        report_stop(print, &stop);
        return false;
    }
    let missing = expected.count();
    if missing > 0 {
        print(&alloc::format!(
            "FAIL {missing} steps the host recorded did not happen"
        ));
        ok = false;
    }
    ok
}

/// Says why the script stopped: in full on the host, briefly on the target (error
/// texts would cost the firmware flash it does not otherwise need).
fn report_stop(print: &mut dyn FnMut(&str), stop: &script::Stop) {
    #[cfg(not(target_os = "none"))]
    print(&alloc::format!("FAIL the script stopped: {stop:?}"));
    #[cfg(target_os = "none")]
    print(match stop {
        script::Stop::Id(_) => "FAIL the script stopped: the node id was refused",
        script::Stop::Node(_) => "FAIL the script stopped: the node refused an input",
        script::Stop::Zone(_) => "FAIL the script stopped: the time zone was refused",
    });
}

#[cfg(not(target_os = "none"))]
fn main() -> std::process::ExitCode {
    if check(&mut |line| println!("{line}")) {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
