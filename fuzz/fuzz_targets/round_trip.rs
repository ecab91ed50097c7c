//! cargo-fuzz target: see [`rainmaker_fuzz::round_trip`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rainmaker_fuzz::round_trip(data));
