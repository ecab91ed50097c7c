//! What each construct of the test documents (`codegen/tests/documents/`) becomes in
//! the generated code, exercised through its public API.

use rainmaker_codegen_contract::{
    doc_addresses, doc_bindings, doc_catalogue, doc_messages, doc_names, doc_schemas,
};
use rainmaker_types::runtime::payload::{decode_json as decode, encode_json as encode};
use rainmaker_types::runtime::{IdError, Qos, TopicErrorReason};
use rainmaker_types::{DecodeError, DispatchError};

mod addresses {
    use super::*;
    use doc_addresses::topics::{Device, Symbol};
    use doc_addresses::{Channel, Topic, TopicRef};

    fn reason(topic: &str) -> (usize, TopicErrorReason) {
        let error = Topic::parse(topic).expect_err(topic);
        (error.segment(), error.reason().clone())
    }

    #[test]
    fn a_leading_slash_and_an_enum_parameter() {
        let topic = Topic::parse("/v1/1inchusd").expect("parses");
        assert_eq!(
            topic,
            Topic::LeadingSlash {
                symbol: Symbol::V1inchusd
            }
        );
        assert_eq!(topic.to_string(), "/v1/1inchusd");
        assert_eq!(Symbol::EthUsd.as_str(), "eth-usd");
        assert_eq!(
            reason("/v1/doge"),
            (2, TopicErrorReason::InvalidId(IdError::NotListed))
        );
        assert_eq!(Channel::LeadingSlash.filter(), "/v1/+");
    }

    #[test]
    fn a_segment_that_mixes_text_and_a_parameter() {
        let topic = TopicRef::parse("groups/params-kitchen/state").expect("parses");
        assert_eq!(
            topic,
            TopicRef::Mixed {
                group_info_str: "kitchen"
            }
        );
        assert_eq!(topic.to_string(), "groups/params-kitchen/state");
        // The pattern `^[a-z0-9]{2,8}$` is checked.
        assert_eq!(
            reason("groups/params-Kitchen/state"),
            (
                1,
                TopicErrorReason::InvalidId(IdError::Pattern {
                    pattern: "^[a-z0-9]{2,8}$"
                })
            )
        );
        // Without the text around it, the segment matches no channel.
        assert_eq!(
            reason("groups/kitchen/state"),
            (1, TopicErrorReason::UnknownPrefix)
        );
        assert_eq!(Channel::Mixed.filter(), "groups/+/state");
    }

    #[test]
    fn parameters_named_like_runtime_items_are_checked_types() {
        let topic = Topic::parse("devices/d1/p1/echo").expect("parses");
        let Topic::Both { device, payload } = &topic else {
            panic!("{topic:?}");
        };
        assert_eq!((device.as_str(), payload.as_str()), ("d1", "p1"));
        assert_eq!(
            Device::new("123456789"),
            Err(IdError::TooLong { len: 9, max: 8 })
        );
        assert_eq!(
            reason("devices/123456789/p1/echo"),
            (
                1,
                TopicErrorReason::InvalidId(IdError::TooLong { len: 9, max: 8 })
            )
        );
        assert_eq!(
            reason("devices//p1/echo"),
            (1, TopicErrorReason::InvalidId(IdError::Empty))
        );
    }

    #[test]
    fn operations_say_who_sends_and_who_receives() {
        let ways = |channel: Channel| (channel.info().sends, channel.info().receives);
        assert_eq!(ways(Channel::Both), (true, true));
        assert_eq!(ways(Channel::LeadingSlash), (true, false));
        assert_eq!(ways(Channel::Mixed), (false, true));
        assert_eq!(ways(Channel::Unused), (false, false));
        assert!(Topic::parse("unused/t1").is_ok());
    }

