//! Malformed frames: each gets its typed error with offset and tag, never a
//! panic (and the router still answers with a frame that decodes).

mod common;

use rainmaker_tlv::oracle::{Checked, check_round_trip};
use rainmaker_tlv::{
    Dispatch, Error, Frame, MAX_DATA_LEN, RawFrame, Request, Response, Tag, records,
};

/// A data run of `len` bytes, fragmented as on the wire.
fn data_records(len: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let mut out = Vec::new();
    for chunk in data.chunks(255) {
        out.extend([6, chunk.len() as u8]);
        out.extend(chunk);
    }
    out
}

fn with_prefix(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    [prefix, rest].concat()
}

const CMD1: &[u8] = b"\x05\x02\x01\x00";

#[test]
fn table_of_malformed_frames() {
    let long_id = with_prefix(&[1, 32], &[b'i'; 32]);
    let huge_id = with_prefix(&[1, 255], &[b'i'; 255]);
    let too_much_data = with_prefix(CMD1, &data_records(MAX_DATA_LEN + 1));
    let full_then_other = with_prefix(
        &with_prefix(&data_records(255), b"\x05\x02\x01\x00"),
        b"\x06\x01z",
    );
    let terminated_then_more = with_prefix(&data_records(255), b"\x06\x00\x06\x01z");
    let cases: Vec<(&str, Vec<u8>, Error)> = vec![
        (
            "single byte",
            vec![0x05],
            Error::DanglingHeader {
                offset: 0,
                tag: Tag::COMMAND,
            },
        ),
        (
            "dangling type byte",
            with_prefix(CMD1, &[0x06]),
            Error::DanglingHeader {
                offset: 4,
                tag: Tag::DATA,
            },
        ),
        (
            "dangling unknown byte",
            with_prefix(CMD1, &[0xff]),
            Error::DanglingHeader {
                offset: 4,
                tag: Tag(0xff),
            },
        ),
        (
            "header without value",
            vec![0x05, 0x02],
            Error::Truncated {
                offset: 0,
                tag: Tag::COMMAND,
                len: 2,
                available: 0,
            },
        ),
        (
            "value runs past the end",
            with_prefix(CMD1, b"\x01\x05ab"),
            Error::Truncated {
                offset: 4,
                tag: Tag::REQUEST_ID,
                len: 5,
                available: 2,
            },
        ),
        (
            "unknown record runs past the end",
            b"\x09\xff\x00".to_vec(),
            Error::Truncated {
                offset: 0,
                tag: Tag(9),
                len: 255,
                available: 1,
            },
        ),
        (
            "role of 2 bytes",
            b"\x02\x02\x01\x01".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::USER_ROLE,
                expected: 1,
                actual: 2,
            },
        ),
        (
            "role of 0 bytes",
            b"\x02\x00".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::USER_ROLE,
                expected: 1,
                actual: 0,
            },
        ),
        (
            "status of 2 bytes",
            b"\x03\x02\x00\x00".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::STATUS,
                expected: 1,
                actual: 2,
            },
        ),
        (
            "command of 1 byte",
            b"\x05\x01\x01".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::COMMAND,
                expected: 2,
                actual: 1,
            },
        ),
        (
            "command of 3 bytes",
            b"\x05\x03\x01\x00\x00".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::COMMAND,
                expected: 2,
                actual: 3,
            },
        ),
        (
            "timestamp of 3 bytes",
            with_prefix(CMD1, b"\x04\x03\x00\x00\x00"),
            Error::WrongLength {
                offset: 4,
                tag: Tag::TIMESTAMP,
                expected: 4,
                actual: 3,
            },
        ),
        (
            "timestamp of 5 bytes",
            b"\x04\x05\x00\x00\x00\x00\x00".to_vec(),
            Error::WrongLength {
                offset: 0,
                tag: Tag::TIMESTAMP,
                expected: 4,
                actual: 5,
            },
        ),
        (
            "role of 255 bytes",
            with_prefix(&[2, 255], &[1; 255]),
            Error::WrongLength {
                offset: 0,
                tag: Tag::USER_ROLE,
                expected: 1,
                actual: 255,
            },
        ),
        (
            "duplicate command",
            with_prefix(CMD1, CMD1),
            Error::Duplicate {
                offset: 4,
                tag: Tag::COMMAND,
                first: 0,
            },
        ),
        (
            "two short data records",
            b"\x06\x01x\x06\x01y".to_vec(),
            Error::Duplicate {
                offset: 3,
                tag: Tag::DATA,
                first: 0,
            },
        ),
        (
            "data fragment after another tag",
            full_then_other,
            Error::Duplicate {
                offset: 261,
                tag: Tag::DATA,
                first: 0,
            },
        ),
        (
            "data after the terminating empty record",
            terminated_then_more,
            Error::Duplicate {
                offset: 259,
                tag: Tag::DATA,
                first: 0,
            },
        ),
        (
            "duplicate unknown tag",
            b"\x09\x00\x09\x00".to_vec(),
            Error::Duplicate {
                offset: 2,
                tag: Tag(9),
                first: 0,
            },
        ),
        (
            "request id of 32 bytes",
            long_id,
            Error::RequestIdTooLong {
                offset: Some(0),
                len: 32,
            },
        ),
        (
            "request id of 255 bytes",
            huge_id,
            Error::RequestIdTooLong {
                offset: Some(0),
                len: 255,
            },
        ),
        // 257 full fragments hold 65535 bytes; the 258th (2 bytes) crosses the limit.
        (
            "data of 64 KiB + 1",
            too_much_data,
            Error::DataTooLong {
                offset: Some(4 + 257 * 257),
                len: MAX_DATA_LEN + 1,
            },
        ),
    ];
    for (name, input, expected) in cases {
        let got = RawFrame::parse(&input);
        assert_eq!(got.err(), Some(expected), "{name}");
        assert_eq!(Frame::decode(&input).err(), Some(expected), "{name}");
        assert_eq!(Request::decode(&input).err(), Some(expected), "{name}");
        assert!(expected.offset().is_some(), "{name}");
        assert!(expected.tag().is_some(), "{name}");
        assert!(!expected.to_string().is_empty(), "{name}");
        assert_eq!(
            check_round_trip(&input),
            Ok(Checked::Rejected(expected)),
            "{name}"
        );
        let mut router = common::vector_router();
        let Dispatch::Respond(answer) = router.handle(&input) else {
            panic!("{name}: deferred");
        };
        assert_eq!(
            Response::decode(&answer.frame).unwrap().status.0,
            2,
            "{name}"
        );
        assert_eq!(answer.error, Some(expected), "{name}");
    }
}

