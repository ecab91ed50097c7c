//! Decoding an unfragmented frame, and encoding into a slice, allocate nothing.

mod common;

use common::{EXAMPLE_REQUEST_ID, example_request};
use rainmaker_test_support::{Counting, allocations};
use rainmaker_tlv::{Command, Frame, RawFrame, Request, Response, Status, UserRole};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn decoding_and_slice_encoding_do_not_allocate() {
    let request = example_request();
    let big = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_data(&vec![b'x'; 8192][..])
        .to_vec()
        .unwrap();
    let mut out = [0u8; 256];

    // The counter does see allocations.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 3]))), 1);

    let n = allocations(|| {
        let req = Request::decode(std::hint::black_box(&request)).unwrap();
        assert_eq!(req.data.len(), 36);
        let raw = RawFrame::parse(&request).unwrap();
        assert_eq!(raw.fields().count(), 5);
        let frame = Frame::decode(&request).unwrap();
        assert!(matches!(frame, Frame::Request(_)));
        // A fragmented value is a view as well.
        let req = Request::decode(&big).unwrap();
        assert_eq!(req.data.chunks().map(<[u8]>::len).sum::<usize>(), 8192);
        // Slice encoding.
        let resp = Response::new(Command::SET_PARAMS, Status::SUCCESS)
            .with_request_id(EXAMPLE_REQUEST_ID)
            .with_data(&br#"{"status":"success","params":{"Light":{"Power":false}}}"#[..]);
        let written = resp.encode(&mut out).unwrap();
        assert_eq!(written, resp.encoded_len());
        // Errors are plain values too.
        assert!(RawFrame::parse(b"\x05\x02\x01").is_err());
    });
    assert_eq!(n, 0);
}
