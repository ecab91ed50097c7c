//! Golden tests: each `golden/<case>.yaml` is generated and compared with the files in
//! `golden/<case>/`; `UPDATE_GOLDEN=1 cargo test -p rainmaker-codegen --test golden`
//! rewrites them. The golden outputs are also compiled here (against a stand-in of the
//! runtime, `support/runtime.rs`) and exercised.

#![allow(missing_docs)]

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "support/runtime.rs"]
mod runtime;
pub use runtime::*;

// Not every generated item is used by the tests below.
#[allow(dead_code, unused_imports)]
#[path = "golden/basic/mod.rs"]
mod basic;

/// The golden cases (a spec `golden/<case>.yaml` and its output `golden/<case>/`).
const CASES: &[&str] = &["basic"];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

#[test]
fn golden_outputs_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for case in CASES {
        let spec_path = golden_dir().join(format!("{case}.yaml"));
        let spec = rainmaker_codegen::Spec::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
        let files = rainmaker_codegen::generate(&spec).unwrap_or_else(|e| panic!("{case}: {e}"));
        let out = golden_dir().join(case);
        if update {
            files.write(&out).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        if let Some(diff) = files.diff(&out).unwrap_or_else(|e| panic!("{e}")) {
            failures.push(format!("{case}:\n{diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs differ (rerun with UPDATE_GOLDEN=1 to accept):\n{}",
        failures.join("\n")
    );
}

mod topics {
    use super::basic::topics::{
        Channel, Direction, GROUP_ID_MAX_LEN, INGEST_RULES, NODE_ID_PATTERN, Qos, Topic, TopicForm,
    };
    use super::{GroupId, IdError, NodeId, TopicErrorReason};

    fn node() -> NodeId {
        NodeId::new("7C9EBD4A1B2C").expect("valid id")
    }

    #[test]
    fn plain_and_ingest_forms_round_trip() {
        let topic = Topic::Config { node_id: node() };
        assert_eq!(topic.to_string(), "node/7C9EBD4A1B2C/config");
        let ingest = topic.ingest().expect("config has an ingest form");
        assert_eq!(
            ingest,
            "$aws/rules/esp_node_config/node/7C9EBD4A1B2C/config"
        );
        assert_eq!(
            Topic::parse(&ingest),
            Ok((topic.clone(), TopicForm::Ingest))
        );
        assert_eq!(
            Topic::parse("node/7C9EBD4A1B2C/config"),
            Ok((topic, TopicForm::Plain))
        );
    }

    #[test]
    fn every_channel_formats_and_parses_back() {
        for channel in Channel::ALL {
            let address = channel
                .address()
                .replace("{node_id}", "N1")
                .replace("{group_id}", "kitchen");
            let (topic, form) = Topic::parse(&address).expect(&address);
            assert_eq!(form, TopicForm::Plain);
            assert_eq!(topic.channel(), channel);
            assert_eq!(topic.to_string(), address);
            if let Some(ingest) = topic.ingest() {
                assert_eq!(
                    Topic::parse(&ingest),
                    Ok((topic.clone(), TopicForm::Ingest))
                );
            }
        }
    }

    #[test]
    fn init_wins_over_a_group_named_init() {
        let (topic, _) = Topic::parse("node/N1/params/local/init").expect("parses");
        assert_eq!(topic.channel(), Channel::ParamsLocalInit);
        let (topic, _) = Topic::parse("node/N1/params/local/kitchen").expect("parses");
        assert_eq!(
            topic,
            Topic::ParamsLocalGroup {
                node_id: NodeId::new("N1").expect("valid"),
                group_id: GroupId::new("kitchen").expect("valid"),
            }
        );
        assert_eq!(
            topic.group_id().map(ToString::to_string).as_deref(),
            Some("kitchen")
        );
    }

    #[test]
    fn channel_metadata_comes_from_the_spec() {
        assert_eq!(Channel::Presence.direction(), Direction::BrokerToCloud);
        assert_eq!(Channel::ParamsRemote.direction(), Direction::CloudToNode);
        assert_eq!(Channel::Config.qos().as_u8(), 1);
        assert_eq!(Channel::Config.qos(), Qos::AtLeastOnce);
        assert_eq!(Channel::ParamsRemote.ingest_rule(), None);
        assert!(!Channel::ParamsLocalGroup.sdk_uses_ingest());
        assert!(Channel::Config.sdk_uses_ingest());
        assert_eq!(
            Channel::Status.messages(),
            ["statusMessage", "alertMessage"]
        );
        assert!(INGEST_RULES.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(GROUP_ID_MAX_LEN, 32);
        assert_eq!(NODE_ID_PATTERN, "^[^/+#]+$");
    }

    fn error(topic: &str) -> (usize, TopicErrorReason) {
        let error = Topic::parse(topic).expect_err(topic);
        (error.segment, error.reason)
    }

    #[test]
    fn bad_topics_name_the_segment_and_the_reason() {
        use TopicErrorReason::*;
        assert_eq!(error("foo/N1/config"), (0, UnknownPrefix));
        assert_eq!(error("node/N1/nope"), (2, UnknownSuffix));
        assert_eq!(error("node/N1/config/extra"), (3, UnknownSuffix));
        assert_eq!(error("node/N1"), (2, MissingSegment));
        assert_eq!(error("node/N1/params/local"), (4, MissingSegment));
        assert_eq!(error("node//config"), (1, InvalidId(IdError::Empty)));
        assert_eq!(
            error("node/N+1/config"),
            (
                1,
                InvalidId(IdError::ForbiddenChar {
                    found: '+',
                    offset: 1
                })
            )
        );
        assert_eq!(
            error("$aws/rules/nope/node/N1/config"),
            (2, UnknownRule("nope".into()))
        );
        assert_eq!(
            error("$aws/rules/esp_init_params/node/N1/config"),
            (
                2,
                RuleMismatch {
                    expected: "esp_node_config"
                }
            )
        );
        assert_eq!(
            error("$aws/rules/esp_node_config/node/N1/nope"),
            (5, UnknownSuffix)
        );
        assert_eq!(error("$aws/rules/esp_node_config"), (3, MissingSegment));
        assert_eq!(
            error("$aws/rules/esp_node_config/node/N1/params/remote"),
            (2, NotIngestible)
        );
        assert_eq!(error(""), (0, UnknownPrefix));
    }

    #[test]
    fn of_topic_classifies_like_parse_without_allocating() {
        use TopicErrorReason::*;
        for channel in Channel::ALL {
            let address = channel
                .address()
                .replace("{node_id}", "N1")
                .replace("{group_id}", "kitchen");
            assert_eq!(Channel::of_topic(&address), Ok((channel, TopicForm::Plain)));
            let (topic, _) = Topic::parse(&address).expect("parses");
            if let Some(ingest) = topic.ingest() {
                assert_eq!(Channel::of_topic(&ingest), Ok((channel, TopicForm::Ingest)));
            }
        }
        assert_eq!(
            Channel::of_topic("node/N1/params/local/init"),
            Ok((Channel::ParamsLocalInit, TopicForm::Plain))
        );
        for topic in [
            "foo/N1/config",
            "node/N1/nope",
            "node/N1",
            "node//config",
            "node/N#/config",
            "$aws/rules/nope/node/N1/config",
            "$aws/rules/esp_init_params/node/N1/config",
            "$aws/rules/esp_node_config/node/N1/params/remote",
        ] {
            let classified = Channel::of_topic(topic).expect_err(topic);
            let parsed = Topic::parse(topic).expect_err(topic);
            assert_eq!(classified, parsed, "{topic}");
        }
        let long_group = format!("node/N1/params/local/{}", "g".repeat(GROUP_ID_MAX_LEN + 1));
        let error = Channel::of_topic(&long_group).expect_err("too long");
        assert_eq!(
            (error.segment, error.reason),
            (
                4,
                InvalidId(IdError::TooLong {
                    len: GROUP_ID_MAX_LEN + 1,
                    max: GROUP_ID_MAX_LEN
                })
            )
        );
    }

    #[test]
    fn from_str_accepts_both_forms() {
        let plain: Topic = "node/N1/otastatus".parse().expect("plain");
        let ingest: Topic = "$aws/rules/esp_node_otastatus/node/N1/otastatus"
            .parse()
            .expect("ingest");
        assert_eq!(plain, ingest);
        assert_eq!(
            plain.to_string_in(TopicForm::Plain).as_deref(),
            Some("node/N1/otastatus")
        );
        let remote: Topic = "node/N1/params/remote".parse().expect("plain");
        assert_eq!(remote.to_string_in(TopicForm::Ingest), None);
    }
}

mod messages {
    use super::basic::messages::{
        Alert, DataType, DisconnectReason, NodeConfig, OtaStatus, OtaStatusStatus, Presence,
    };
    use super::basic::{Envelope, Message, Topic, TopicForm};
    use super::{EncodeError, NodeId, ParamsDocument, Payload};

    const CONFIG: &str = r#"{"node_id":"N1","config_version":"2020-03-20","info":{"name":"Light","fw_version":"1.0","secure_boot_digest":{"k0":"ab","k1":null}},"devices":[{"name":"Light","type":"esp.device.lightbulb","params":[{"name":"Power","data_type":"bool","properties":["read","write"],"count":3}],"vendor":1}],"future":{"x":1}}"#;

    #[test]
    fn decode_then_encode_keeps_every_byte() {
        let config = NodeConfig::decode(CONFIG.as_bytes()).expect("decodes");
        assert_eq!(
            config.extra.get("future"),
            Some(&serde_json::json!({"x": 1}))
        );
        let digest = config.info.secure_boot_digest.as_ref().expect("present");
        assert_eq!(digest.get("k1"), Some(&None));
        assert_eq!(config.info.readme, None);
        let devices = config.devices.as_ref().expect("devices");
        assert_eq!(devices[0].r#type.as_deref(), Some("esp.device.lightbulb"));
        assert_eq!(devices[0].params[0].data_type, DataType::Bool);
        let encoded = config.encode().expect("encodes");
        assert_eq!(String::from_utf8(encoded).expect("utf-8"), CONFIG);
    }

    #[test]
    fn optional_nullable_keeps_missing_and_null_apart() {
        let with_null = r#"{"node_id":"N1","config_version":"x","info":{"name":"a","fw_version":"1","readme":null}}"#;
        let config = NodeConfig::decode(with_null.as_bytes()).expect("decodes");
        assert_eq!(config.info.readme, Some(None));
        assert_eq!(
            String::from_utf8(config.encode().expect("encodes")).expect("utf-8"),
            with_null
        );
    }

    #[test]
    fn open_and_closed_enums() {
        let presence =
            Presence::decode(br#"{"clientId":"N1","timestamp":5,"disconnectReason":"THROTTLED"}"#)
                .expect("decodes");
        assert_eq!(presence.client_id, "N1");
        assert_eq!(
            presence.disconnect_reason,
            Some(DisconnectReason::Other("THROTTLED".into()))
        );
        assert_eq!(
            DisconnectReason::from("CLIENT_ERROR"),
            DisconnectReason::ClientError
        );
        assert!(OtaStatus::decode(br#"{"status":"paused","ts":1}"#).is_err());
        let status = OtaStatus::decode(br#"{"status":"in-progress","ts":1}"#).expect("decodes");
        assert_eq!(status.status, OtaStatusStatus::InProgress);
        assert_eq!(OtaStatusStatus::InProgress.as_str(), "in-progress");
    }

    #[test]
    fn dispatch_by_topic() {
        let topic: Topic = "node/N1/otastatus".parse().expect("topic");
        let message = Message::decode(&topic, br#"{"esp.alert.str":"hot"}"#).expect("alert");
        assert!(matches!(message, Message::Alert(Alert::TextAlert(_))));
        let message = Message::decode(&topic, br#"{"status":"success","ts":9}"#).expect("status");
        assert_eq!(message.name(), "statusMessage");
        let envelope = Envelope::new(topic.clone(), message.clone()).expect("fits");
        let (text, bytes) = envelope.encode(TopicForm::Ingest).expect("encodes");
        assert_eq!(text, "$aws/rules/esp_node_otastatus/node/N1/otastatus");
        assert_eq!(bytes, br#"{"status":"success","ts":9}"#);
        let wrong = Topic::Config {
            node_id: NodeId::new("N1").expect("valid"),
        };
        assert_eq!(
            super::basic::encode(&wrong, &message),
            Err(EncodeError::WrongTopic {
                message: "statusMessage",
                topic: "node/N1/config".into()
            })
        );
        let (decoded, form) =
            Envelope::decode("node/N1/diagnostics/from-node", &[0xa1, 0x00]).expect("raw bytes");
        assert_eq!(form, TopicForm::Plain);
        assert!(matches!(decoded.message(), Message::Diagnostics(raw) if raw.0 == [0xa1, 0x00]));
        let params = Message::decode(&"node/N1/params/remote".parse().expect("topic"), b"{}")
            .expect("params");
        assert_eq!(params, Message::Params(ParamsDocument::default()));
        assert!(Envelope::decode("node/N1/config", b"{").is_err());
    }
}

mod standard_types {
    use super::basic::messages::{DataType, ParamProperty};
    use super::basic::standard_types::{
        DefaultBounds, DeviceType, ParamType, STANDARD_SERVICES, ServiceType, UiType,
    };

    #[test]
    fn param_defaults() {
        let hue = ParamType::from("esp.param.hue")
            .defaults()
            .expect("hue has defaults");
        assert_eq!(hue.name, "Hue");
        assert_eq!(hue.data_type, DataType::Int);
        assert_eq!(hue.properties, [ParamProperty::Read, ParamProperty::Write]);
        assert_eq!(hue.ui_type, Some(UiType::HueSlider));
        assert_eq!(
            hue.bounds,
            Some(DefaultBounds {
                min: Some(0.0),
                max: Some(360.0),
                step: Some(1.0)
            })
        );
        let tz = ParamType::TzPosix.defaults().expect("defaults");
        assert_eq!(tz.name, "TZ-POSIX");
        assert!(tz.persist);
        assert_eq!(ParamType::Mode.defaults(), None);
        assert_eq!(
            ParamType::from("vendor.param.x"),
            ParamType::Other("vendor.param.x".into())
        );
        assert_eq!(ParamType::Other("x".into()).defaults(), None);
    }

    #[test]
    fn devices_and_services() {
        assert_eq!(
            DeviceType::from("esp.device.other"),
            DeviceType::DeviceOther
        );
        let bulb = DeviceType::Lightbulb.constructor().expect("constructor");
        assert_eq!(bulb.params, ["Name", "Power"]);
        assert_eq!(bulb.primary, Some("Power"));
        assert_eq!(STANDARD_SERVICES[1].service_type, ServiceType::Schedule);
        assert_eq!(
            STANDARD_SERVICES[1].attributes,
            [("daylight_support", "yes")]
        );
        let json = serde_json::to_string(&UiType::Toggle).expect("serializes");
        assert_eq!(json, "\"esp.ui.toggle\"");
        let custom: UiType = serde_json::from_str("\"acme.ui.knob\"").expect("open set");
        assert_eq!(custom.as_str(), "acme.ui.knob");
        assert!(!custom.is_known());
    }
}
