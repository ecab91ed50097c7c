//! Bodies of the protocol fuzz targets: envelopes (decode, encode, decode again),
//! topics (every form, written back), params documents (owned and borrowed,
//! lookups, round trip) and a `Node` fed sequences of inputs.

use rainmaker_test_support::node::{Light, address_of};
use rainmaker_types::node::{Input, Node};
use rainmaker_types::runtime::INGEST_PREFIX;
use rainmaker_types::runtime::payload::decode_json_ref;
use rainmaker_types::services::{Ota, Schedule};
use rainmaker_types::{
    Channel, DecodeError, Envelope, EnvelopeRef, NodeId, ParamsDocument, ParamsDocumentRef, Topic,
    TopicRef, messages,
};
use rainmaker_types::{DecodeOptions, DispatchError, TopicForm};
use serde_json::Value;

/// The node and group ids in every generated topic.
pub use rainmaker_test_support::node::{GROUP_ID, NODE_ID};

/// The topic of `channel` for the fuzzed node; its basic-ingest form when `ingest`
/// and the channel has one.
pub fn topic_for(channel: Channel, ingest: bool) -> String {
    let plain = address_of(channel, NODE_ID, GROUP_ID);
    match (ingest, channel.ingest_rule()) {
        (true, Some(rule)) => format!("{INGEST_PREFIX}{rule}/{plain}"),
        _ => plain,
    }
}

/// The envelope input of a channel: its selector byte (index, high bit for the
/// ingest form) followed by the payload.
pub fn envelope_input(channel: Channel, ingest: bool, payload: &[u8]) -> Vec<u8> {
    let index = Channel::ALL
        .iter()
        .position(|known| *known == channel)
        .and_then(|index| u8::try_from(index).ok())
        .unwrap_or(0);
    let mut input = vec![index | if ingest { 0x80 } else { 0 }];
    input.extend_from_slice(payload);
    input
}

/// The first byte picks a channel (and the ingest form with its high bit), the rest
/// is the payload. The owned and borrowed decoders agree; whatever decodes encodes,
/// and the encoding decodes to the same message (floats as the SDK's writer leaves
/// them); in the lenient mode too the two decoders agree, and what it decodes
/// encodes.
pub fn envelope(data: &[u8]) {
    let Some((&selector, payload)) = data.split_first() else {
        return;
    };
    let channel = Channel::ALL[usize::from(selector & 0x7f) % Channel::ALL.len()];
    let topic = topic_for(channel, selector & 0x80 != 0);
    let owned = Envelope::decode(&topic, payload);
    let view = EnvelopeRef::decode(&topic, payload);
    agree(&owned, &view);
    if let Ok(envelope) = owned {
        let (written, bytes) = envelope.encode().expect("a decoded message encodes");
        assert_eq!(written, topic, "the topic is written back as it came");
        let again = Envelope::decode(&written, &bytes).expect("the encoding decodes");
        let (_, bytes_again) = again.encode().expect("it encodes again");
        same_payload(&bytes, &bytes_again);
    }
    let lenient = DecodeOptions::sdk_lenient();
    let owned = Envelope::decode_with(&topic, payload, &lenient);
    let view = EnvelopeRef::decode_with(&topic, payload, &lenient);
    agree(&owned, &view);
    if let (Ok(owned), Ok(view)) = (owned, view) {
        assert_eq!(owned.repairs, view.repairs, "both repair alike");
        owned
            .value
            .encode()
            .expect("a leniently decoded message encodes");
    }
}

/// The owned and borrowed decoders both decode, or both fail alike.
fn agree<A: core::fmt::Debug, B: core::fmt::Debug>(
    owned: &Result<A, DispatchError>,
    view: &Result<B, DispatchError>,
) {
    match (owned, view) {
        (Ok(_), Ok(_)) => {}
        (Err(a), Err(b)) => assert!(alike(a, b), "the two decoders fail alike:\n{a}\n{b}"),
        _ => panic!("owned {owned:?} and borrowed {view:?} disagree"),
    }
}

/// Two failures of the owned and borrowed decoders are the same failure: the same
/// error, except that a JSON error's path may stop at a property the view skips
/// (it does not keep unknown properties, so it does not look inside them), and
/// the position may differ: serde_json places an error found while skipping a
/// string (the view) apart from one found while reading it (a newline in a string
/// is line 2, column 0 for one and line 1 for the other).
fn alike(owned: &DispatchError, view: &DispatchError) -> bool {
    match (owned, view) {
        (
            DispatchError::Payload(DecodeError::Json(a)),
            DispatchError::Payload(DecodeError::Json(b)),
        ) => a.kind() == b.kind() && a.path().starts_with(b.path()),
        _ => owned == view,
    }
}

/// Two encodings of one message: the same bytes, or (JSON) the same JSON up to the
/// rounding of floats the SDK's `%.5f` writer does.
fn same_payload(first: &[u8], second: &[u8]) {
    match (
        serde_json::from_slice::<Value>(first),
        serde_json::from_slice::<Value>(second),
    ) {
        (Ok(a), Ok(b)) => assert!(close(&a, &b), "re-encoding changed the message:\n{a}\n{b}"),
        _ => assert_eq!(first, second, "re-encoding changed the frame"),
    }
}

fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                (x - y).abs() <= 1e-5_f64.max(1e-9 * x.abs().max(y.abs()))
            }
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && close(vx, vy))
        }
        _ => a == b,
    }
}

