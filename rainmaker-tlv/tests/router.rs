//! The node-side router: the C implementation's statuses, deferral, and
//! correct answers where the C implementation misbehaves.

mod common;

use std::cell::Cell;

use common::{EXAMPLE_REQUEST_ID, example_request, vector_router};
use rainmaker_tlv::{
    Command, Dispatch, Frame, Outcome, RawFrame, Request, Response, Router, Status, Tag, UserRole,
};

fn respond(router: &mut Router<'_>, input: &[u8]) -> Vec<u8> {
    match router.handle(input) {
        Dispatch::Respond(answer) => answer.frame,
        Dispatch::Deferred(p) => panic!("unexpected deferral {p:?}"),
    }
}

fn answer(router: &mut Router<'_>, input: &[u8]) -> (Option<Vec<u8>>, Status, Command, Vec<u8>) {
    let Dispatch::Respond(answer) = router.handle(input) else {
        panic!("unexpected deferral");
    };
    let bytes = answer.frame;
    let raw = RawFrame::parse(&bytes).expect("the answer decodes");
    assert_eq!(raw.role(), None, "responses carry no role record");
    let resp = Response::from_raw(&raw).expect("the answer is a response");
    // What the router says it answered is what the frame carries.
    assert_eq!((answer.status, answer.command), (resp.status, resp.command));
    assert_eq!(answer.error.is_some(), RawFrame::parse(input).is_err());
    (
        resp.request_id.map(<[u8]>::to_vec),
        resp.status,
        resp.command,
        resp.data.to_vec(),
    )
}

fn request(id: Option<&[u8]>, role: Option<u8>, cmd: Option<&[u8]>, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(id) = id {
        out.extend([1, id.len() as u8]);
        out.extend(id);
    }
    if let Some(role) = role {
        out.extend([2, 1, role]);
    }
    if let Some(cmd) = cmd {
        out.extend([5, cmd.len() as u8]);
        out.extend(cmd);
    }
    if !data.is_empty() {
        out.extend([6, data.len() as u8]);
        out.extend(data);
    }
    out
}

#[test]
fn success_answers_with_the_handler_data_and_timestamp() {
    let mut router = vector_router();
    let input = example_request();
    let (id, status, cmd, data) = answer(&mut router, &input);
    assert_eq!(id.as_deref(), Some(EXAMPLE_REQUEST_ID));
    assert_eq!(status, Status::SUCCESS);
    assert_eq!(cmd, Command::SET_PARAMS);
    assert_eq!(data, br#"{"echo_len":36,"ts":1748871366}"#);
}

#[test]
fn handler_failure_is_status_1_without_data() {
    let mut router = vector_router();
    let input = request(Some(b"abc"), Some(1), Some(&[1, 0]), b"fail");
    assert_eq!(
        respond(&mut router, &input),
        b"\x01\x03abc\x03\x01\x01\x05\x02\x01\x00"
    );
}

#[test]
fn missing_or_zero_fields_are_invalid() {
    let mut router = vector_router();
    let cases: [(&str, Vec<u8>, &[u8], u16); 6] = [
        (
            "no request id",
            request(None, Some(1), Some(&[1, 0]), b""),
            b"",
            1,
        ),
        (
            "empty request id",
            request(Some(b""), Some(1), Some(&[1, 0]), b""),
            b"",
            1,
        ),
        (
            "no role",
            request(Some(b"r1"), None, Some(&[1, 0]), b""),
            b"r1",
            1,
        ),
        (
            "role 0",
            request(Some(b"r1"), Some(0), Some(&[1, 0]), b""),
            b"r1",
            1,
        ),
        (
            "no command",
            request(Some(b"r1"), Some(1), None, b""),
            b"r1",
            0,
        ),
        (
            "command 0",
            request(Some(b"r1"), Some(1), Some(&[0, 0]), b""),
            b"r1",
            0,
        ),
    ];
    for (name, input, id, cmd) in cases {
        let (got_id, status, got_cmd, data) = answer(&mut router, &input);
        assert_eq!(got_id.as_deref(), Some(id), "{name}");
        assert_eq!(status, Status::INVALID, "{name}");
        assert_eq!(got_cmd, Command(cmd), "{name}");
        assert!(data.is_empty(), "{name}");
    }
}

#[test]
fn empty_input_gets_the_c_answer() {
    let mut router = vector_router();
    assert_eq!(
        respond(&mut router, b""),
        [0x01, 0x00, 0x03, 0x01, 0x02, 0x05, 0x02, 0x00, 0x00]
    );
}

#[test]
fn unknown_command_is_not_found_even_for_unauthorised_roles() {
    let mut router = vector_router();
    let input = request(Some(b"x"), Some(4), Some(&[0x00, 0x10]), b"{}");
    let (_, status, cmd, _) = answer(&mut router, &input);
    assert_eq!((status, cmd), (Status::NOT_FOUND, Command(0x1000)));
}

#[test]
fn roles_are_checked_on_the_base_flags_only() {
    let mut router = vector_router();
    for (role, expected) in [
        (0x01, Status::SUCCESS),
        (0x02, Status::SUCCESS),
        (0x04, Status::AUTH_FAILED),
        (0x08, Status::AUTH_FAILED),
        (0x10, Status::AUTH_FAILED), // sub-role only: valid, but no base role
        (0x21, Status::SUCCESS),     // admin with sub-role 2
        (0xF4, Status::AUTH_FAILED),
    ] {
        let input = request(Some(b"id"), Some(role), Some(&[1, 0]), b"{}");
        assert_eq!(answer(&mut router, &input).1, expected, "role {role:#x}");
    }
}

#[test]
fn node_role_reaches_node_only_handlers() {
    let mut router = Router::new();
    router.register(
        Command::FILE_UPLOAD_URL,
        UserRole::NODE,
        |_: &Request<'_>, out: &mut Vec<u8>| {
            out.extend_from_slice(b"ok");
            Outcome::Done
        },
    );
    let input = request(Some(b"f1"), Some(0x08), Some(&[16, 0]), b"{}");
    let (_, status, _, data) = answer(&mut router, &input);
    assert_eq!((status, data.as_slice()), (Status::SUCCESS, &b"ok"[..]));
    let input = request(Some(b"f1"), Some(0x01), Some(&[16, 0]), b"{}");
    assert_eq!(answer(&mut router, &input).1, Status::AUTH_FAILED);
}

