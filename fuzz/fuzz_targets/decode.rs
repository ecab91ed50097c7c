//! cargo-fuzz target: see [`rainmaker_fuzz::decode`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rainmaker_fuzz::decode(data));
