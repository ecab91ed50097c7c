//! What each construct of the test documents (`codegen/tests/documents/`) becomes in
//! the generated code, exercised through its public API.

use rainmaker_codegen_contract::{
    doc_addresses, doc_bindings, doc_catalogue, doc_messages, doc_names, doc_schemas,
    doc_validation,
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

mod validation {
    use super::*;
    use doc_validation::messages::{Batch, Reading};
    use doc_validation::{Channel, Envelope, EnvelopeRef, Message};
    use rainmaker_types::runtime::EncodeError;
    use rainmaker_types::runtime::validate::{Format, Keyword, Limit, Violation};
    use serde_json::{Value, json};

    const TOPIC: &str = "sites/s1/readings";

    /// The smallest valid reading, with `change` applied to it.
    fn reading(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
        let mut value = json!({"sensor": "ABC", "level": 50});
        if let Value::Object(map) = &mut value {
            change(map);
        }
        serde_json::to_vec(&value).expect("JSON")
    }

    /// Decodes `payload` owned and borrowed; both refuse it with the same violation,
    /// which is returned.
    fn violation(payload: &[u8]) -> Violation {
        let owned = Envelope::decode(TOPIC, payload).expect_err("refused");
        let borrowed = EnvelopeRef::decode(TOPIC, payload).expect_err("refused borrowed");
        assert_eq!(owned, borrowed, "{}", String::from_utf8_lossy(payload));
        match owned {
            DispatchError::Payload(DecodeError::Violation(violation)) => violation,
            other => panic!("{}: {other:?}", String::from_utf8_lossy(payload)),
        }
    }

    #[test]
    fn every_keyword_is_enforced_with_path_keyword_and_limit() {
        let cases: Vec<(Vec<u8>, &str, Keyword, Limit)> = vec![
            (
                reading(|r| {
                    r.insert("sensor".into(), json!("abc"));
                }),
                "$.sensor",
                Keyword::Pattern,
                Limit::Pattern("^[A-Z]{3}$"),
            ),
            (
                reading(|r| {
                    r.insert("label".into(), json!(""));
                }),
                "$.label",
                Keyword::MinLength,
                Limit::Count {
                    actual: 0,
                    limit: 1,
                },
            ),
            (
                // Nine characters, eighteen bytes: length counts characters.
                reading(|r| {
                    r.insert("label".into(), json!("ééééééééé"));
                }),
                "$.label",
                Keyword::MaxLength,
                Limit::Count {
                    actual: 9,
                    limit: 8,
                },
            ),
            (
                reading(|r| {
                    r.insert("level".into(), json!(101));
                }),
                "$.level",
                Keyword::Maximum,
                Limit::Number {
                    actual: 101.0,
                    limit: 100.0,
                },
            ),
            (
                reading(|r| {
                    r.insert("level".into(), json!(-1));
                }),
                "$.level",
                Keyword::Minimum,
                Limit::Number {
                    actual: -1.0,
                    limit: 0.0,
                },
            ),
            (
                reading(|r| {
                    r.insert("ratio".into(), json!(1.0));
                }),
                "$.ratio",
                Keyword::ExclusiveMaximum,
                Limit::Number {
                    actual: 1.0,
                    limit: 1.0,
                },
            ),
            (
                reading(|r| {
                    r.insert("ratio".into(), json!(0));
                }),
                "$.ratio",
                Keyword::ExclusiveMinimum,
                Limit::Number {
                    actual: 0.0,
                    limit: 0.0,
                },
            ),
            (
                reading(|r| {
                    r.insert("step".into(), json!(3.0));
                }),
                "$.step",
                Keyword::MultipleOf,
                Limit::Number {
                    actual: 3.0,
                    limit: 2.5,
                },
            ),
            (
                reading(|r| {
                    r.insert("tags".into(), json!([]));
                }),
                "$.tags",
                Keyword::MinItems,
                Limit::Count {
                    actual: 0,
                    limit: 1,
                },
            ),
            (
                reading(|r| {
                    r.insert("tags".into(), json!(["a", "b", "c", "d"]));
                }),
                "$.tags",
                Keyword::MaxItems,
                Limit::Count {
                    actual: 4,
                    limit: 3,
                },
            ),
            (
                reading(|r| {
                    r.insert("tags".into(), json!(["a", "b", "a"]));
                }),
                "$.tags",
                Keyword::UniqueItems,
                Limit::Repeated(2),
            ),
            (
                reading(|r| {
                    r.insert("tags".into(), json!(["a", "long!"]));
                }),
                "$.tags[1]",
                Keyword::MaxLength,
                Limit::Count {
                    actual: 5,
                    limit: 4,
                },
            ),
            (
                reading(|r| {
                    r.insert("limits".into(), json!({}));
                }),
                "$.limits",
                Keyword::MinProperties,
                Limit::Count {
                    actual: 0,
                    limit: 1,
                },
            ),
            (
                reading(|r| {
                    r.insert("limits".into(), json!({"high limit": 11}));
                }),
                r#"$.limits["high limit"]"#,
                Keyword::Maximum,
                Limit::Number {
                    actual: 11.0,
                    limit: 10.0,
                },
            ),
            (
                reading(|r| {
                    r.insert("when".into(), json!("2024-02-30T00:00:00Z"));
                }),
                "$.when",
                Keyword::Format,
                Limit::Format(Format::DateTime),
            ),
            (
                reading(|r| {
                    r.insert("contact".into(), json!("ops at example.com"));
                }),
                "$.contact",
                Keyword::Format,
                Limit::Format(Format::Email),
            ),
            (
                reading(|r| {
                    r.insert("id".into(), json!("123e4567"));
                }),
                "$.id",
                Keyword::Format,
                Limit::Format(Format::Uuid),
            ),
            (
                reading(|r| {
                    r.insert("address".into(), json!("192.168.0.256"));
                }),
                "$.address",
                Keyword::Format,
                Limit::Format(Format::Ipv4),
            ),
            (
                reading(|r| {
                    r.insert("link".into(), json!("example.com"));
                }),
                "$.link",
                Keyword::Format,
                Limit::Format(Format::Uri),
            ),
            (
                reading(|r| {
                    r.insert("unit".into(), json!("C"));
                }),
                "$",
                Keyword::DependentRequired,
                Limit::Property("offset".to_owned()),
            ),
            (
                // A named scalar's rules hold where it is used.
                reading(|r| {
                    r.insert("code".into(), json!("ABCD"));
                }),
                "$.code",
                Keyword::MaxLength,
                Limit::Count {
                    actual: 4,
                    limit: 3,
                },
            ),
            (
                // Inside the member of a `oneOf` that has the value's shape.
                reading(|r| {
                    r.insert("kind".into(), json!({"count": 0}));
                }),
                "$.kind.count",
                Keyword::Minimum,
                Limit::Number {
                    actual: 0.0,
                    limit: 1.0,
                },
            ),
        ];
        for (payload, path, keyword, limit) in cases {
            let violation = violation(&payload);
            let text = String::from_utf8_lossy(&payload);
            assert_eq!(violation.path(), path, "{text}");
            assert_eq!(violation.keyword(), keyword, "{text}");
            assert_eq!(violation.limit(), &limit, "{text}");
            assert!(violation.to_string().starts_with(path), "{violation}");
        }
    }

    #[test]
    fn property_counts_and_unknown_properties() {
        let one = br#"{"sensor":"ABC"}"#;
        // `level` is required: a missing required property is the type's error.
        assert!(matches!(
            Envelope::decode(TOPIC, one),
            Err(DispatchError::Payload(DecodeError::Json(_)))
        ));
        // `additionalProperties: false` refuses an unknown key, in both decoders.
        let unknown = reading(|r| {
            r.insert("colour".into(), json!("red"));
        });
        let owned = Envelope::decode(TOPIC, &unknown).expect_err("unknown key");
        assert_eq!(
            EnvelopeRef::decode(TOPIC, &unknown).expect_err("unknown key"),
            owned
        );
        assert!(owned.to_string().contains("colour"), "{owned}");
    }

    #[test]
    fn a_message_that_decodes_is_one_the_schema_allows() {
        let valid = reading(|r| {
            r.insert("label".into(), json!("ééééééé"));
            r.insert("tags".into(), json!(["a", "b"]));
            r.insert("unit".into(), json!("C"));
            r.insert("offset".into(), json!(-2));
            r.insert("step".into(), json!(-7.5));
        });
        let envelope = Envelope::decode(TOPIC, &valid).expect("valid");
        let Message::Reading(reading) = envelope.message() else {
            panic!("{envelope:?}");
        };
        assert_eq!(reading.validate(), Ok(()));
        assert!(EnvelopeRef::decode(TOPIC, &valid).is_ok());
    }

    #[test]
    fn values_built_in_code_are_checked_and_encoding_refuses_them() {
        let mut reading: Reading = decode(&reading(|_| {})).expect("valid");
        reading.level = 500;
        let violation = reading.validate().expect_err("over the maximum");
        assert_eq!(
            (violation.path(), violation.keyword()),
            ("$.level", Keyword::Maximum)
        );
        assert_eq!(
            Message::Reading(Box::new(reading.clone())).encode(),
            Err(EncodeError::Violation(violation.clone()))
        );
        assert_eq!(
            rainmaker_types::runtime::Payload::encode(&reading),
            Err(EncodeError::Violation(violation))
        );

        let batch = Batch::new(vec![1, 2, 3, 4, 5]);
        assert_eq!(
            Message::Batch(batch.clone())
                .encode()
                .map_err(|e| e.to_string()),
            Err("payload breaks its schema: $.readings: 5 items, over `maxItems` 4".to_owned())
        );
        let negative: Result<Batch, _> = decode(br#"{"readings":[1,-2]}"#);
        assert!(negative.is_ok(), "serde alone does not check the rules");
        let refused = rainmaker_types::runtime::Payload::decode(br#"{"readings":[1,-2]}"#)
            .map(|batch: Batch| batch.readings);
        let Err(DecodeError::Violation(violation)) = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(violation.path(), "$.readings[1]");
        let _ = (encode::<Batch>, Channel::ALL);
    }
}
