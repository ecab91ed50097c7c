//! cargo-fuzz target: see [`rainmaker_fuzz::protocol::envelope`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rainmaker_fuzz::protocol::envelope(data));