    #[test]
    fn mqtt_wildcards_are_wildcards() {
        let topic = Topic::parse("sensors/attic/temperature").expect("parses");
        assert_eq!(
            topic,
            Topic::Single {
                segment_1: "attic".to_owned()
            }
        );
        assert_eq!(Channel::Single.filter(), "sensors/+/temperature");
        for (text, rest) in [("logs", ""), ("logs/a", "a"), ("logs/a/b/c", "a/b/c")] {
            let topic = Topic::parse(text).expect(text);
            assert_eq!(
                topic,
                Topic::Multi {
                    rest: rest.to_owned()
                }
            );
            assert_eq!(topic.to_string(), text);
        }
        assert_eq!(Channel::Multi.filter(), "logs/#");
    }
}

mod bindings {
    use super::*;
    use doc_bindings::Channel;

    #[test]
    fn qos_and_retain_come_from_operations_channels_messages_and_traits() {
        let expected = [
            (Channel::AtMostOnce, Qos::AtMostOnce, false),
            (Channel::AtLeastOnce, Qos::AtLeastOnce, true),
            (Channel::ExactlyOnce, Qos::ExactlyOnce, false),
            (Channel::FromTrait, Qos::AtLeastOnce, false),
            (Channel::FromChannel, Qos::AtLeastOnce, false),
            (Channel::FromMessage, Qos::ExactlyOnce, true),
        ];
        for (channel, qos, retain) in expected {
            assert_eq!(
                (channel.qos(), channel.info().retain),
                (qos, retain),
                "{channel:?}"
            );
        }
    }
}

mod messages {
    use super::*;
    use doc_messages::messages::{Item, Reading, TraitedHeaders};
    use doc_messages::{Channel, Envelope, Message};

    fn dispatch(topic: &str, payload: &[u8]) -> Message {
        Envelope::decode(topic, payload)
            .unwrap_or_else(|error| panic!("{topic}: {error}"))
            .into_parts()
            .1
    }

