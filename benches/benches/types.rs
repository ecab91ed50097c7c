//! `rainmaker-types` benchmarks: topic parsing (both forms) and typed JSON decoding,
//! each next to a baseline measured in the same run.
//!
//! - `topics/*`: every channel of the spec, plain and basic-ingest forms, parsed by
//!   the generated `Topic::parse`; the baseline splits the topic at `/` into a
//!   `Vec` and matches the segments, the straightforward hand-written parser.
//!   `TopicRef::parse` classifies the same topics without allocating.
//! - `decode/*`: a realistic params document and node config decoded (by the
//!   runtime's `decode_json`, as the generated dispatch does) into the
//!   generated types (the params also into the borrowed `ParamsDocumentRef`), and
//!   the same bytes into `serde_json::Value`.
//!
//! The inputs live in `rainmaker_benches::inputs`, whose unit test checks them.
//!
//! Run with `cargo bench -p rainmaker-benches --bench types`.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use rainmaker_benches::baseline::split_and_match;
use rainmaker_benches::bench_each;
use rainmaker_benches::inputs::{CONFIG, NODE_ID, PARAMS, topics};
use rainmaker_types::messages::NodeConfig;
use rainmaker_types::runtime::payload::{decode_json, decode_json_ref};
use rainmaker_types::{ParamsDocument, ParamsDocumentRef, Topic, TopicRef};

fn bench_topics(c: &mut Criterion) {
    let (plain, ingest) = topics();
    for (form, topics) in [("plain", &plain), ("ingest", &ingest)] {
        let mut group = c.benchmark_group(format!("topics/{form}"));
        group.throughput(Throughput::Elements(topics.len() as u64));
        bench_each(&mut group, "Topic::parse", topics, |topic| {
            let parsed = Topic::parse(topic);
            debug_assert!(parsed.is_ok(), "{topic}");
            parsed.ok()
        });
        bench_each(&mut group, "TopicRef::parse", topics, |topic| {
            let parsed = TopicRef::parse(topic);
            debug_assert!(parsed.is_ok(), "{topic}");
            black_box(parsed.ok());
        });
        bench_each(&mut group, "baseline split+match", topics, |topic| {
            black_box(split_and_match(topic));
        });
        group.finish();
    }
}

/// One topic over and over (the `params/local` of a node, in both forms): what a
/// stream dominated by one channel costs, branch predictors warm.
fn bench_hot_topic(c: &mut Criterion) {
    let plain = format!("node/{NODE_ID}/params/local");
    let ingest = Topic::parse(&plain)
        .ok()
        .and_then(|topic| topic.ingest())
        .unwrap_or_default();
    for (form, topic) in [("plain", &plain), ("ingest", &ingest)] {
        let mut group = c.benchmark_group(format!("topics/hot/{form}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("TopicRef::parse", |b| {
            b.iter(|| black_box(TopicRef::parse(black_box(topic)).ok()));
        });
        group.bench_function("baseline split+match", |b| {
            b.iter(|| black_box(split_and_match(black_box(topic))));
        });
        group.finish();
    }
}

fn bench_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode/params");
    group.throughput(Throughput::Bytes(PARAMS.len() as u64));
    group.bench_function("ParamsDocument", |b| {
        b.iter(|| black_box(decode_json::<ParamsDocument>(black_box(PARAMS.as_bytes())).ok()));
    });
    group.bench_function("ParamsDocumentRef", |b| {
        b.iter(|| {
            black_box(decode_json_ref::<ParamsDocumentRef<'_>>(black_box(PARAMS.as_bytes())).ok())
        });
    });
    value_baseline(&mut group, PARAMS);
    group.finish();

    let mut group = c.benchmark_group("decode/config");
    group.throughput(Throughput::Bytes(CONFIG.len() as u64));
    group.bench_function("NodeConfig", |b| {
        b.iter(|| black_box(decode_json::<NodeConfig>(black_box(CONFIG.as_bytes())).ok()));
    });
    value_baseline(&mut group, CONFIG);
    group.finish();
}

/// The untyped baseline of a decode group: the same bytes into `serde_json::Value`.
fn value_baseline(group: &mut BenchmarkGroup<'_, WallTime>, input: &str) {
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(input.as_bytes())).ok())
        });
    });
}

criterion_group! {
    name = benches;
    config = rainmaker_benches::config();
    targets = bench_topics, bench_hot_topic, bench_decode
}
criterion_main!(benches);
