//! cargo-fuzz target: see [`rainmaker_fuzz::router`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rainmaker_fuzz::router(data));
