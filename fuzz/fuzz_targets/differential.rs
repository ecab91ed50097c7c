//! cargo-fuzz target: see [`rainmaker_fuzz::differential`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rainmaker_fuzz::differential(data));