    #[test]
    fn payloads_follow_the_content_type() {
        assert_eq!(dispatch("text", b"on"), Message::Line("on".to_owned()));
        assert_eq!(
            Envelope::decode("text", b"o\xffn").map(|_| ()),
            Err(DispatchError::Payload(DecodeError::Text { offset: 1 }))
        );
        assert_eq!(
            dispatch("binary", &[0, 159, 255]),
            Message::Blob(vec![0, 159, 255])
        );
        assert_eq!(dispatch("scalars", b"42"), Message::Count(42));
        assert_eq!(
            dispatch("arrays", br#"[{"id":1}]"#),
            Message::List(vec![Item::new(1)])
        );
        // Every message round-trips through `encode`.
        let message = Message::Line("off".to_owned());
        assert_eq!(message.encode().as_deref(), Ok(&b"off"[..]));
    }

    #[test]
    fn messages_from_other_files_and_traits() {
        assert_eq!(
            dispatch("external/readings", br#"{"sensor":"s1","celsius":20}"#),
            Message::Reading(Reading::new("s1", 20.0))
        );
        // The operation trait gives QoS 2; the message trait gives the headers type.
        assert_eq!(Channel::Components.qos(), Qos::ExactlyOnce);
        let headers = TraitedHeaders {
            request_id: Some("r1".to_owned()),
            ..Default::default()
        };
        assert_eq!(
            super::decode::<TraitedHeaders>(br#"{"requestId":"r1"}"#).as_ref(),
            Ok(&headers)
        );
    }

    #[test]
    fn a_channel_with_two_messages_tries_each() {
        let names: Vec<&str> = Channel::Binary
            .messages()
            .iter()
            .map(|kind| kind.document_name())
            .collect();
        assert_eq!(names, ["blob", "cbor"]);
        assert!(matches!(dispatch("binary", b"x"), Message::Blob(_)));
    }

    #[test]
    fn marked_messages_have_borrowed_views() {
        use doc_messages::{EnvelopeRef, MessageRef};
        let payload = br#"{"sensor":"s1","celsius":20}"#;
        let envelope = EnvelopeRef::decode("external/readings", payload).expect("decodes");
        let MessageRef::Reading(reading) = envelope.message() else {
            panic!("{envelope:?}");
        };
        // The sensor name borrows from the payload (an alias of a string).
        assert!(reading.sensor.is_borrowed());
        assert_eq!((reading.sensor.as_str(), reading.celsius), ("s1", 20.0));
        let list = br#"[{"id":1,"label":"one"},{"id":2}]"#;
        let Ok(MessageRef::List(items)) = MessageRef::decode(Channel::Arrays, list) else {
            panic!("list");
        };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label.as_deref(), Some("one"));
        // Bytes are the payload itself; unmarked messages keep their owned type.
        let bytes = [0, 159, 255];
        assert_eq!(
            MessageRef::decode(Channel::Binary, &bytes),
            Ok(MessageRef::Blob(&bytes[..]))
        );
        assert_eq!(
            MessageRef::decode(Channel::Text, b"on"),
            Ok(MessageRef::Line("on".to_owned()))
        );
        // Errors are the owned decoder's.
        assert_eq!(
            MessageRef::decode(Channel::Arrays, br#"[{"id":"x"}]"#),
            Err(Message::decode(Channel::Arrays, br#"[{"id":"x"}]"#).expect_err("bad id"))
        );
    }
}

mod schemas {
    use super::*;
    use doc_schemas::messages::{Level, Ratio, Record, Shape, Value};

    #[test]
    fn all_of_parts_merge_into_one_struct_and_one_of_picks_the_member_that_fits() {
        let circle =
            decode::<Shape>(br#"{"kind":"circle","id":"c","radius":1.5}"#).expect("circle");
        let Shape::Circle(circle) = circle else {
            panic!("{circle:?}");
        };
        assert_eq!((circle.id.as_str(), circle.radius), ("c", 1.5));
        let square = decode::<Shape>(br#"{"kind":"square","id":"s","side":2}"#).expect("square");
        assert!(matches!(square, Shape::Square(_)));
        assert!(decode::<Shape>(br#"{"kind":"triangle","id":"t"}"#).is_err());
    }

    #[test]
    fn enums_of_numbers_booleans_and_null() {
        assert_eq!(decode::<Level>(b"2"), Ok(Level::V2));
        assert!(decode::<Level>(b"4").is_err());
        assert_eq!(encode(&Level::V3).as_deref(), Ok(&b"3"[..]));
        assert_eq!(decode::<Ratio>(b"-1"), Ok(Ratio::Minus1));
        // `null` among the values makes the property an `Option`.
        let record = decode::<Record>(br#"{"id":"r","level":1,"ratio":null}"#).expect("decodes");
        assert_eq!(record.ratio, Some(None));
        assert!(decode::<Ratio>(b"null").is_err());
        assert_eq!(decode::<Ratio>(b"true"), Ok(Ratio::True));
        assert_eq!(encode(&Ratio::V1_5).as_deref(), Ok(&b"1.5"[..]));
    }

    #[test]
    fn nullable_properties_keep_null_and_missing_apart() {
        let record = decode::<Record>(br#"{"id":"r","level":1,"nickname":null}"#).expect("decodes");
        assert_eq!(record.nickname, Some(None));
        assert_eq!(record.parent, None);
        let encoded = encode(&record).expect("encodes");
        assert_eq!(encoded, br#"{"id":"r","level":1,"nickname":null}"#);
    }

    #[test]
    fn recursive_schemas_and_typed_additional_properties() {
        let record = decode::<Record>(
            br#"{"id":"a","level":1,"child":{"id":"b","level":2},"tags":{"x":1},"other":{"k":true}}"#,
        )
        .expect("decodes");
        let child = record.child.as_deref().expect("a child");
        assert_eq!(child.id, "b");
        assert_eq!(
            record.tags.as_ref().and_then(|tags| tags.get("x")),
            Some(&1)
        );
        // `additionalProperties: {type: object}` types the map of unknown keys.
        assert!(record.extra.contains_key("other"));
        assert!(decode::<Record>(br#"{"id":"a","level":1,"other":3}"#).is_err());
    }

    #[test]
    fn any_of_with_inline_members() {
        assert_eq!(
            decode::<Value>(br#""hi""#),
            Ok(Value::String("hi".to_owned()))
        );
        assert_eq!(decode::<Value>(b"7"), Ok(Value::Integer(7)));
        assert!(matches!(
            decode::<Value>(br#"{"wrapped":true}"#),
            Ok(Value::Value3(_))
        ));
        // The inline object is closed: an unknown key does not fit any member.
        assert!(decode::<Value>(br#"{"wrapped":true,"x":1}"#).is_err());
    }
}

mod names {
    use super::*;
    use doc_names::messages::{Option as Options, OptionVersion};

    #[test]
    fn clashing_names_get_distinct_rust_names() {
        let value = decode::<Options>(
            br#"{"type":"a","self":1,"fooBar":"x","foo_bar":"y","version":"2020-03-20"}"#,
        )
        .expect("decodes");
        assert_eq!(value.r#type.as_deref(), Some("a"));
        assert_eq!(value.self_, Some(1));
        assert_eq!(
            (value.foo_bar.as_deref(), value.foo_bar2.as_deref()),
            (Some("x"), Some("y"))
        );
        assert_eq!(value.version, Some(OptionVersion::V2020_03_20));
        assert_eq!("v1.2".parse(), Ok(OptionVersion::V1_2));
        assert_eq!("V1_2".parse(), Ok(OptionVersion::V1_2_2));
        let error = "2021".parse::<OptionVersion>().expect_err("not a value");
        assert_eq!(error.to_string(), "`2021` is not a value of OptionVersion");
    }
}

mod catalogue {
    use super::*;
    use doc_catalogue::messages::{DataType, Entry, EntryType, Param};
    use doc_catalogue::standard_types::{DeviceType, ParamType, ServiceType, UiType};

    #[test]
    fn fields_are_typed_with_the_catalogue_enums() {
        let entry: Entry = decode(
            br#"{"name":"Lamp","type":"acme.device.lamp","params":[{"name":"Power","type":"acme.param.power","data_type":"bool","ui_type":"acme.ui.toggle"}]}"#,
        )
        .expect("decodes");
        assert_eq!(entry.r#type, Some(EntryType::Device(DeviceType::Lamp)));
        let params = entry.params.as_deref().unwrap_or_default();
        assert_eq!(params[0].r#type, Some(ParamType::Power));
        assert_eq!(params[0].ui_type, Some(UiType::Toggle));
        // The catalogue's own knowledge is one call away from the decoded field.
        let defaults = ParamType::Power.defaults().expect("Power has defaults");
        assert_eq!(defaults.ui_type, Some(UiType::Toggle));
        assert_eq!(
            DeviceType::Lamp.constructor().map(|c| c.primary),
            Some(Some("Power"))
        );
    }

    #[test]
    fn a_union_of_lists_keeps_each_value_in_its_own_list() {
        assert_eq!(
            EntryType::from("acme.service.clock"),
            EntryType::Service(ServiceType::Clock)
        );
        assert_eq!(
            EntryType::from("my.kettle"),
            EntryType::Other("my.kettle".into())
        );
        assert!(!EntryType::from("my.kettle").is_known());
        // Built from a list's enum, an unlisted value still lands in `Other`, so
        // equal wire strings are equal values.
        assert_eq!(
            EntryType::from(DeviceType::Other("acme.service.clock".into())),
            EntryType::Service(ServiceType::Clock)
        );
        assert_eq!(EntryType::from(DeviceType::Fan).as_str(), "acme.device.fan");
        assert_eq!(
            EntryType::Device(DeviceType::Fan).to_string(),
            "acme.device.fan"
        );
    }

    #[test]
    fn values_the_catalogue_does_not_list_round_trip() {
        let bytes = br#"{"name":"Kettle","type":"my.kettle","params":[{"name":"Level","type":"my.level","data_type":"int"}]}"#;
        let entry: Entry = decode(bytes).expect("decodes");
        assert_eq!(entry.r#type, Some(EntryType::Other("my.kettle".into())));
        let mut param = Param::new("Level", DataType::Int);
        param.r#type = Some(ParamType::Other("my.level".into()));
        assert_eq!(entry.params.as_deref(), Some(&[param][..]));
        assert_eq!(encode(&entry).expect("encodes"), bytes);
    }
}
