//! Compile errors of `#[derive(Device)]`, pinned by trybuild: each file under
//! `tests/ui/` must fail to compile with exactly the message in its `.stderr`.
//!
//! The messages are the compiler's, so they are pinned to the toolchain they were
//! written with ([`WRITTEN_WITH`]); on another one the test says it is skipped.
//! Regenerate the expectations with `TRYBUILD=overwrite cargo test --test ui
//! --features derive`, review every changed `.stderr`, and update `WRITTEN_WITH`.
#![cfg(feature = "derive")]

use std::io::Write as _;
use std::process::Command;

/// The `rustc --version` prefix the `.stderr` files were written with.
const WRITTEN_WITH: &str = "rustc 1.95.";

#[test]
fn derive_errors() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(&rustc)
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default();
    if !version.starts_with(WRITTEN_WITH) {
        // Straight to the terminal: the harness would hide a printed skip.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED derive_errors: the expected messages are {WRITTEN_WITH}x's, this is {}",
            version.trim()
        );
        return;
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
