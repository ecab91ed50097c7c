//! Named regressions of the protocol targets: each input below once showed a
//! defect (found by fuzzing the envelope, topic, params and node surfaces), and is
//! replayed through the target's own function plus the check of what was wrong.

use rainmaker_fuzz::protocol::{self, envelope_input};
use rainmaker_types::runtime::{IdError, TopicErrorReason};
use rainmaker_types::{Channel, DecodeError, Message, Topic};

#[test]
fn an_alert_matching_neither_shape_says_where() {
    let payload = br#"{"url":"x"}"#;
    protocol::envelope(&envelope_input(Channel::Alert, false, payload));
    let Err(DecodeError::Json(error)) = Message::decode(Channel::Alert, payload) else {
        panic!("an alert of neither shape is refused");
    };
    assert_eq!(error.path(), "$");
    assert!(error.line() >= 1, "{error}");
}

#[test]
fn a_device_after_a_large_one_finds_its_params_in_the_borrowed_view() {
    // The first device has more params than a linear search takes, so the view
    // sorts them; the positions it sorted were the document's, not the device's,
    // and the second device's lookup read the wrong params.
    let mut payload = String::from(r#"{"Big":{"#);
    for param in 0..17 {
        if param > 0 {
            payload.push(',');
        }
        payload.push_str(&format!(r#""p{param}":{param}"#));
    }
    payload.push_str(r#"},"Küche Licht":{"Stromstärke":true},"Last":{"b":1,"a":2}}"#);
    protocol::params(payload.as_bytes());
    let view: rainmaker_types::ParamsDocumentRef<'_> =
        rainmaker_types::runtime::payload::decode_json_ref(payload.as_bytes()).expect("decodes");
    assert!(view.get("Küche Licht", "Stromstärke").is_some());
    assert!(view.get("Last", "a").is_some());
    assert!(view.get("Big", "p16").is_some());
    assert!(view.get("Big", "p17").is_none());
    // The input the params target found it with.
    protocol::params(include_bytes!("data/params-crash-ea2751fe.json"));
}

#[test]
fn large_floats_keep_every_bit_through_decode_encode_decode() {
    let payload = br#"{"D":{"p":192233720368547758082592000}}"#;
    protocol::params(payload);
    protocol::envelope(&envelope_input(Channel::ParamsRemote, false, payload));
    protocol::envelope(&envelope_input(Channel::ParamsLocal, false, payload));
}

#[test]
fn a_document_of_fifteen_thousand_keys_decodes() {
    // As many keys as fit AWS IoT's 128 KiB publish: each new key used to be
    // compared with every earlier one.
    let mut payload = String::from(r#"{"Light":{"#);
    let mut keys = 0;
    while payload.len() + 16 < 128 * 1024 {
        if keys > 0 {
            payload.push(',');
        }
        payload.push_str(&format!(r#""{keys:x}":1"#));
        keys += 1;
    }
    payload.push_str("}}");
    assert!(keys > 13_000, "{keys} keys");
    protocol::params(payload.as_bytes());
    let mut input = vec![0, 2];
    input.extend([4, 0]);
    // The node target takes at most 255 payload bytes per message; the document
    // goes straight to the node here.
    let mut node = protocol::fuzz_node();
    let now = 1_700_000_000;
    let _ = node.handle(now, rainmaker_types::node::Input::Connected);
    let _ = node.handle(
        now,
        rainmaker_types::node::Input::Received {
            topic: "node/7C9EBD4A1B2C/params/remote",
            payload: payload.as_bytes(),
        },
    );
    protocol::node(&input);
}

#[test]
fn remote_init_is_no_topic_for_any_parser() {
    protocol::topic(b"node/N/params/remote/init");
    protocol::topic(b"$aws/rules/esp_set_params/node/N/params/remote/init");
    assert!(Topic::parse("node/N/params/remote/init").is_err());
    assert!(Channel::of_topic("node/N/params/remote/init").is_err());
}

#[test]
fn a_payload_over_the_limit_is_refused_before_parsing() {
    let huge = format!(r#"{{"D":{{"s":"{}"}}}}"#, "x".repeat(200 * 1024));
    assert_eq!(
        Message::decode(Channel::ParamsRemote, huge.as_bytes()),
        Err(DecodeError::TooLarge {
            len: huge.len(),
            max: 128 * 1024
        })
    );
    protocol::envelope(&envelope_input(
        Channel::ParamsRemote,
        false,
        huge.as_bytes(),
    ));
}

#[test]
fn long_ids_and_rules_give_short_errors() {
    let id = "i".repeat(100_000);
    let topic = format!("node/{id}/config");
    protocol::topic(topic.as_bytes());
    let error = Topic::parse(&topic).expect_err("too long");
    assert!(matches!(
        error.reason(),
        TopicErrorReason::InvalidId(IdError::TooLong { .. })
    ));
    assert!(error.to_string().len() < 1024);

    let rule = "r".repeat(100_000);
    let topic = format!("$aws/rules/{rule}/node/N/config");
    protocol::topic(topic.as_bytes());
    let error = Topic::parse(&topic).expect_err("unknown rule");
    assert!(
        error.to_string().len() < 1024,
        "{}",
        error.to_string().len()
    );
}

#[test]
fn a_bad_value_inside_an_unknown_property_fails_alike_in_both_decoders() {
    // Found by the envelope target: the owned tsdata keeps unknown properties and
    // names the path inside one; the view skips them and names the property.
    let payload = br#"{"ts_data_version":"2021-09-13","tsesp.param.intensity_data":[{"name":"Probe.Temperature","type":"esp.param.temperature","dt":"float","records":[{"t":1700000000,"v":nan}]}]}"#;
    protocol::envelope(&envelope_input(Channel::TsData, true, payload));
}

#[test]
fn invalid_utf8_in_a_skipped_property_is_refused_by_both_decoders() {
    // Found by the envelope target: the view skipped the property without checking
    // its UTF-8, the owned decoder did not; every payload's UTF-8 is now checked
    // first, so both refuse it at the same byte.
    let mut payload = br#"{"ts_data_version":"2021-09-13","x":"temper"#.to_vec();
    payload.extend([0xbd, 0xbd]);
    payload.extend(br#"ature","ts_data":[]}"#);
    protocol::envelope(&envelope_input(Channel::TsData, true, &payload));
    let Err(DecodeError::Json(error)) = Message::decode(Channel::TsData, &payload) else {
        panic!("invalid UTF-8 is refused");
    };
    assert_eq!((error.line(), error.column()), (1, 44), "{error}");
}

#[test]
fn a_control_character_in_a_skipped_string_fails_alike() {
    // Found by the envelope target: serde_json places the error apart when it
    // skips a string (the view) and when it reads one (the owned decoder).
    let payload = b"{\"ts_-ata_version\":\"2021\x01-09-13\",\"ts_data\":[]}";
    protocol::envelope(&envelope_input(Channel::TsData, true, payload));
    let payload = b"{\"x\":[{\"name\":\"T\",\"records\":[{\"\nt\":1}]}]}";
    protocol::envelope(&envelope_input(Channel::TsData, false, payload));
}

#[test]
fn an_array_where_an_object_belongs_is_refused_by_both_decoders() {
    // Found by the envelope target: serde's derive read a JSON array as a struct
    // (by position) in the view, while the owned type refused it; every generated
    // struct now reads objects only.
    let payload = br#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"T.t","dt":"float","records":[["t",1,"v",2]]}]}"#;
    protocol::envelope(&envelope_input(Channel::TsData, false, payload));
    assert!(Message::decode(Channel::TsData, payload).is_err());
}

#[test]
fn a_number_beyond_f64_in_an_unknown_property_is_refused_by_both_decoders() {
    // Found by the envelope target: the owned message keeps unknown properties and
    // refused the number; the view skipped it unread and failed later, on a
    // missing field, or not at all.
    let payload =
        br#"{"Floats":{"f_max":3402823466e1170418348},"name":"D.p","dt":"int","t":1,"v":1}"#;
    protocol::envelope(&envelope_input(Channel::SimpleTsData, true, payload));
    for decoded in [
        Message::decode(Channel::SimpleTsData, payload).map(drop),
        rainmaker_types::MessageRef::decode(Channel::SimpleTsData, payload).map(drop),
    ] {
        let Err(DecodeError::Json(error)) = decoded else {
            panic!("the number is refused: {decoded:?}");
        };
        assert!(error.path().starts_with("$.Floats"), "{error}");
    }
}

#[test]
fn a_float_cut_at_its_point_still_writes_json() {
    // Found by the envelope target: `%.5f` of a float from 1e27 to 1e28, cut at
    // the SDK's 29 characters, ended with the decimal point, and the encoding
    // did not decode again.
    let payload = br#"{"Floats":{"f":9999999762023526247432196300,"g":-1e27}}"#;
    protocol::envelope(&envelope_input(Channel::ParamsLocalInit, true, payload));
    let message = Message::decode(Channel::ParamsLocalInit, payload).expect("decodes");
    let bytes = message.encode().expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        r#"{"Floats":{"f":9999999762023525857561149440,"g":-1000000000000000013287555072}}"#
    );
}
