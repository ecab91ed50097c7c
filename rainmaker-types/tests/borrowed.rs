//! The borrowed path: `EnvelopeRef` / `MessageRef` read every example of the spec
//! as the owned `Envelope` / `Message` do, fail with the same errors, and classify
//! topics and decode the high-volume payloads without allocating.

mod common;

use common::{example_topic, spec};
use rainmaker_test_support::{Counting, allocations};
use rainmaker_types::runtime::TopicForm;
use rainmaker_types::{
    Channel, Envelope, EnvelopeRef, Message, MessageKind, MessageRef, ParamValueRef, TopicRef,
};
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Whether the spec marks the message `x-rust-borrow`.
fn borrows(message: &common::SpecMessage) -> bool {
    message.object().get("x-rust-borrow") == Some(&Value::Bool(true))
}

#[test]
fn every_example_reads_the_same_through_the_view() {
    let mut viewed = 0;
    for message in common::messages() {
        for (example, payload) in message.examples() {
            let bytes = if message.is_tlv() {
                common::hex(payload.as_str().unwrap_or_default()).expect("hex example")
            } else {
                serde_json::to_vec(payload).expect("JSON example")
            };
            for channel in message.generated_channels() {
                let topic = example_topic(channel, payload).to_string();
                let what = format!("{}/{example} on {topic}", message.name);
                let owned = Envelope::decode(&topic, &bytes).expect(&what);
                let view = EnvelopeRef::decode(&topic, &bytes).expect(&what);
                assert_eq!(view.topic().to_topic(), *owned.topic(), "{what}");
                assert_eq!(view.message().name(), owned.message().name(), "{what}");
                if !borrows(&message) {
                    continue;
                }
                viewed += 1;
                match (view.message(), owned.message()) {
                    (MessageRef::FromNode(frame), Message::FromNode(owned)) => {
                        assert_eq!(*frame, owned.frame().as_frame(), "{what}");
                    }
                    (view, _) => assert_eq!(&view_json(view), payload, "{what}"),
                }
            }
        }
    }
    // params/local (+ wildcard, init), tsdata, simple tsdata and from-node examples.
    assert!(viewed >= 6, "only {viewed} examples went through a view");
}

/// The JSON a view serializes to (equal to the payload when it has no unknown keys).
fn view_json(message: &MessageRef<'_>) -> Value {
    let value = match message {
        MessageRef::ParamsLocal(doc)
        | MessageRef::ParamsLocalInit(doc)
        | MessageRef::ParamsLocalGroup(doc) => serde_json::to_value(doc),
        MessageRef::TsData(data) => serde_json::to_value(data),
        MessageRef::SimpleTsData(data) => serde_json::to_value(data),
        other => panic!("`{}` is not a viewed JSON message", other.name()),
    };
    value.expect("a view serializes")
}

#[test]
fn views_fail_with_the_owned_errors() {
    let cases: [(Channel, &[u8]); 7] = [
        (Channel::ParamsLocal, br#"{"Light":{"Power":[}}"#),
        (Channel::ParamsLocal, br#"{"Light":{"Power":true}"#),
        (Channel::ParamsLocal, br#"{"Light":{"Power":true,"Power":false}}"#),
        (Channel::ParamsLocal, br#"{"Light":7}"#),
        (Channel::TsData, br#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"a.b","dt":"int","records":[{"t":"x","v":1}]}]}"#),
        (Channel::SimpleTsData, br#"{"name":"a.b","dt":"int","t":1,"v":1} junk"#),
        (Channel::FromNode, b"\x01\x02\x00"),
    ];
    for (channel, payload) in cases {
        let owned = Message::decode(channel, payload).expect_err("invalid payload");
        let view = MessageRef::decode(channel, payload).expect_err("invalid payload");
        assert_eq!(
            view,
            owned,
            "{channel}: {}",
            String::from_utf8_lossy(payload)
        );
    }
}

#[test]
fn strings_borrow_unless_escaped() {
    let payload = br#"{"Light":{"Name":"Hall","Note":"a\"b","Power":true}}"#;
    let envelope = EnvelopeRef::decode("node/n1/params/local", payload).expect("decodes");
    let MessageRef::ParamsLocal(doc) = envelope.message() else {
        panic!("decoded as {}", envelope.message().name());
    };
    let text = |name| match doc.get("Light", name) {
        Some(ParamValueRef::String(text)) => text.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert!(text("Name").is_borrowed());
    assert_eq!(
        (text("Note").as_str(), text("Note").is_borrowed()),
        ("a\"b", false)
    );
}

#[test]
fn topic_classification_and_hot_decodes_do_not_allocate() {
    // A delta as a node sends it: one device, a few params (held inline).
    let delta = br#"{"Light":{"Power":true,"Brightness":57,"Name":"Hall"}}"#;
    let simple = br#"{"name":"Light.Power","dt":"bool","t":1700000000,"v":true}"#;
    let frame = rainmaker_types::tlv::GET_PENDING_FRAME;
    // Warm up anything initialised lazily (the spec is not touched below).
    let _ = spec();
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 3]))), 1);

    let count = allocations(|| {
        for topic in [
            "node/n1/params/local",
            "$aws/rules/esp_set_params/node/n1/params/local",
            "node/n1/to-node",
            "node/n1/otaurl",
        ] {
            let parsed = TopicRef::parse_form(std::hint::black_box(topic)).expect("topic");
            assert_eq!(parsed.0.node_id(), "n1");
        }
        let envelope = EnvelopeRef::decode(
            "$aws/rules/esp_set_params/node/n1/params/local",
            std::hint::black_box(delta),
        )
        .expect("delta");
        assert_eq!(envelope.form(), TopicForm::Ingest);
        let MessageRef::ParamsLocal(doc) = envelope.message() else {
            panic!("not params/local");
        };
        assert_eq!(
            doc.get("Light", "Brightness")
                .and_then(ParamValueRef::as_i64),
            Some(57)
        );
        let simple = MessageRef::decode(Channel::SimpleTsData, std::hint::black_box(simple))
            .expect("simple tsdata");
        assert_eq!(simple.kind(), MessageKind::SimpleTsData);
        let frame =
            MessageRef::decode(Channel::FromNode, std::hint::black_box(&frame)).expect("frame");
        assert_eq!(frame.kind(), MessageKind::FromNode);
    });
    assert_eq!(count, 0);
}