/// Any text: the owned and borrowed parsers agree (the same topic and form, or the
/// same error), a parsed topic is written back exactly, and an error stays small
/// whatever the input's size.
pub fn topic(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let owned = Topic::parse_form(text);
    let view = TopicRef::parse_form(text);
    match (owned, view) {
        (Ok((topic, form)), Ok((borrowed, borrowed_form))) => {
            assert_eq!(borrowed.to_topic(), topic);
            assert_eq!(form, borrowed_form);
            let written = match form {
                TopicForm::Plain => topic.to_string(),
                TopicForm::Ingest => topic.to_string_in(form).expect("an ingest topic"),
            };
            assert_eq!(written, text, "the topic is written back as it came");
            assert_eq!(Channel::of_topic(text), Ok(topic.channel()));
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            assert!(a.to_string().len() <= 1024, "errors stay small: {a}");
            assert_eq!(Channel::of_topic(text), Err(a));
        }
        (a, b) => panic!("owned {a:?} and borrowed {b:?} disagree"),
    }
}

/// Any payload as a params document: the owned and borrowed documents agree, every
/// value is found by its lookup, and encoding then decoding gives the document back
/// exactly.
pub fn params(data: &[u8]) {
    let owned = decode_json_ref::<ParamsDocument>(data);
    let view = decode_json_ref::<ParamsDocumentRef<'_>>(data);
    let (owned, view) = match (owned, view) {
        (Ok(owned), Ok(view)) => (owned, view),
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "the two decoders fail alike");
            return;
        }
        (owned, view) => panic!("owned {owned:?} and borrowed {view:?} disagree"),
    };
    assert_eq!(view.to_owned_document(), owned);
    for (device, params) in owned.iter() {
        for (param, value) in params.iter() {
            assert_eq!(owned.get(device, param), Some(value));
            assert_eq!(
                view.get(device, param)
                    .cloned()
                    .map(|value| value.into_owned())
                    .as_ref(),
                Some(value)
            );
        }
    }
    let bytes = serde_json::to_vec(&owned).expect("a document encodes");
    let again: ParamsDocument = serde_json::from_slice(&bytes).expect("its encoding decodes");
    assert_eq!(again, owned, "encoding then decoding keeps every value");
}

/// The node the `node` target drives: a light, the OTA and schedule services, in
/// a group.
pub fn fuzz_node() -> Node {
    let node_id = NodeId::new(NODE_ID).expect("a valid node id");
    let info = messages::NodeInfo::new(
        "Fuzzed",
        "1.0",
        "Lightbulb",
        "light",
        "light",
        messages::NodeInfoPlatform::Esp32c3,
    );
    let mut node = Node::new(node_id, info).with_ota_over_topics();
    node.add_device(Light::new(false, 25)).expect("one light");
    node.add_service(Ota::new()).expect("one OTA service");
    node.add_service(Schedule::default())
        .expect("one schedule service");
    node
}

/// The topics a fuzzed input can arrive on: the node's own, its group's, another
/// node's, one it publishes itself, and one that is no topic at all.
fn received_topic(selector: u8) -> String {
    let choices = [
        topic_for(Channel::ParamsRemote, false),
        topic_for(Channel::ParamsRemoteGroup, false),
        topic_for(Channel::ToNode, false),
        topic_for(Channel::OtaUrl, false),
        "node/OTHER/params/remote".to_owned(),
        topic_for(Channel::ParamsLocal, false),
        "not/a/topic".to_owned(),
    ];
    choices[usize::from(selector) % choices.len()].clone()
}

/// A sequence of inputs: each starts with a byte choosing connect, disconnect,
/// mapping acknowledgement, a local report (or, from 128, a wake-up for the
/// schedules), or a message (then a topic byte, a length byte and that many
/// payload bytes). The clock moves on by the byte's value in minutes each input.
/// The node never panics, and after every input its config and params still
/// encode.
pub fn node(data: &[u8]) {
    let mut node = fuzz_node();
    let mut rest = data;
    let mut now: i64 = 1_700_000_000;
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        now += i64::from(op) * 60;
        let result = match op % 8 {
            0 => node.handle(now, Input::Connected),
            1 => node.handle(now, Input::Disconnected),
            2 => node.handle(now, Input::MappingAcknowledged),
            3 if op >= 128 => node.handle_timeout(node.poll_timeout().unwrap_or(now).max(now)),
            3 => {
                if let Some(light) = node.device_mut::<Light>("Light") {
                    light.power = !light.power;
                    light.brightness = i32::from(op);
                }
                node.report_changes(now)
            }
            _ => {
                let (topic_byte, len, tail) = match rest {
                    [topic_byte, len, tail @ ..] => (*topic_byte, usize::from(*len), tail),
                    _ => return,
                };
                let (payload, tail) = tail.split_at(len.min(tail.len()));
                rest = tail;
                let topic = received_topic(topic_byte);
                node.handle(
                    now,
                    Input::Received {
                        topic: &topic,
                        payload,
                    },
                )
            }
        };
        if let Ok(output) = result {
            for publish in &output.publish {
                assert!(
                    Envelope::decode(&publish.topic, &publish.payload).is_ok(),
                    "the node publishes only what decodes: {} {:?}",
                    publish.topic,
                    String::from_utf8_lossy(&publish.payload)
                );
            }
        }
        let config = node.config().expect("the config builds");
        serde_json::to_vec(&config).expect("the config encodes");
        serde_json::to_vec(&node.params()).expect("the params encode");
    }
}
