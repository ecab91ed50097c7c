//! Regenerating all bindings from the spec (target: under 1 s), next to the cost of
//! only reading and parsing the YAML, measured in the same run.
//!
//! Run with `cargo bench -p rainmaker-benches --bench codegen`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rainmaker_codegen::{Options, Sources};

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rainmaker_codegen::SPEC_PATH)
}

fn bench_regenerate(c: &mut Criterion) {
    let path = spec_path();
    let mut group = c.benchmark_group("codegen");
    group.throughput(Throughput::Elements(1));
    group.bench_function("load + generate all files", |b| {
        b.iter(|| {
            let sources = Sources::load(black_box(&path)).ok();
            black_box(sources.and_then(|sources| {
                rainmaker_codegen::generate(&sources, &Options::default()).ok()
            }))
        });
    });
    group.bench_function("baseline: load and parse the YAML only", |b| {
        b.iter(|| black_box(Sources::load(black_box(&path)).ok()));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = bench_regenerate
}
criterion_main!(benches);
