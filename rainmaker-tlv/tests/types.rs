//! The small types: roles, commands, statuses, tags, values, helpers, owned frames.

use rainmaker_tlv::{
    Command, Error, Frame, OwnedFrame, OwnedRequest, OwnedResponse, RawFrame, Request, Response,
    Status, Tag, UserRole, Value,
};

#[test]
fn role_base_flags_and_sub_role() {
    for (byte, base, sub) in [
        (0x00u8, 0x00u8, 0u8),
        (0x01, 0x01, 0),
        (0x12, 0x02, 1),
        (0x24, 0x04, 2),
        (0x48, 0x08, 3),
        (0x81, 0x01, 4),
        (0x30, 0x00, 1),
        (0xff, 0x0f, 1),
    ] {
        let role = UserRole(byte);
        assert_eq!(role.base(), UserRole(base), "{byte:#x}");
        assert_eq!(role.sub_role(), sub, "{byte:#x}");
    }
    let mask = UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER;
    assert_eq!(mask, UserRole(0x03));
    assert!(mask.allows(UserRole(0x12)));
    assert!(!mask.allows(UserRole(0x10)));
    assert!(UserRole::ANY.contains(UserRole::NODE));
    assert_eq!(
        format!("{:?}", UserRole(0x23)),
        "UserRole(0x23 super-admin|primary-user sub-role 2)"
    );
}

#[test]
fn commands_statuses_and_tags_keep_unknown_values() {
    for (cmd, name) in [
        (0u16, Some("get-pending")),
        (1, Some("set-params")),
        (16, Some("file-upload-url")),
        (17, Some("file-download-url")),
        (20, Some("file-upload-confirmed")),
        (201, Some("dac-csr")),
        (202, Some("dac-data")),
        (203, Some("dac-status")),
        (257, Some("insights-config")),
        (999, None),
        (0x1000, None),
    ] {
        assert_eq!(Command(cmd).name(), name);
    }
    assert!(Command(0x1000).is_custom() && Command(0xffff).is_custom());
    assert!(!Command(0x0fff).is_custom());
    assert_eq!(format!("{:?}", Command(0x1234)), "Command(0x1234 custom)");
    assert_eq!(Command::from(7u16), Command(7));
    assert_eq!(u16::from(Command::FILE_UPLOAD_URL), 16);

    assert_eq!(
        (0..=5).map(|s| Status(s).is_known()).collect::<Vec<_>>(),
        [true, true, true, true, true, false]
    );
    assert_eq!(Status(9).to_string(), "unknown status 9");
    assert_eq!(Status::NOT_FOUND.to_string(), "not-found");

    assert_eq!(Tag::DATA.to_string(), "tag 6 (data)");
    assert_eq!(Tag(42).to_string(), "tag 42");
    assert_eq!(Tag::TIMESTAMP.fixed_len(), Some(4));
    assert_eq!(Tag::DATA.fixed_len(), None);
}

#[test]
fn integers_are_little_endian() {
    let bytes = b"\x02\x01\x01\x04\x04\xc6\xa8\x3d\x68\x05\x02\x34\x12";
    let req = Request::decode(bytes).unwrap();
    assert_eq!(req.timestamp, Some(1_748_871_366));
    assert_eq!(req.command, Command(0x1234));
}

#[test]
fn fragmented_values_are_views() {
    let data: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
    let bytes = Request::new(Command(1), UserRole::PRIMARY_USER)
        .with_data(&data[..])
        .to_vec()
        .unwrap();
    let req = Request::decode(&bytes).unwrap();
    let v = req.data;
    assert!(v.is_fragmented());
    assert_eq!(v.as_slice(), None);
    assert_eq!(v.len(), 600);
    assert_eq!(
        v.chunks().map(<[u8]>::len).collect::<Vec<_>>(),
        [255, 255, 90]
    );
    assert_eq!(v.to_vec(), data);
    assert_eq!(v, Value::new(&data));
    assert_ne!(v, Value::new(&data[1..]));
    let mut out = vec![0u8; 700];
    assert_eq!(v.copy_to_slice(&mut out), Ok(600));
    assert_eq!(&out[..600], &data[..]);
    assert_eq!(
        v.copy_to_slice(&mut out[..599]),
        Err(Error::BufferTooSmall {
            needed: 600,
            available: 599
        })
    );
    // The chunks point into the frame: nothing was copied.
    let first = v.chunks().next().unwrap();
    assert!(bytes.as_ptr_range().contains(&first.as_ptr()));
    assert!(format!("{v:?}").starts_with("Value(600 bytes in 3 fragments: "));
}

#[test]
fn fields_reassemble_unknown_fragmented_tags() {
    let mut bytes = vec![9u8, 255];
    bytes.extend([7u8; 255]);
    bytes.extend([9u8, 3, 1, 2, 3]);
    bytes.extend(b"\x05\x02\x01\x00");
    let raw = RawFrame::parse(&bytes).unwrap();
    let fields: Vec<_> = raw.fields().collect();
    assert_eq!(fields.len(), 2);
    assert_eq!(
        (fields[0].tag, fields[0].offset, fields[0].value.len()),
        (Tag(9), 0, 258)
    );
    assert_eq!((fields[1].tag, fields[1].offset), (Tag::COMMAND, 262));
    assert_eq!(raw.unknown_count(), 1);
}