#[test]
fn missing_fields_are_typed_errors() {
    assert_eq!(RawFrame::parse(b"").map(|f| f.fields().count()), Ok(0));
    let cases = [
        ("empty request", Request::decode(b"").err(), Tag::USER_ROLE),
        ("empty response", Response::decode(b"").err(), Tag::STATUS),
        ("empty frame", Frame::decode(b"").err(), Tag::STATUS),
        (
            "request with a role only",
            Request::decode(b"\x02\x01\x01").err(),
            Tag::COMMAND,
        ),
        (
            "response with a status only",
            Response::decode(b"\x03\x01\x00").err(),
            Tag::COMMAND,
        ),
    ];
    for (name, error, tag) in cases {
        assert_eq!(error, Some(Error::Missing { tag }), "{name}");
    }
    let missing = Error::Missing {
        tag: Tag::USER_ROLE,
    };
    assert_eq!(
        (missing.offset(), missing.tag()),
        (None, Some(Tag::USER_ROLE))
    );
}

#[test]
fn data_of_exactly_64_kib_is_accepted() {
    let input = with_prefix(b"\x02\x01\x01\x05\x02\x01\x00", &data_records(MAX_DATA_LEN));
    let req = Request::decode(&input).unwrap();
    assert_eq!(req.data.len(), MAX_DATA_LEN);
    assert_eq!(req.data.chunk_count(), 258);
    assert!(matches!(check_round_trip(&input), Ok(Checked::RoundTripped(b)) if b == input));
}

#[test]
fn a_terminating_empty_record_is_accepted_after_a_multiple_of_255() {
    for k in [1usize, 2, 3] {
        let mut input = with_prefix(b"\x02\x01\x01\x05\x02\x01\x00", &data_records(255 * k));
        input.extend([6, 0]);
        let req = Request::decode(&input).unwrap();
        assert_eq!(req.data.len(), 255 * k);
        assert_eq!(req.data.chunk_count(), k + 1);
        // Re-encoding drops the terminator, as the C implementation writes it.
        let canonical = req.to_vec().unwrap();
        assert_eq!(canonical.len(), input.len() - 2);
        assert_eq!(Request::decode(&canonical).unwrap(), req);
        assert!(matches!(check_round_trip(&input), Ok(Checked::RoundTripped(b)) if b == canonical));
    }
}

/// Offsets where records start in a valid frame.
fn record_starts(frame: &[u8]) -> Vec<usize> {
    records(frame).map(|r| r.unwrap().offset).collect()
}

fn check_every_cut(frame: &[u8]) {
    let starts = record_starts(frame);
    for cut in 0..frame.len() {
        let input = &frame[..cut];
        let result = RawFrame::parse(input);
        // The record the cut falls into.
        let start = *starts.iter().rev().find(|&&s| s <= cut).unwrap();
        if start == cut {
            assert!(result.is_ok(), "cut at record boundary {cut}: {result:?}");
        } else if cut - start == 1 {
            assert_eq!(
                result.err(),
                Some(Error::DanglingHeader {
                    offset: start,
                    tag: Tag(frame[start])
                }),
                "cut {cut}"
            );
        } else {
            assert_eq!(
                result.err(),
                Some(Error::Truncated {
                    offset: start,
                    tag: Tag(frame[start]),
                    len: usize::from(frame[start + 1]),
                    available: cut - start - 2,
                }),
                "cut {cut}"
            );
        }
        // Whatever the cut, nothing panics and the router answers.
        let _ = check_round_trip(input).unwrap();
        let mut router = common::vector_router();
        let Dispatch::Respond(answer) = router.handle(input) else {
            panic!("deferred");
        };
        assert!(Response::decode(&answer.frame).is_ok(), "cut {cut}");
    }
}

#[test]
fn a_frame_cut_at_every_offset() {
    // The set-params request of PROTOCOL 11.7.
    check_every_cut(&common::example_request());
    // A fragmented one (600 bytes of data in 3 fragments).
    let fragmented = with_prefix(
        b"\x01\x02id\x02\x01\x02\x05\x02\x01\x00",
        &data_records(600),
    );
    check_every_cut(&fragmented);
}

#[test]
fn records_iterator_stops_after_an_error() {
    let mut it = records(b"\x05\x02\x01\x00\x06\x05ab");
    assert!(matches!(it.next(), Some(Ok(r)) if r.tag == Tag::COMMAND && r.offset == 0));
    assert!(matches!(
        it.next(),
        Some(Err(Error::Truncated { offset: 4, .. }))
    ));
    assert!(it.next().is_none());
}
