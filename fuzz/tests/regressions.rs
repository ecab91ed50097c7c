//! Named regression inputs for the fuzz targets.
//!
//! Every crash the fuzzer finds is added here under a name saying what it
//! exercises, replayed through exactly the functions the targets call. No
//! run has crashed so far; the inputs below are the edge cases the targets
//! are meant to keep covered (boundaries of fragments, limits and headers).

fn replay(input: &[u8]) {
    rainmaker_fuzz::decode(input);
    rainmaker_fuzz::round_trip(input);
    rainmaker_fuzz::router(input);
}

fn data_run(len: usize) -> Vec<u8> {
    let data = vec![b'd'; len];
    let mut out = Vec::new();
    for chunk in data.chunks(255) {
        out.extend([6, chunk.len() as u8]);
        out.extend(chunk);
    }
    out
}

#[test]
fn lone_type_byte() {
    for b in 0..=255u8 {
        replay(&[b]);
    }
}

#[test]
fn header_with_every_length_and_no_value() {
    for len in 0..=255u8 {
        replay(&[6, len]);
        replay(&[1, len]);
    }
}

#[test]
fn terminating_empty_record_then_another_fragment() {
    let mut input = b"\x01\x01a\x02\x01\x01\x05\x02\x00\x10".to_vec();
    input.extend(data_run(255));
    input.extend([6, 0, 6, 1, b'x']);
    replay(&input);
}

#[test]
fn data_exactly_at_and_over_the_limit() {
    for len in [65_535usize, 65_536, 65_537] {
        let mut input = b"\x01\x01a\x02\x01\x01\x05\x02\x00\x10".to_vec();
        input.extend(data_run(len));
        replay(&input);
    }
}

#[test]
fn request_id_at_and_over_the_limit() {
    for len in [31u8, 32, 33, 255] {
        let mut input = vec![1, len];
        input.extend(vec![b'i'; usize::from(len)]);
        input.extend(b"\x02\x01\x01\x05\x02\x01\x00");
        replay(&input);
    }
}

#[test]
fn unknown_tag_fragment_runs() {
    let mut input = vec![0x09, 255];
    input.extend([0u8; 255]);
    input.extend([0x09, 0]);
    input.extend(b"\x02\x01\x08\x05\x02\x01\x10");
    replay(&input);
}

#[test]
fn deferring_command_from_the_node_role() {
    replay(b"\x01\x02id\x02\x01\x08\x05\x02\x01\x10");
}
