//! The C implementation's vectors: our encoder writes the same bytes, our
//! decoder reads back the inputs, and our router answers the same frames.

mod common;

use common::{vector_router, vectors};
use rainmaker_tlv::oracle::{Checked, check_round_trip};
use rainmaker_tlv::{Command, Dispatch, Frame, Request, Response, Status, UserRole, Value};

#[test]
fn the_file_has_both_kinds_of_vectors() {
    let all = vectors();
    assert_eq!(all.len(), 13);
    assert_eq!(all.iter().filter(|v| v.kind == "encode").count(), 10);
    assert_eq!(all.iter().filter(|v| v.kind == "handle").count(), 3);
    assert!(all.iter().all(|v| v.kind == "encode" || v.kind == "handle"));
}

#[test]
fn encode_vectors_are_written_byte_for_byte() {
    for v in vectors().iter().filter(|v| v.kind == "encode") {
        assert_eq!(v.u64("err"), 0, "{}", v.name);
        let req_id = v.json["req_id"].as_str().map(str::as_bytes);
        let role = UserRole(v.u64("role") as u8);
        let status = Status(v.u64("status") as u8);
        let command = Command(v.u64("cmd") as u16);
        let data = v.hex("data_hex");
        assert_eq!(data.len() as u64, v.u64("data_len"), "{}", v.name);
        let expected = v.hex("frame_hex");

        // The C encoder omits the role record for role 0: that is a response.
        let frame = if role.0 == 0 {
            Frame::Response(Response {
                request_id: req_id,
                status,
                command,
                data: Value::new(&data),
            })
        } else {
            Frame::Request(Request {
                request_id: req_id,
                role,
                status: Some(status),
                timestamp: None,
                command,
                data: Value::new(&data),
            })
        };
        assert_eq!(frame.encoded_len(), expected.len(), "{}", v.name);
        let mut buf = vec![0u8; expected.len()];
        assert_eq!(frame.encode(&mut buf), Ok(expected.len()), "{}", v.name);
        assert_eq!(hex::encode(&buf), hex::encode(&expected), "{}", v.name);
        assert_eq!(frame.to_vec().unwrap(), expected, "{}", v.name);
    }
}

#[test]
fn encode_vectors_decode_to_their_inputs() {
    for v in vectors().iter().filter(|v| v.kind == "encode") {
        let bytes = v.hex("frame_hex");
        let data = v.hex("data_hex");
        let frame = Frame::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            frame.request_id(),
            v.json["req_id"].as_str().map(str::as_bytes),
            "{}",
            v.name
        );
        assert_eq!(frame.command(), Command(v.u64("cmd") as u16), "{}", v.name);
        assert_eq!(frame.data(), Value::new(&data), "{}", v.name);
        assert_eq!(frame.data().to_vec(), data, "{}", v.name);
        assert_eq!(frame.data().is_fragmented(), data.len() > 255, "{}", v.name);
        match frame {
            Frame::Request(r) => {
                assert_eq!(r.role, UserRole(v.u64("role") as u8), "{}", v.name);
                assert_eq!(r.status, Some(Status(v.u64("status") as u8)), "{}", v.name);
            }
            Frame::Response(r) => {
                assert_eq!(v.u64("role"), 0, "{}", v.name);
                assert_eq!(r.status, Status(v.u64("status") as u8), "{}", v.name);
            }
        }
        // Re-encoding gives the same bytes, and the oracle agrees.
        assert_eq!(frame.to_vec().unwrap(), bytes, "{}", v.name);
        assert_eq!(
            check_round_trip(&bytes),
            Ok(Checked::RoundTripped(bytes.clone())),
            "{}",
            v.name
        );
    }
}

#[test]
fn fragment_counts_match_the_c_layout() {
    for v in vectors().iter().filter(|v| v.kind == "encode") {
        let bytes = v.hex("frame_hex");
        let len = v.u64("data_len") as usize;
        let frame = Frame::decode(&bytes).unwrap();
        let expected_chunks = if len == 0 { 1 } else { len.div_ceil(255) };
        assert_eq!(frame.data().chunk_count(), expected_chunks, "{}", v.name);
    }
}

#[test]
fn handle_vectors_get_the_same_answers() {
    let mut router = vector_router();
    for v in vectors().iter().filter(|v| v.kind == "handle") {
        assert_eq!(v.u64("err"), 0, "{}", v.name);
        let input = v.hex("input_hex");
        let expected = v.hex("output_hex");
        match router.handle(&input) {
            Dispatch::Respond(answer) => {
                assert_eq!(
                    hex::encode(&answer.frame),
                    hex::encode(&expected),
                    "{}",
                    v.name
                );
            }
            Dispatch::Deferred(p) => panic!("{}: deferred {p:?}", v.name),
        }
    }
}

#[test]
fn get_pending_frame_is_the_c_frame() {
    let v = vectors()
        .into_iter()
        .find(|v| v.name == "get_pending_empty")
        .unwrap();
    assert_eq!(v.hex("frame_hex"), rainmaker_tlv::GET_PENDING_FRAME);
    let frame = Frame::decode(&rainmaker_tlv::GET_PENDING_FRAME).unwrap();
    assert!(frame.is_get_pending());
}