#[test]
fn deferred_answers_are_sent_later_with_the_saved_id() {
    let calls = Cell::new(0);
    let mut router = Router::new();
    router.register(
        Command(0x1001),
        UserRole::ANY,
        |req: &Request<'_>, _: &mut Vec<u8>| {
            calls.set(calls.get() + 1);
            assert_eq!(req.data, &b"later"[..]);
            Outcome::Deferred
        },
    );
    let input = request(Some(b"deferred-1"), Some(2), Some(&[0x01, 0x10]), b"later");
    let Dispatch::Deferred(pending) = router.handle(&input) else {
        panic!("expected a deferral");
    };
    drop(router);
    assert_eq!(calls.get(), 1);
    assert_eq!(pending.request_id(), b"deferred-1");
    assert_eq!(pending.command(), Command(0x1001));
    let bytes = pending
        .respond(Status::SUCCESS, b"{\"done\":true}")
        .unwrap();
    let resp = Response::decode(&bytes).unwrap();
    assert_eq!(resp.request_id, Some(&b"deferred-1"[..]));
    assert_eq!(resp.status, Status::SUCCESS);
    assert_eq!(resp.command, Command(0x1001));
    assert_eq!(resp.data, &b"{\"done\":true}"[..]);
}

#[test]
fn handle_into_appends_and_reports_deferral() {
    let mut router = vector_router();
    let mut out = b"prefix".to_vec();
    let input = request(Some(b"abc"), Some(1), Some(&[1, 0]), b"hello");
    let answered = router.handle_into(&input, &mut out).expect("answered now");
    assert_eq!(answered.status, Status::SUCCESS);
    assert!(out.starts_with(b"prefix"));
    assert_eq!(
        Response::decode(&out[6..]).unwrap().data,
        &br#"{"echo_len":5,"ts":0}"#[..]
    );
}

#[test]
fn oversized_handler_data_fails_instead_of_being_cut() {
    let mut router = Router::new();
    router.register(
        Command(0x1000),
        UserRole::ANY,
        |_: &Request<'_>, out: &mut Vec<u8>| {
            out.resize(rainmaker_tlv::MAX_DATA_LEN + 1, b'x');
            Outcome::Done
        },
    );
    let input = request(Some(b"big"), Some(1), Some(&[0x00, 0x10]), b"");
    let (id, status, _, data) = answer(&mut router, &input);
    assert_eq!(id.as_deref(), Some(&b"big"[..]));
    assert_eq!(status, Status::FAILED);
    assert!(data.is_empty());
}

