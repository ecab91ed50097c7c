//! `rainmaker-types` benchmarks: topic parsing (both forms) and typed JSON decoding,
//! each next to a baseline measured in the same run.
//!
//! - `topics/*`: every channel of the spec, plain and basic-ingest forms, parsed by
//!   the generated `Topic::parse`; the baseline splits the topic at `/` into a
//!   `Vec` and matches the segments, the straightforward hand-written parser.
//! - `decode/*`: a realistic params document and node config decoded into the
//!   generated types, and the same bytes into `serde_json::Value`.
//!
//! The inputs live in `rainmaker_benches::inputs`, whose unit test checks them.
//!
//! Run with `cargo bench -p rainmaker-benches --bench types`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rainmaker_benches::inputs::{CONFIG, PARAMS, topics};
use rainmaker_types::messages::NodeConfig;
use rainmaker_types::{ParamsDocument, Topic};

/// The baseline: split into segments, then match them.
fn split_and_match(topic: &str) -> Option<(usize, &str)> {
    let segments: Vec<&str> = topic.split('/').collect();
    let segments = match segments.as_slice() {
        ["$aws", "rules", _rule, rest @ ..] => rest,
        all => all,
    };
    match segments {
        ["node", id, "config"] => Some((0, *id)),
        ["node", id, "params", "local", "init"] => Some((1, *id)),
        ["node", id, "params", "local"] => Some((2, *id)),
        ["node", id, "params", "local", _group] => Some((3, *id)),
        ["node", id, "params", "remote"] => Some((4, *id)),
        ["node", id, "params", "remote", _group] => Some((5, *id)),
        ["node", id, "user", "mapping"] => Some((6, *id)),
        ["node", id, "otafetch"] => Some((7, *id)),
        ["node", id, "otaurl"] => Some((8, *id)),
        ["node", id, "otastatus"] => Some((9, *id)),
        ["node", id, "tsdata"] => Some((10, *id)),
        ["node", id, "simple_tsdata"] => Some((11, *id)),
        ["node", id, "from-node"] => Some((12, *id)),
        ["node", id, "to-node"] => Some((13, *id)),
        ["node", id, "alert"] => Some((14, *id)),
        ["$aws", "events", "presence", "connected", id] => Some((15, *id)),
        ["$aws", "events", "presence", "disconnected", id] => Some((16, *id)),
        _ => None,
    }
}

fn bench_topics(c: &mut Criterion) {
    let (plain, ingest) = topics();
    for (form, topics) in [("plain", &plain), ("ingest", &ingest)] {
        let mut group = c.benchmark_group(format!("topics/{form}"));
        group.throughput(Throughput::Elements(topics.len() as u64));
        group.bench_function("Topic::parse", |b| {
            b.iter(|| {
                for topic in topics {
                    let parsed = Topic::parse(black_box(topic));
                    debug_assert!(parsed.is_ok(), "{topic}");
                    black_box(parsed.ok());
                }
            });
        });
        group.bench_function("baseline split+match", |b| {
            b.iter(|| {
                for topic in topics {
                    black_box(split_and_match(black_box(topic)));
                }
            });
        });
        group.finish();
    }
}

fn bench_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode/params");
    group.throughput(Throughput::Bytes(PARAMS.len() as u64));
    group.bench_function("ParamsDocument", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<ParamsDocument>(black_box(PARAMS.as_bytes())).ok())
        });
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(PARAMS.as_bytes())).ok(),
            )
        });
    });
    group.finish();

    let mut group = c.benchmark_group("decode/config");
    group.throughput(Throughput::Bytes(CONFIG.len() as u64));
    group.bench_function("NodeConfig", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<NodeConfig>(black_box(CONFIG.as_bytes())).ok())
        });
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(CONFIG.as_bytes())).ok(),
            )
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_topics, bench_decode
}
criterion_main!(benches);
