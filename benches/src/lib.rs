//! Criterion benchmarks for the RainMaker crates; see `benches/` and the README's
//! performance section.