#[test]
fn register_replaces_and_unregister_removes() {
    let mut router = vector_router();
    router.register(
        Command::SET_PARAMS,
        UserRole::SECONDARY_USER,
        |_: &Request<'_>, _: &mut Vec<u8>| Outcome::Done,
    );
    let input = request(Some(b"a"), Some(4), Some(&[1, 0]), b"");
    assert_eq!(
        respond(&mut router, &input),
        b"\x01\x01a\x03\x01\x00\x05\x02\x01\x00"
    );
    assert!(router.unregister(Command::SET_PARAMS));
    assert!(!router.unregister(Command::SET_PARAMS));
    assert_eq!(answer(&mut router, &input).1, Status::NOT_FOUND);
}

// Where the C implementation misbehaves, we answer status 2 and echo what
// could be read before the fault.

#[test]
fn request_id_of_32_bytes_is_invalid_not_mangled() {
    let mut router = vector_router();
    for len in [32usize, 33, 200] {
        let id = vec![b'a'; len];
        let input = request(Some(&id), Some(1), Some(&[1, 0]), b"x");
        let (got_id, status, cmd, _) = answer(&mut router, &input);
        assert_eq!(got_id.as_deref(), Some(&b""[..]), "len {len}");
        assert_eq!(
            (status, cmd),
            (Status::INVALID, Command::SET_PARAMS),
            "len {len}"
        );
    }
    // 31 bytes is the longest id that works.
    let id = vec![b'a'; 31];
    let input = request(Some(&id), Some(1), Some(&[1, 0]), b"x");
    let (got_id, status, _, _) = answer(&mut router, &input);
    assert_eq!((got_id, status), (Some(id), Status::SUCCESS));
}

#[test]
fn dangling_byte_is_invalid_with_the_fields_read_before_it() {
    let mut router = vector_router();
    let mut input = request(Some(b"abc"), Some(1), Some(&[1, 0]), b"hello");
    input.push(0x04);
    let (id, status, cmd, data) = answer(&mut router, &input);
    assert_eq!(id.as_deref(), Some(&b"abc"[..]));
    assert_eq!((status, cmd), (Status::INVALID, Command::SET_PARAMS));
    assert!(data.is_empty());
}

#[test]
fn odd_records_are_invalid_rather_than_guessed() {
    let mut router = vector_router();
    let cases: [(&str, Vec<u8>); 5] = [
        (
            "1-byte command",
            b"\x01\x01a\x02\x01\x01\x05\x01\x01".to_vec(),
        ),
        (
            "2-byte role",
            b"\x01\x01a\x02\x02\x01\x00\x05\x02\x01\x00".to_vec(),
        ),
        (
            "3-byte timestamp",
            b"\x01\x01a\x02\x01\x01\x04\x03\x00\x00\x00\x05\x02\x01\x00".to_vec(),
        ),
        (
            "duplicate data",
            b"\x01\x01a\x02\x01\x01\x05\x02\x01\x00\x06\x01x\x06\x01y".to_vec(),
        ),
        (
            "truncated data",
            b"\x01\x01a\x02\x01\x01\x05\x02\x01\x00\x06\x09abc".to_vec(),
        ),
    ];
    for (name, input) in cases {
        assert!(RawFrame::parse(&input).is_err(), "{name}");
        let (id, status, _, data) = answer(&mut router, &input);
        assert_eq!(status, Status::INVALID, "{name}");
        assert_eq!(id.as_deref(), Some(&b"a"[..]), "{name}");
        assert!(data.is_empty(), "{name}");
    }
}

#[test]
fn unknown_tags_are_ignored_by_the_router() {
    let mut router = vector_router();
    let mut input = request(Some(b"abc"), Some(1), Some(&[1, 0]), b"hello");
    input.extend([0x07, 0x02, 0xde, 0xad, 0x00, 0x00]);
    let frame = RawFrame::parse(&input).unwrap();
    assert_eq!(frame.unknown_count(), 2);
    let tags: Vec<Tag> = frame.unknown_fields().map(|f| f.tag).collect();
    assert_eq!(tags, [Tag(7), Tag(0)]);
    let (_, status, _, data) = answer(&mut router, &input);
    assert_eq!(status, Status::SUCCESS);
    assert_eq!(data, br#"{"echo_len":5,"ts":0}"#);
}

#[test]
fn every_answer_decodes_as_a_response() {
    let mut router = vector_router();
    let inputs: [&[u8]; 6] = [
        b"",
        b"\x00",
        b"\xff\xff",
        b"\x06\x00",
        b"\x02\x01\x01",
        b"\x01\x00\x01\x00",
    ];
    for input in inputs {
        let bytes = respond(&mut router, input);
        assert!(
            matches!(Frame::decode(&bytes), Ok(Frame::Response(_))),
            "{input:?}"
        );
    }
}
