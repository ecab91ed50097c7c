//! TLV codec benchmarks, each group with a hand-written baseline measured in
//! the same run, so every result is also a ratio.
//!
//! Run with `cargo bench -p rainmaker-benches --bench tlv`.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use rainmaker_benches::baseline::tlv as baseline;
use rainmaker_tlv::{Command, Request, Response, Status, UserRole};

const REQUEST_ID: &[u8] = b"EQPf7Rj7HFiBhFhvNMjLaB";

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::ElementsAndBytes {
        elements: 1,
        bytes: bytes as u64,
    });
    g
}

/// Decode a ~100-byte set-params request into the typed request.
fn decode_small_request(c: &mut Criterion) {
    let data = br#"{"params":{"Light":{"Power":true,"Brightness":75,"Hue":120}}}"#;
    let frame = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(REQUEST_ID)
        .with_timestamp(1_748_871_366)
        .with_data(&data[..])
        .to_vec()
        .unwrap();
    let mut g = group(
        c,
        &format!("tlv_decode_request_{}B", frame.len()),
        frame.len(),
    );
    g.bench_function("rainmaker_tlv", |b| {
        b.iter(|| Request::decode(black_box(&frame)).unwrap())
    });
    g.bench_function("baseline_walker", |b| {
        b.iter(|| baseline::walk(black_box(&frame)).unwrap())
    });
    g.finish();
}

/// Decode a frame carrying `len` bytes of fragmented data: as a zero-copy
/// view, and reassembled into an owned buffer.
fn decode_fragmented(c: &mut Criterion, len: usize, label: &str) {
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let frame = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(REQUEST_ID)
        .with_data(&data[..])
        .to_vec()
        .unwrap();
    let fragments = Request::decode(&frame).unwrap().data.chunk_count();
    let mut g = group(
        c,
        &format!("tlv_decode_{label}_data_{fragments}_fragments"),
        frame.len(),
    );
    g.bench_function("rainmaker_tlv_view", |b| {
        b.iter(|| {
            let req = Request::decode(black_box(&frame)).unwrap();
            black_box(req.data.len())
        })
    });
    g.bench_function("baseline_walker_view", |b| {
        b.iter(|| black_box(baseline::walk(black_box(&frame)).unwrap().data))
    });
    g.bench_function("rainmaker_tlv_owned", |b| {
        b.iter(|| Request::decode(black_box(&frame)).unwrap().data.to_vec())
    });
    g.bench_function("baseline_walker_owned", |b| {
        b.iter(|| {
            let f = baseline::walk(black_box(&frame)).unwrap();
            baseline::reassemble(&frame, f.data.unwrap())
        })
    });
    g.finish();
}

fn decode_8k(c: &mut Criterion) {
    decode_fragmented(c, 8192, "8KiB");
}

fn decode_64k(c: &mut Criterion) {
    decode_fragmented(c, 65536, "64KiB");
}

/// Encode a ~100-byte response into a reused buffer.
fn encode_small_response(c: &mut Criterion) {
    let data = br#"{"status":"success","params":{"Light":{"Power":true,"Brightness":75}}}"#;
    let resp = Response::new(Command::SET_PARAMS, Status::SUCCESS)
        .with_request_id(REQUEST_ID)
        .with_data(&data[..]);
    let len = resp.encoded_len();
    let mut g = group(c, &format!("tlv_encode_response_{len}B"), len);
    let mut buf = [0u8; 256];
    g.bench_function("rainmaker_tlv_slice", |b| {
        b.iter(|| black_box(&resp).encode(black_box(&mut buf[..])).unwrap())
    });
    let mut vec = Vec::with_capacity(256);
    g.bench_function("rainmaker_tlv_reused_vec", |b| {
        b.iter(|| {
            vec.clear();
            black_box(&resp).encode_append(black_box(&mut vec)).unwrap()
        })
    });
    g.bench_function("baseline_hand_written", |b| {
        b.iter(|| {
            baseline::encode_response(
                black_box(&mut buf[..]),
                black_box(REQUEST_ID),
                0,
                1,
                black_box(&data[..]),
            )
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    decode_small_request,
    decode_8k,
    decode_64k,
    encode_small_response
);
criterion_main!(benches);