#[test]
fn protocol_example_11_7_bytes() {
    let id = b"EQPf7Rj7HFiBhFhvNMjLaB";
    // Command 1's data as the cloud writes it, and the node's answer.
    let data = br#"{"params":{"Light":{"Power":false}}}"#;
    let req = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(id)
        .with_timestamp(1_748_871_366)
        .with_data(&data[..]);
    let mut expected = vec![0x01, 0x16];
    expected.extend(id);
    expected.extend([
        0x02, 0x01, 0x02, 0x04, 0x04, 0xc6, 0xa8, 0x3d, 0x68, 0x05, 0x02, 0x01, 0x00, 0x06, 0x24,
    ]);
    expected.extend(data);
    assert_eq!(req.to_vec().unwrap(), expected);

    let changed = br#"{"status":"success","params":{"Light":{"Power":false}}}"#;
    let resp = Response::new(Command::SET_PARAMS, Status::SUCCESS)
        .with_request_id(id)
        .with_data(&changed[..]);
    let mut expected = vec![0x01, 0x16];
    expected.extend(id);
    expected.extend([0x03, 0x01, 0x00, 0x05, 0x02, 0x01, 0x00, 0x06, 0x37]);
    expected.extend(changed);
    assert_eq!(resp.to_vec().unwrap(), expected);
}

#[test]
fn node_initiated_file_upload_bytes() {
    let req = Request::node_initiated(Command::FILE_UPLOAD_URL)
        .with_data(&br#"{"file_name":"snapshot.jpg"}"#[..]);
    let mut expected = b"\x02\x01\x08\x03\x01\x00\x05\x02\x10\x00\x06\x1c".to_vec();
    expected.extend(br#"{"file_name":"snapshot.jpg"}"#);
    assert_eq!(req.to_vec().unwrap(), expected);
    assert_eq!(Frame::decode(&expected).unwrap(), Frame::Request(req));
}

#[test]
fn encoding_checks_buffer_and_limits() {
    let resp = Response::new(Command(1), Status::SUCCESS).with_request_id(b"abc");
    let mut small = [0u8; 5];
    assert_eq!(
        resp.encode(&mut small),
        Err(Error::BufferTooSmall {
            needed: 12,
            available: 5
        })
    );
    let big = vec![0u8; rainmaker_tlv::MAX_DATA_LEN + 1];
    let resp = resp.with_data(&big[..]);
    assert_eq!(
        resp.to_vec(),
        Err(Error::DataTooLong {
            offset: None,
            len: rainmaker_tlv::MAX_DATA_LEN + 1
        })
    );
    let mut out = b"keep".to_vec();
    assert!(resp.encode_append(&mut out).is_err());
    assert_eq!(out, b"keep");
}

#[test]
fn owned_frames_build_encode_decode_and_compare() {
    let req = OwnedRequest {
        request_id: Some(b"abc".to_vec()),
        timestamp: Some(5),
        data: vec![b'z'; 300],
        ..OwnedRequest::new(Command(0x1000), UserRole::SECONDARY_USER)
    };
    let bytes = req.to_vec().unwrap();
    assert_eq!(req.encoded_len(), bytes.len());
    assert_eq!(OwnedRequest::decode(&bytes).unwrap(), req);
    let frame = OwnedFrame::decode(&bytes).unwrap();
    assert_eq!(frame, OwnedFrame::Request(req.clone()));
    assert!(format!("{frame:?}").contains("OwnedRequest"));

    let resp = OwnedResponse {
        request_id: Some(b"abc".to_vec()),
        data: b"{}".to_vec(),
        ..OwnedResponse::new(Command(0x1000), Status::FAILED)
    };
    let bytes = resp.to_vec().unwrap();
    assert_eq!(OwnedResponse::decode(&bytes).unwrap(), resp);
    assert_eq!(
        OwnedFrame::decode(&bytes).unwrap(),
        OwnedFrame::from(resp.clone())
    );
    let mut buf = [0u8; 64];
    assert_eq!(resp.encode(&mut buf), Ok(bytes.len()));
    assert_ne!(OwnedFrame::from(resp), OwnedFrame::from(req));
}

#[test]
fn frame_tells_requests_from_responses() {
    let pending = Frame::decode(&rainmaker_tlv::GET_PENDING_FRAME).unwrap();
    assert!(matches!(pending, Frame::Response(_)));
    assert!(pending.is_get_pending());
    let not_pending = Frame::decode(b"\x01\x00\x03\x01\x02\x05\x02\x00\x00").unwrap();
    assert!(!not_pending.is_get_pending());
    let req = Frame::decode(b"\x02\x01\x08\x03\x01\x00\x05\x02\x00\x00").unwrap();
    assert!(matches!(req, Frame::Request(r) if r.status == Some(Status::SUCCESS)));
    assert!(!req.is_get_pending());
}
