//! Shared helpers for the cargo-fuzz targets in `fuzz_targets/`.
