//! Every example of every message in the spec decodes through the generated dispatch
//! and re-encodes to the same payload: JSON-equal for JSON messages, byte-equal for the
//! TLV frames (whose examples are hex). Every message and channel of the spec has its
//! generated `Message` / `Channel` variant, with the same address, ingest rule,
//! direction and messages.
//!
//! The messages are listed by the spec itself; a failure names the message.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{SpecMessage, example_topic, json, spec, to_hex};
use rainmaker_types::runtime::Direction;
use rainmaker_types::{Channel, Envelope, Message, Topic, TopicForm};
use serde_json::Value;

/// Every example of every message of the spec (the list comes from the spec, so a
/// message added to it is covered without editing this file).
#[test]
fn every_example_of_every_message_round_trips() {
    let messages = common::messages();
    assert!(!messages.is_empty(), "the spec has messages");
    for message in messages {
        check_examples(&message.name);
    }
}

fn message(name: &str) -> SpecMessage {
    common::messages()
        .into_iter()
        .find(|message| message.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not a message of the spec"))
}

/// Decodes and re-encodes every example of `name` on every channel that carries it,
/// in every topic form; panics with the list of every mismatch.
fn check_examples(name: &str) {
    let message = message(name);
    assert!(
        !message.channels.is_empty(),
        "{}: no channel of the spec carries it",
        message.at
    );
    let examples = message.examples();
    assert!(!examples.is_empty(), "{}: no examples", message.at);
    let mut failures = Vec::new();
    for (example, payload) in &examples {
        let bytes = match example_bytes(&message, payload) {
            Ok(bytes) => bytes,
            Err(error) => {
                failures.push(format!("{name}/{example}: {error}"));
                continue;
            }
        };
        for channel in message.generated_channels() {
            let topic = example_topic(channel, payload);
            let mut forms = vec![(TopicForm::Plain, topic.to_string())];
            if let Some(ingest) = topic.ingest() {
                forms.push((TopicForm::Ingest, ingest));
            }
            for (form, topic_text) in forms {
                let what = format!("{name}/{example} on `{topic_text}`");
                if let Err(error) = round_trip(&message, &topic, form, &topic_text, &bytes, payload)
                {
                    failures.push(format!("{what}: {error}"));
                }
            }
        }
        if message.is_tlv()
            && let Err(error) = check_decoded_example(&message, example, &bytes)
        {
            failures.push(format!("{name}/{example}: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} example round trip(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The wire bytes of an example: the hex frame, or the JSON payload.
fn example_bytes(message: &SpecMessage, payload: &Value) -> Result<Vec<u8>, String> {
    if message.is_tlv() {
        let text = payload
            .as_str()
            .ok_or_else(|| format!("a TLV example must be a hex string, found {payload}"))?;
        common::hex(text).map_err(|error| error.to_string())
    } else {
        serde_json::to_vec(payload).map_err(|error| error.to_string())
    }
}

fn round_trip(
    message: &SpecMessage,
    topic: &Topic,
    form: TopicForm,
    topic_text: &str,
    bytes: &[u8],
    payload: &Value,
) -> Result<(), String> {
    let envelope =
        Envelope::decode(topic_text, bytes).map_err(|error| format!("does not decode: {error}"))?;
    let parsed_form = envelope.form();
    if parsed_form != form {
        return Err(format!("parsed as {parsed_form:?}, expected {form:?}"));
    }
    if envelope.topic() != topic {
        return Err(format!("topic parsed as {:?}", envelope.topic()));
    }
    let decoded = envelope.message();
    if decoded.kind().document_name() != message.name {
        return Err(format!("decoded as `{}`", decoded.kind().document_name()));
    }
    if !decoded.fits(topic.channel()) {
        return Err(format!(
            "`{}` does not fit {}",
            decoded.name(),
            topic.channel()
        ));
    }
    let direct = Message::decode(topic.channel(), bytes).map_err(|error| error.to_string())?;
    if &direct != decoded {
        return Err("Message::decode and Envelope::decode disagree".to_owned());
    }

    let (encoded_topic, encoded) = envelope
        .encode()
        .map_err(|error| format!("does not encode: {error}"))?;
    if encoded_topic != topic_text {
        return Err(format!("re-encoded topic is `{encoded_topic}`"));
    }
    if message.is_tlv() {
        if encoded != bytes {
            return Err(format!(
                "re-encoded frame differs:\n  expected {}\n  actual   {}",
                to_hex(bytes),
                to_hex(&encoded)
            ));
        }
    } else {
        let value = json(&encoded, &message.name);
        if &value != payload {
            return Err(format!(
                "re-encoded JSON differs:\n  expected {payload}\n  actual   {value}"
            ));
        }
    }
    let again = Message::decode(topic.channel(), &encoded)
        .map_err(|error| format!("re-encoded bytes do not decode: {error}"))?;
    if &again != decoded {
        return Err(format!(
            "decoding the re-encoded bytes gives another message:\n  first  {decoded:?}\n  second {again:?}"
        ));
    }
    let (plain_topic, plain_bytes) = Envelope::new(topic.clone(), decoded.clone())
        .and_then(|built| built.encode())
        .map_err(|error| format!("Envelope::new(..).encode() fails: {error}"))?;
    if plain_topic != topic.to_string() || plain_bytes != encoded {
        return Err("a built envelope encodes unlike the decoded one".to_owned());
    }
    Ok(())
}

/// Checks a TLV example against its entry in `x-rainmaker-decoded-examples`: every
/// field of the frame, and the JSON data against the type of its `data-schema`.
fn check_decoded_example(message: &SpecMessage, example: &str, bytes: &[u8]) -> Result<(), String> {
    let fields = message
        .object()
        .get("x-rainmaker-decoded-examples")
        .and_then(|examples| examples.get(example))
        .ok_or_else(|| format!("no x-rainmaker-decoded-examples entry for `{example}`"))?;
    let frame = rainmaker_tlv::RawFrame::parse(bytes).map_err(|error| error.to_string())?;
    let mut problems = Vec::new();
    let data = frame.data().map(|data| data.to_vec());
    let texts = [
        ("request_id", frame.request_id()),
        ("data", data.as_deref()),
    ];
    for (key, actual) in texts {
        let expected = fields.get(key).and_then(Value::as_str);
        let actual = actual.map(String::from_utf8_lossy);
        if expected != actual.as_deref() {
            problems.push(format!(
                "{key}: spec says {expected:?}, frame has {actual:?}"
            ));
        }
    }
    let numbers = [
        ("user_role", frame.role().map(|role| u64::from(role.bits()))),
        ("status", frame.status().map(|status| u64::from(status.0))),
        ("timestamp", frame.timestamp().map(u64::from)),
        (
            "command",
            frame.command().map(|command| u64::from(command.0)),
        ),
    ];
    for (key, actual) in numbers {
        let expected = fields.get(key).and_then(Value::as_u64);
        if expected != actual {
            problems.push(format!(
                "{key}: spec says {expected:?}, frame has {actual:?}"
            ));
        }
    }
    if let Some(schema) = fields
        .get("data-schema")
        .and_then(|schema| schema.get("$ref"))
        .and_then(Value::as_str)
    {
        let data = data.unwrap_or_default();
        if let Err(error) = check_data(schema, &data) {
            problems.push(format!("data against {schema}: {error}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Decodes command data into the type generated for `schema` and re-encodes it.
fn check_data(schema: &str, data: &[u8]) -> Result<(), String> {
    let name = schema.rsplit('/').next().unwrap_or(schema);
    let typed = rainmaker_types::commands::ALL
        .iter()
        .flat_map(|command| command.data)
        .find(|data| data.type_name == name)
        .ok_or_else(|| format!("the command catalogue names no data type `{name}`"))?;
    let value = (typed.to_json)(data).map_err(|error| format!("does not decode: {error}"))?;
    let original: Value = serde_json::from_slice(data).map_err(|error| error.to_string())?;
    if value == original {
        Ok(())
    } else {
        Err(format!("re-encodes as {value}, expected {original}"))
    }
}

#[test]
fn every_spec_message_has_a_message_variant() {
    let spec_names: Vec<String> = common::messages().into_iter().map(|m| m.name).collect();
    // Every message the generated channels name, in channel order.
    let generated: Vec<&str> = Channel::ALL
        .iter()
        .flat_map(|channel| channel.messages().iter().map(|kind| kind.document_name()))
        .collect();
    let spec_set: BTreeSet<&str> = spec_names.iter().map(String::as_str).collect();
    let generated_set: BTreeSet<&str> = generated.iter().copied().collect();
    assert_eq!(
        spec_set, generated_set,
        "messages of the spec vs messages of the generated channels"
    );
    assert_eq!(
        spec_names.len(),
        generated.len(),
        "every message should be carried by exactly one generated channel entry"
    );
    // `Message::name()` is checked on the decoded examples; here its channels.
    for message in common::messages() {
        for (example, payload) in message.examples() {
            let bytes = example_bytes(&message, payload).unwrap_or_else(|error| panic!("{error}"));
            let channel = message.generated_channels()[0];
            let decoded = Message::decode(channel, &bytes)
                .unwrap_or_else(|error| panic!("{}/{example} on {channel}: {error}", message.name));
            assert_eq!(
                decoded.kind().document_name(),
                message.name,
                "{}/{example}",
                message.name
            );
            let expected: HashSet<Channel> = message.generated_channels().into_iter().collect();
            let actual: HashSet<Channel> = decoded.channels().iter().copied().collect();
            assert_eq!(actual, expected, "channels of {}", message.name);
        }
    }
}

#[test]
fn every_spec_channel_has_a_channel_variant() {
    let spec_keys = common::keys("/channels");
    let generated: Vec<&str> = Channel::ALL
        .iter()
        .map(|channel| channel.info().key)
        .collect();
    assert_eq!(
        spec_keys.len(),
        generated.len(),
        "number of channels: spec {spec_keys:?}, generated {generated:?}"
    );
    assert_eq!(
        spec_keys
            .iter()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        generated.iter().copied().collect::<BTreeSet<_>>(),
        "channel keys of the spec vs Channel::ALL"
    );
    for key in &spec_keys {
        let channel = common::channel_by_key(key).expect("checked above");
        let at = common::pointer("/channels").join(key);
        let object = spec().get(&at).expect("listed channel");
        assert_eq!(
            Some(channel.address()),
            object.get("address").and_then(Value::as_str),
            "{at}/address"
        );
        assert_eq!(
            channel.ingest_rule(),
            object
                .pointer("/x-rainmaker-ingest/rule")
                .and_then(Value::as_str),
            "{at}/x-rainmaker-ingest/rule"
        );
        let sdk_publishes = object
            .pointer("/x-rainmaker-ingest/sdk-publishes")
            .and_then(Value::as_bool)
            .unwrap_or(channel.ingest_rule().is_some());
        assert_eq!(
            channel
                .info()
                .ingest
                .is_some_and(|ingest| ingest.sdk_publishes),
            sdk_publishes,
            "{at}/x-rainmaker-ingest/sdk-publishes"
        );
        let messages: BTreeSet<String> = common::channel_message_pointers(key)
            .iter()
            .filter_map(|pointer| pointer.last())
            .collect();
        let generated: BTreeSet<String> = channel
            .messages()
            .iter()
            .map(|kind| kind.document_name().to_owned())
            .collect();
        assert_eq!(generated, messages, "{at}/messages");
        assert_eq!(
            channel.direction(),
            Some(spec_direction(key)),
            "direction of {key} (its operation's x-rainmaker-direction)"
        );
    }
}

/// The `x-rainmaker-direction` of the operation on channel `key`.
fn spec_direction(key: &str) -> Direction {
    let target = format!("#/channels/{key}");
    let operations = spec()
        .document()
        .get("operations")
        .and_then(Value::as_object)
        .expect("operations");
    let directions: Vec<&str> = operations
        .values()
        .filter(|operation| {
            operation.pointer("/channel/$ref").and_then(Value::as_str) == Some(target.as_str())
        })
        .filter_map(|operation| operation.get("x-rainmaker-direction")?.as_str())
        .collect();
    match directions.as_slice() {
        ["node-to-cloud"] => Direction::NodeToCloud,
        ["cloud-to-node"] => Direction::CloudToNode,
        ["broker-to-cloud"] => Direction::BrokerToCloud,
        other => panic!("channel {key}: operations give directions {other:?}"),
    }
}

#[test]
fn tlv_examples_are_lower_case_hex_and_marked() {
    for message in common::messages().into_iter().filter(SpecMessage::is_tlv) {
        assert_eq!(
            message.object().get("x-rainmaker-hex"),
            Some(&Value::Bool(true)),
            "{}: x-rainmaker-hex",
            message.at
        );
        for (example, payload) in message.examples() {
            let text = payload.as_str().unwrap_or_default();
            assert!(
                !text.is_empty() && common::hex(text).is_ok(),
                "{}/{example}: payload is not lower-case hex: {payload}",
                message.name
            );
        }
    }
}

#[test]
fn command_data_decodes_like_any_payload() {
    use rainmaker_types::Payload;
    use rainmaker_types::messages::{SetParamsResponse, SetParamsResponseStatus};
    let response = SetParamsResponse::decode(br#"{"status":"success"}"#).expect("decodes");
    assert_eq!(
        response,
        SetParamsResponse::new(SetParamsResponseStatus::Success)
    );
    assert_eq!(
        response.encode().as_deref(),
        Ok(&br#"{"status":"success"}"#[..])
    );
    let error = SetParamsResponse::decode(br#"{"status":1}"#).expect_err("a number");
    assert!(error.to_string().contains("$.status"), "{error}");
}
