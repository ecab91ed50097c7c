//! Compile errors of `#[derive(Device)]`, pinned by trybuild: each file under
//! `tests/ui/` must fail to compile with exactly the message in its `.stderr`.
//!
//! Regenerate the expectations with `TRYBUILD=overwrite cargo test --test ui
//! --features derive`, then review every changed `.stderr`.
#![cfg(feature = "derive")]

#[test]
fn derive_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
