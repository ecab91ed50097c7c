//! Shared bodies of the cargo-fuzz targets in `fuzz_targets/`.
//!
//! Each target is a three-line wrapper around one function here, so the
//! regression tests in `tests/` replay crashing inputs through exactly the
//! code the fuzzer ran. A broken property panics, which is what the fuzzer
//! reports as a crash.

pub mod protocol;

use std::sync::OnceLock;

use rainmaker_test_support::differential::{Schemas, compare_bytes};

/// The RainMaker spec's generated decoders accept exactly the payloads the
/// `jsonschema` crate accepts, on one instance per JSON message whose every choice
/// comes from `data` (see `rainmaker_test_support::differential` for the documented
/// differences, which are not failures).
pub fn differential(data: &[u8]) {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    let schemas = SCHEMAS
        .get_or_init(|| Schemas::load(include_str!(concat!(env!("OUT_DIR"), "/schemas.json"))));
    let outcome = compare_bytes(schemas, data, |message, payload| {
        let kind = rainmaker_types::MessageKind::ALL
            .into_iter()
            .find(|kind| kind.name() == message)
            .ok_or_else(|| format!("no message {message}"))?;
        rainmaker_types::Message::decode_as(kind, payload)
            .map(drop)
            .map_err(|error| error.to_string())
    });
    assert!(
        outcome.failures.is_empty(),
        "{}",
        outcome.failures.join("\n")
    );
}

use rainmaker_tlv::oracle::check_round_trip;
use rainmaker_tlv::{
    Command, Dispatch, Frame, Outcome, RawFrame, Request, Response, Router, Status, UserRole,
    records,
};

/// The decoder never panics, never reads outside the input and allocates
/// nothing; every view it returns stays consistent with the input.
pub fn decode(data: &[u8]) {
    let raw = RawFrame::parse(data);
    // The raw record walk agrees with the checked parse on where it stops.
    let walked: Result<usize, _> = records(data).try_fold(0, |n, r| r.map(|r| n + r.wire_len()));
    if raw.is_ok() {
        assert_eq!(walked, Ok(data.len()), "every record lies inside the frame");
    }
    if let Ok(raw) = raw {
        let mut end = 0;
        for field in raw.fields() {
            assert!(field.offset >= end && field.offset < data.len());
            let total: usize = field.value.chunks().map(<[u8]>::len).sum();
            assert_eq!(total, field.value.len());
            end = field.offset;
        }
        let typed = Frame::from_raw(&raw);
        if let Ok(frame) = typed {
            assert!(frame.data().len() <= rainmaker_tlv::MAX_DATA_LEN);
            assert!(
                frame
                    .request_id()
                    .is_none_or(|id| id.len() <= rainmaker_tlv::MAX_REQUEST_ID_LEN)
            );
        }
    } else if let Err(e) = raw {
        assert!(
            e.offset().is_none_or(|o| o < data.len()),
            "{e:?} points inside the input"
        );
    }
    let _ = Request::decode(data);
    let _ = Response::decode(data);
}

/// Every frame that decodes re-encodes to a frame that decodes equal, with
/// an exact `encoded_len` (see [`rainmaker_tlv::oracle`]).
pub fn round_trip(data: &[u8]) {
    if let Err(e) = check_round_trip(data) {
        panic!("round trip broken: {e} (input {data:02x?})");
    }
}

/// The router configured for fuzzing: command 1 for admin|primary (fails on
/// the data `fail`, else answers `{"len":N}`), command 0x1000 for anyone
/// (echoes the data), command 0x1001 for the node role (defers).
pub fn fuzz_router() -> Router<'static> {
    let mut router = Router::new();
    router
        .register(
            Command::SET_PARAMS,
            UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER,
            |req: &Request<'_>, out: &mut Vec<u8>| {
                if req.data.eq_bytes(b"fail") {
                    return Outcome::Failed;
                }
                out.extend_from_slice(format!("{{\"len\":{}}}", req.data.len()).as_bytes());
                Outcome::Done
            },
        )
        .register(
            Command::CUSTOM_START,
            UserRole::ANY,
            |req: &Request<'_>, out: &mut Vec<u8>| {
                req.data.extend_vec(out);
                Outcome::Done
            },
        )
        .register(
            Command(0x1001),
            UserRole::NODE,
            |_: &Request<'_>, _: &mut Vec<u8>| Outcome::Deferred,
        );
    router
}

/// Any input gets an answer: a response frame that decodes, has no role
/// record and a known status; a deferral's later answer decodes too.
pub fn router(data: &[u8]) {
    let mut router = fuzz_router();
    let bytes = match router.handle(data) {
        Dispatch::Respond(answer) => answer.frame,
        Dispatch::Deferred(pending) => {
            assert_eq!(pending.command(), Command(0x1001));
            pending
                .respond(Status::SUCCESS, b"later")
                .expect("a deferred answer encodes")
        }
    };
    let raw = RawFrame::parse(&bytes).expect("the answer decodes");
    assert!(raw.role().is_none(), "answers carry no role record");
    let resp = Response::from_raw(&raw).expect("the answer is a response");
    assert!(resp.status.is_known());
    assert!(
        resp.request_id.is_some(),
        "answers always echo a request id"
    );
}
