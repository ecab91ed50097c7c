//! Cloud-side ingest: every node-to-cloud publish of a recorded fleet
//! (`data/node-traffic.txt`, see `rainmaker_benches::traffic`) decoded four ways in
//! the same run, for the whole mix and per channel:
//!
//! - `Envelope::decode`: the owned typed path (topic parsed, payload typed);
//! - `EnvelopeRef::decode`: the borrowed path (topic classified in place, payload
//!   viewed where the spec marks `x-rust-borrow`, owned elsewhere);
//! - `baseline`: `split('/')` + match, then `serde_json::from_slice::<Value>` for
//!   JSON and the hand-written TLV walker for `from-node` frames;
//! - `ceiling sonic-rs`: the same, with `sonic_rs::Value` for JSON: how fast the
//!   fastest JSON parser in Rust reads the same bytes into its own untyped value.
//!
//! Throughput is in messages, so criterion reports messages per second; divide the
//! time by the message count for ns/msg.
//!
//! Run with `cargo bench -p rainmaker-benches --bench ingest`.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rainmaker_benches::baseline::{split_and_match, tlv};
use rainmaker_benches::bench_each;
use rainmaker_benches::traffic::{Publish, load};
use rainmaker_types::{Channel, Envelope, EnvelopeRef, Topic};

/// The index `split_and_match` gives `from-node`.
const FROM_NODE: usize = 12;

fn baseline(publish: &Publish) -> bool {
    match split_and_match(&publish.topic) {
        Some((FROM_NODE, _)) => tlv::walk(&publish.payload).is_some(),
        Some(_) => serde_json::from_slice::<serde_json::Value>(&publish.payload).is_ok(),
        None => false,
    }
}

fn ceiling(publish: &Publish) -> bool {
    match split_and_match(&publish.topic) {
        Some((FROM_NODE, _)) => tlv::walk(&publish.payload).is_some(),
        Some(_) => sonic_rs::from_slice::<sonic_rs::Value>(&publish.payload).is_ok(),
        None => false,
    }
}

fn bench_set(c: &mut Criterion, name: &str, publishes: &[Publish]) {
    let mut group = c.benchmark_group(format!("ingest/{name}"));
    group.throughput(Throughput::Elements(publishes.len() as u64));
    bench_each(&mut group, "Envelope::decode", publishes, |publish| {
        let decoded = Envelope::decode(&publish.topic, &publish.payload);
        debug_assert!(decoded.is_ok(), "{}", publish.topic);
        decoded.ok()
    });
    bench_each(&mut group, "EnvelopeRef::decode", publishes, |publish| {
        let decoded = EnvelopeRef::decode(&publish.topic, &publish.payload);
        debug_assert!(decoded.is_ok(), "{}", publish.topic);
        black_box(decoded.ok());
    });
    bench_each(&mut group, "baseline split+Value", publishes, baseline);
    bench_each(&mut group, "ceiling sonic-rs", publishes, ceiling);
    group.finish();
}

fn bench_ingest(c: &mut Criterion) {
    let publishes = load();
    for publish in &publishes {
        assert!(baseline(publish) && ceiling(publish), "{}", publish.topic);
    }
    bench_set(c, "mix", &publishes);
    let mut by_channel: BTreeMap<Channel, Vec<Publish>> = BTreeMap::new();
    for publish in publishes {
        if let Ok(topic) = Topic::parse(&publish.topic) {
            by_channel.entry(topic.channel()).or_default().push(publish);
        }
    }
    for (channel, publishes) in &by_channel {
        let name = channel
            .address()
            .replace("node/{node_id}/", "")
            .replace('/', "_");
        bench_set(c, &name, publishes);
    }
}

criterion_group! {
    name = benches;
    config = rainmaker_benches::config();
    targets = bench_ingest
}
criterion_main!(benches);
