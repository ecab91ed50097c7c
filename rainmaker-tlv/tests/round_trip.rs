//! Property tests: arbitrary requests and responses round-trip through the
//! encoder and decoder, checked by the shared oracle.

use proptest::prelude::*;
use rainmaker_tlv::oracle::{Checked, check_frame, check_round_trip};
use rainmaker_tlv::{
    Command, Error, Frame, MAX_DATA_LEN, MAX_REQUEST_ID_LEN, Request, Response, Status, UserRole,
    Value,
};

/// Data lengths from 0 to 70 000, weighted towards the fragment boundaries.
fn data() -> impl Strategy<Value = Vec<u8>> {
    let len = prop_oneof![
        4 => 0usize..600,
        2 => (1usize..=258).prop_map(|k| k * 255),
        1 => (1usize..=258).prop_map(|k| k * 255 + 1),
        1 => 65_000usize..=66_000,
        1 => 0usize..=70_000,
    ];
    (len, any::<u64>()).prop_map(|(len, seed)| {
        // Cheap pseudo-random bytes: proptest per-byte generation is slow at 70 kB.
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    })
}

fn request_id() -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::of(proptest::collection::vec(
        any::<u8>(),
        0..=MAX_REQUEST_ID_LEN,
    ))
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        prop::sample::select(vec![
            0u16, 1, 16, 17, 20, 201, 202, 203, 0x101, 0x1000, 0xffff
        ]),
        any::<u16>(),
    ]
    .prop_map(Command)
}

fn check(frame: Frame<'_>) -> Result<(), TestCaseError> {
    let too_long = frame.data().len() > MAX_DATA_LEN;
    let mut buf = vec![0u8; frame.encoded_len()];
    match frame.encode(&mut buf) {
        Err(Error::DataTooLong { offset: None, len }) => {
            prop_assert!(too_long);
            prop_assert_eq!(len, frame.data().len());
        }
        Err(e) => return Err(TestCaseError::fail(format!("encode failed: {e}"))),
        Ok(written) => {
            prop_assert!(!too_long);
            prop_assert_eq!(written, frame.encoded_len());
            let decoded = Frame::decode(&buf);
            prop_assert_eq!(decoded, Ok(frame));
            let canonical = check_frame(&frame).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&canonical, &buf);
            prop_assert_eq!(
                check_round_trip(&buf),
                Ok(Checked::RoundTripped(buf.clone()))
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn requests_round_trip(
        id in request_id(),
        role in any::<u8>(),
        status in proptest::option::of(any::<u8>()),
        timestamp in proptest::option::of(any::<u32>()),
        command in command(),
        data in data(),
    ) {
        check(Frame::Request(Request {
            request_id: id.as_deref(),
            role: UserRole(role),
            status: status.map(Status),
            timestamp,
            command,
            data: Value::new(&data),
        }))?;
    }

    #[test]
    fn responses_round_trip(
        id in request_id(),
        status in any::<u8>(),
        command in command(),
        data in data(),
    ) {
        check(Frame::Response(Response {
            request_id: id.as_deref(),
            status: Status(status),
            command,
            data: Value::new(&data),
        }))?;
    }

    #[test]
    fn request_ids_over_the_limit_are_refused(len in (MAX_REQUEST_ID_LEN + 1)..300) {
        let id = vec![b'x'; len];
        let resp = Response::new(Command(1), Status::SUCCESS).with_request_id(&id);
        let mut buf = [0u8; 512];
        prop_assert_eq!(
            resp.encode(&mut buf),
            Err(Error::RequestIdTooLong { offset: None, len })
        );
    }

    #[test]
    fn arbitrary_bytes_never_break_the_oracle(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert!(check_round_trip(&bytes).is_ok());
    }

    #[test]
    fn mutated_frames_never_break_the_oracle(
        data in data(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let base = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
            .with_request_id(b"id")
            .with_data(&data[..data.len().min(MAX_DATA_LEN)]);
        let mut bytes = base.to_vec().unwrap();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let end = cut.index(bytes.len() + 1);
        prop_assert!(check_round_trip(&bytes[..end]).is_ok());
    }
}

#[test]
fn exact_length_boundaries() {
    for len in [0usize, 1, 254, 255, 256, 509, 510, 511, 765, MAX_DATA_LEN] {
        let data = vec![0xa5u8; len];
        let frame =
            Frame::Response(Response::new(Command(1), Status::SUCCESS).with_data(&data[..]));
        let records = if len == 0 { 0 } else { len.div_ceil(255) };
        assert_eq!(frame.encoded_len(), 3 + 4 + len + 2 * records, "len {len}");
        let bytes = check_frame(&frame).unwrap();
        assert_eq!(Frame::decode(&bytes).unwrap().data().to_vec(), data);
    }
}
