//! What messages, documents, events and command frames look like printed.

use rainmaker_types::device::{WriteError, WriteRejection};
use rainmaker_types::node::{Event, WriteSource};
use rainmaker_types::tlv::{Command, OwnedRequest, Status, UserRole};
use rainmaker_types::{Envelope, FromNodeFrame, ParamsDocument, Payload, ToNodeFrame};

#[test]
fn an_envelope_prints_its_topic_and_the_payload_as_sent() {
    let envelope = Envelope::decode(
        "node/7C9EBD4A1B2C/params/local",
        br#"{"Light":{"Power":true,"Brightness":25}}"#,
    )
    .expect("decodes");
    assert_eq!(
        envelope.to_string(),
        r#"node/7C9EBD4A1B2C/params/local  {"Light":{"Power":true,"Brightness":25}}"#
    );
}

#[test]
fn command_frames_print_their_fields() {
    let pending = Envelope::decode(
        "node/N1/from-node",
        &rainmaker_types::tlv::GET_PENDING_FRAME,
    )
    .expect("decodes");
    assert_eq!(pending.to_string(), "node/N1/from-node  get pending");

    let mut doc = ParamsDocument::new();
    doc.insert("Light", "Power", false);
    let frame = ToNodeFrame::set_params("r1", UserRole::PRIMARY_USER, &doc).expect("encodes");
    assert_eq!(
        frame.to_string(),
        r#"request request_id=r1 user_role=primary-user command=1 (set-params) data={"params":{"Light":{"Power":false}}}"#
    );
    let request = frame.set_params_request().expect("cmd 1").expect("decodes");
    assert_eq!(request.params, doc);
}

#[test]
fn only_answers_to_cmd_1_have_a_set_params_response() {
    let other = OwnedRequest::new(Command(0x1000), UserRole::PRIMARY_USER);
    let frame = ToNodeFrame::new(other).expect("encodes");
    assert!(frame.set_params_request().is_none());
    let pending = FromNodeFrame::decode(&rainmaker_types::tlv::GET_PENDING_FRAME).expect("decodes");
    assert!(pending.set_params_response().is_none());
}

#[test]
fn a_set_params_answer_that_is_not_json_is_a_decode_error() {
    let mut answer = rainmaker_types::tlv::OwnedResponse::new(Command::SET_PARAMS, Status::SUCCESS);
    answer.data = b"not json".to_vec();
    let frame = FromNodeFrame::new(answer).expect("encodes");
    assert!(matches!(frame.set_params_response(), Some(Err(_))));
}

#[test]
fn events_are_one_line() {
    let mut accepted = ParamsDocument::new();
    accepted.insert("Light", "Power", true);
    let event = Event::ParamsWritten {
        source: WriteSource::Remote,
        accepted,
        rejected: vec![WriteError {
            device: "Light".into(),
            param: "Brightness".into(),
            reason: WriteRejection::ReadOnly,
        }],
    };
    let line = event.to_string();
    assert!(
        line.starts_with(r#"write from params/remote: applied {"Light":{"Power":true}}; refused "#),
        "{line}"
    );
    assert!(line.contains("Brightness"), "{line}");
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn byte_fields_debug_as_text() {
    let mut request = OwnedRequest::new(Command::SET_PARAMS, UserRole::PRIMARY_USER);
    request.request_id = Some(b"abc".to_vec());
    request.data = br#"{"params":{}}"#.to_vec();
    let shown = format!("{request:?}");
    assert!(shown.contains(r#"request_id: Some("abc")"#), "{shown}");
    assert!(shown.contains(r#"data: "{\"params\":{}}""#), "{shown}");
}
