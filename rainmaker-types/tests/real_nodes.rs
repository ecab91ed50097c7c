//! Payloads exactly as real nodes (the C SDK) and cloud clients put them on the wire
//! (docs/protocol.md): they decode, keep what they carry, and
//! re-encode to the same JSON (byte for byte through `sdk_json` where the SDK's `%.5f`
//! floats are involved). Malformed payloads give typed errors naming the JSON path.

use rainmaker_test_support::node::NODE_ID;
use rainmaker_types::messages::{
    Alert, DataType, NodeConfig, NodeConfigVersion, NodeInfoPlatform, OtaJobStatus, ParamProperty,
};
use rainmaker_types::runtime::{JsonError, JsonErrorKind};
use rainmaker_types::{
    Channel, DecodeError, DispatchError, Envelope, EnvelopeRef, Message, ParamValue,
    ParamsDocument, TopicForm, sdk_json,
};
use serde_json::{Value, json};

/// Decodes a payload of `channel`, panicking with the error.
fn decode(channel: Channel, bytes: &[u8]) -> Message {
    Message::decode(channel, bytes).unwrap_or_else(|error| {
        panic!(
            "{channel}: {error}\npayload: {}",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// The JSON error of a payload that must not decode on `channel`.
fn json_error(channel: Channel, bytes: &[u8]) -> JsonError {
    match Message::decode(channel, bytes) {
        Err(DecodeError::Json(error)) => error,
        other => panic!(
            "{channel}: expected a JSON error, got {other:?}\npayload: {}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

/// The message re-encoded, as a JSON value.
fn reencoded(message: &Message) -> Value {
    let bytes = message
        .encode()
        .unwrap_or_else(|error| panic!("{}: {error}", message.name()));
    serde_json::from_slice(&bytes).unwrap_or_else(|error| panic!("{}: {error}", message.name()))
}

fn value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("test payloads are valid JSON")
}

/// Asserts that re-encoding keeps every key and value of the payload.
fn assert_json_round_trip(message: &Message, bytes: &[u8]) {
    assert_eq!(
        reencoded(message),
        value(bytes),
        "{} re-encodes to other JSON",
        message.name()
    );
}

/// Asserts that the SDK's own writer would produce exactly these bytes.
fn assert_sdk_bytes<T: serde::Serialize>(payload: &T, bytes: &[u8]) {
    let written = sdk_json::to_vec(payload).expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(bytes),
        "sdk_json output differs from the SDK's bytes"
    );
}

fn as_config(message: &Message) -> &NodeConfig {
    match message {
        Message::NodeConfig(config) => config,
        other => panic!("decoded as {}", other.name()),
    }
}

fn document(message: &Message) -> &ParamsDocument {
    match message {
        Message::ParamsLocalInit(doc)
        | Message::ParamsLocal(doc)
        | Message::ParamsRemote(doc)
        | Message::ParamsLocalGroup(doc)
        | Message::ParamsRemoteGroup(doc) => doc,
        other => panic!("{} is not a params document", other.name()),
    }
}

// ------------------------------------------------------------------ node config

/// A sensor config as the SDK writes it: `%.5f` float bounds, `simple_ts`,
/// `services:[]` next to devices.
const SENSOR_CONFIG: &[u8] = br#"{"node_id":"7C9EBD4A1B2C","config_version":"2020-03-20","info":{"name":"Sensor Node","fw_version":"2.1.0","type":"Sensor","model":"temperature_sensor","project_name":"temperature_sensor","platform":"esp32s3"},"attributes":[{"name":"cmd-resp","value":"1"}],"devices":[{"name":"Temperature Sensor","type":"esp.device.temperature-sensor","primary":"Temperature","params":[{"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},{"name":"Temperature","type":"esp.param.temperature","data_type":"float","properties":["read","time_series"],"ui_type":"esp.ui.text"},{"name":"Humidity","data_type":"float","properties":["read","simple_ts"],"bounds":{"min":0.00000,"max":100.00000,"step":0.50000},"ui_type":"esp.ui.slider"}]}],"services":[]}"#;

#[test]
fn sdk_config_with_float_bounds_simple_ts_and_empty_services() {
    // The SDK publishes its config on the basic-ingest alias.
    let topic = format!("$aws/rules/esp_node_config/node/{NODE_ID}/config");
    let envelope = Envelope::decode(&topic, SENSOR_CONFIG).expect("decodes");
    assert_eq!(envelope.form(), TopicForm::Ingest);
    let config = as_config(envelope.message());
    assert_eq!(config.config_version, NodeConfigVersion::V2020_03_20);
    assert_eq!(config.info.platform, NodeInfoPlatform::Esp32s3);
    assert_eq!(config.services.as_deref().map(<[_]>::len), Some(0));
    let devices = config.devices.as_deref().expect("devices");
    let params = devices[0].params.as_deref().expect("params");
    let humidity = &params[2];
    assert_eq!(humidity.data_type, DataType::Float);
    assert_eq!(
        humidity.properties,
        [ParamProperty::Read, ParamProperty::SimpleTs]
    );
    assert_eq!(
        serde_json::to_value(&humidity.bounds).expect("encodes"),
        json!({"min": 0.0, "max": 100.0, "step": 0.5})
    );
    assert_eq!(
        params[1].properties,
        [ParamProperty::Read, ParamProperty::TimeSeries]
    );
    assert_json_round_trip(envelope.message(), SENSOR_CONFIG);
    assert_sdk_bytes(config, SENSOR_CONFIG);
}

/// The led_light config of docs/protocol.md: int bounds and `{"max":10}` array bounds.
const LIGHT_CONFIG: &[u8] = br#"{"node_id":"7C9EBD4A1B2C","config_version":"2020-03-20","info":{"name":"ESP RainMaker Device","fw_version":"1.0","type":"Lightbulb","model":"led_light","project_name":"led_light","platform":"esp32c3"},"attributes":[{"name":"cmd-resp","value":"1"}],"devices":[{"name":"Light","type":"esp.device.lightbulb","primary":"Power","params":[{"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},{"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"},{"name":"Brightness","type":"esp.param.brightness","data_type":"int","properties":["read","write"],"bounds":{"min":0,"max":100,"step":1},"ui_type":"esp.ui.slider"}]}],"services":[{"name":"Schedule","type":"esp.service.schedule","attributes":[{"name":"daylight_support","value":"yes"}],"params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array","properties":["read","write"],"bounds":{"max":10}}]}]}"#;

#[test]
fn sdk_config_int_and_array_bounds_stay_integers() {
    let message = decode(Channel::NodeConfig, LIGHT_CONFIG);
    let config = as_config(&message);
    let light = &config.devices.as_deref().expect("devices")[0];
    let schedule = &config.services.as_deref().expect("services")[0];
    let cases = [
        (
            light,
            2,
            DataType::Int,
            json!({"min": 0, "max": 100, "step": 1}),
        ),
        (schedule, 0, DataType::Array, json!({"max": 10})),
    ];
    for (entry, index, data_type, bounds) in cases {
        let param = &entry.params.as_deref().expect("params")[index];
        assert_eq!(param.data_type, data_type, "{}", param.name);
        assert_eq!(
            serde_json::to_value(&param.bounds).expect("encodes"),
            bounds,
            "{}: bounds must re-encode as integers",
            param.name
        );
    }
    assert_json_round_trip(&message, LIGHT_CONFIG);
    assert_sdk_bytes(config, LIGHT_CONFIG);
}

#[test]
fn optional_config_keys_may_be_missing() {
    // No attributes, no devices/services, no subtype/readme; a device with only a name.
    let bare = br#"{"node_id":"N1","config_version":"2020-03-20","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32"}}"#;
    let message = decode(Channel::NodeConfig, bare);
    let config = as_config(&message);
    assert_eq!(config.attributes, None);
    assert_eq!(config.devices, None);
    assert_eq!(config.services, None);
    assert_eq!(config.info.subtype, None);
    assert_eq!(config.info.readme, None);
    assert_eq!(config.info.secure_boot_digest, None);
    assert!(config.extra.is_empty(), "{:?}", config.extra);
    assert_json_round_trip(&message, bare);

    let services_only = br#"{"node_id":"N1","config_version":"2020-03-20","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32c6"},"devices":[],"services":[{"name":"System"}]}"#;
    let message = decode(Channel::NodeConfig, services_only);
    let config = as_config(&message);
    assert_eq!(config.devices.as_deref().map(<[_]>::len), Some(0));
    let system = &config.services.as_deref().expect("services")[0];
    assert_eq!(
        (&system.r#type, &system.attributes, &system.params),
        (&None, &None, &None)
    );
    assert_json_round_trip(&message, services_only);
    assert_sdk_bytes(config, services_only);
}

#[test]
fn secure_boot_digest_keeps_null_slots() {
    let digest = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19";
    let bytes = format!(
        r#"{{"node_id":"N","config_version":"2020-03-20","info":{{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32c3","secure_boot_digest":{{"k0":"{digest}","k1":null,"k2":null}}}}}}"#
    );
    let message = decode(Channel::NodeConfig, bytes.as_bytes());
    let slots = as_config(&message)
        .info
        .secure_boot_digest
        .as_ref()
        .expect("digest");
    assert_eq!(slots.len(), 3);
    assert_eq!(slots.get("k0"), Some(&Some(digest.to_owned())));
    assert_eq!(slots.get("k1"), Some(&None));
    assert_eq!(slots.get("k2"), Some(&None));
    assert_json_round_trip(&message, bytes.as_bytes());
    assert_sdk_bytes(as_config(&message), bytes.as_bytes());
}

#[test]
fn unknown_config_keys_are_kept() {
    let bytes = br#"{"node_id":"N","config_version":"2019-09-11","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32x","chip_rev":3},"devices":[{"name":"D","params":[{"name":"P","data_type":"int","properties":[],"persist":true}],"hidden":false}],"services":[],"insights":{"v":1}}"#;
    let message = decode(Channel::NodeConfig, bytes);
    let config = as_config(&message);
    assert_eq!(
        config.config_version,
        NodeConfigVersion::V2019_09_11,
        "the Insights version is known"
    );
    assert_eq!(
        config.info.platform,
        NodeInfoPlatform::Other("esp32x".into())
    );
    assert_eq!(config.extra.get("insights"), Some(&json!({"v": 1})));
    assert_eq!(config.info.extra.get("chip_rev"), Some(&json!(3)));
    let device = &config.devices.as_deref().expect("devices")[0];
    assert_eq!(device.extra.get("hidden"), Some(&json!(false)));
    let param = &device.params.as_deref().expect("params")[0];
    assert_eq!(param.extra.get("persist"), Some(&json!(true)));
    assert!(param.properties.is_empty());
    assert_json_round_trip(&message, bytes);
}

// ------------------------------------------------------------------ params

#[test]
fn params_documents_as_nodes_send_them() {
    // params/local/init of docs/protocol.md with a `%.5f` float.
    let init = br#"{"Light":{"Name":"Light","Power":true,"Brightness":25},"Sensor":{"Temperature":25.50000},"Time":{"TZ":"","TZ-POSIX":""},"Schedule":{"Schedules":[]}}"#;
    let topic = format!("$aws/rules/esp_init_params/node/{NODE_ID}/params/local/init");
    let envelope = Envelope::decode(&topic, init).expect("decodes");
    assert_eq!(envelope.form(), TopicForm::Ingest);
    let doc = document(envelope.message());
    assert_eq!(doc.get("Light", "Power"), Some(&ParamValue::Bool(true)));
    assert_eq!(doc.get("Light", "Brightness"), Some(&ParamValue::Int(25)));
    assert_eq!(
        doc.get("Sensor", "Temperature"),
        Some(&ParamValue::Float(25.5))
    );
    assert_eq!(
        doc.get("Time", "TZ"),
        Some(&ParamValue::String(String::new()))
    );
    assert_eq!(
        doc.get("Schedule", "Schedules").map(ToString::to_string),
        Some("[]".to_owned())
    );
    let order: Vec<&str> = doc.iter().map(|(device, _)| device).collect();
    assert_eq!(order, ["Light", "Sensor", "Time", "Schedule"], "wire order");
    assert_json_round_trip(envelope.message(), init);
    assert_sdk_bytes(doc, init);

    // The Last Will, on the plain topic.
    let will = br#"{"Connectivity":{"Connected":false}}"#;
    let envelope =
        Envelope::decode(&format!("node/{NODE_ID}/params/local"), will).expect("decodes");
    assert_eq!(envelope.form(), TopicForm::Plain);
    assert_eq!(
        document(envelope.message()).get("Connectivity", "Connected"),
        Some(&ParamValue::Bool(false))
    );
}

#[test]
fn params_writes_may_send_ints_for_float_params() {
    let write = br#"{"Sensor":{"Temperature":25,"Setpoint":21.5},"Light":{"Colour":{"r":255},"Scenes":[{"id":"1"}]}}"#;
    let message = decode(Channel::ParamsRemote, write);
    let doc = document(&message);
    let temperature = doc.get("Sensor", "Temperature").expect("present");
    assert_eq!(temperature, &ParamValue::Int(25));
    assert_eq!(temperature.as_f64(), Some(25.0));
    assert_eq!(
        doc.get("Sensor", "Setpoint").and_then(ParamValue::as_f64),
        Some(21.5)
    );
    assert_eq!(
        doc.get("Light", "Colour").map(ParamValue::to_json),
        Some(json!({"r": 255}))
    );
    assert_json_round_trip(&message, write);
    // Group writes carry the same document.
    let group = decode(Channel::ParamsRemoteGroup, write);
    assert_eq!(document(&group), doc);
}

// ------------------------------------------------------------------ alerts

#[test]
fn alert_topic_carries_both_shapes() {
    let text = br#"{"esp.alert.str":"Water leak detected in the kitchen"}"#;
    let notified = br#"{"Sensor":{"Temperature":41.00000}}"#;
    for topic in [
        format!("node/{NODE_ID}/alert"),
        format!("$aws/rules/esp_node_alert/node/{NODE_ID}/alert"),
    ] {
        let envelope = Envelope::decode(&topic, text).expect("text alert decodes");
        match envelope.message() {
            Message::Alert(Alert::TextAlert(alert)) => {
                assert_eq!(alert.esp_alert_str, "Water leak detected in the kitchen");
            }
            other => panic!("{topic}: text alert decoded as {other:?}"),
        }
        assert_json_round_trip(envelope.message(), text);

        let envelope = Envelope::decode(&topic, notified).expect("notification decodes");
        match envelope.message() {
            Message::Alert(Alert::ParamsDocument(doc)) => {
                assert_eq!(
                    doc.get("Sensor", "Temperature"),
                    Some(&ParamValue::Float(41.0))
                );
                assert_sdk_bytes(doc, notified);
            }
            other => panic!("{topic}: notification decoded as {other:?}"),
        }
        assert_json_round_trip(envelope.message(), notified);
    }
}

#[test]
fn unescaped_quotes_from_old_sdks_are_named() {
    // The json_generator copies strings raw (docs/protocol.md): the error names the
    // quote, not a generic parse error.
    let error = Message::decode(Channel::Alert, br#"{"esp.alert.str":"door "front" open"}"#);
    assert_eq!(error, Err(DecodeError::UnescapedQuote { offset: 23 }));
}

// ------------------------------------------------------------------ OTA

#[test]
fn otastatus_without_job_id() {
    let bytes = br#"{"status":"failed","additional_info":"Aborted. JSON Payload error","ts":12}"#;
    let message = decode(Channel::OtaStatus, bytes);
    let Message::OtaStatus(status) = &message else {
        panic!("decoded as {}", message.name());
    };
    assert_eq!(status.ota_job_id, None);
    assert_eq!(status.status, OtaJobStatus::Failed);
    assert_eq!(status.ts, Some(12));
    assert_eq!(
        message.encode().expect("encodes"),
        bytes,
        "re-encoded byte for byte"
    );
}

#[test]
fn otaurl_keeps_the_third_party_file_sha256() {
    let bytes = br#"{"ota_job_id":"Lm4Np7Qr0StUvWx2Yz5Ab8","url":"https://example.invalid/fw.bin","file_size":1536000,"fw_version":"1.1","file_sha256":"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"}"#;
    let message = decode(Channel::OtaUrl, bytes);
    let Message::OtaUrl(url) = &message else {
        panic!("decoded as {}", message.name());
    };
    assert_eq!(url.file_size, Some(1_536_000));
    assert_eq!(url.metadata, None);
    assert_eq!(
        url.extra.get("file_sha256").and_then(Value::as_str),
        Some("8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4")
    );
    assert_json_round_trip(&message, bytes);
}

#[test]
fn truncated_otastatus_is_an_eof_error() {
    // A 22-character job id and a long failure reason overflow the SDK's 200-byte
    // buffer; the truncated text is published anyway (docs/protocol.md).
    let reason = format!("OTA Attempt 1/3 failed: {}", "x".repeat(160));
    let full = format!(
        r#"{{"ota_job_id":"k2Hn9xVd3QpLmA7sB4cE1f","status":"in-progress","additional_info":"{reason}","ts":1700000123}}"#
    );
    assert!(full.len() > 200, "the payload must overflow the buffer");
    decode(Channel::OtaStatus, full.as_bytes());
    let error = json_error(Channel::OtaStatus, &full.as_bytes()[..200]);
    assert_eq!(error.kind(), JsonErrorKind::Eof, "{error}");
    assert_eq!(error.path(), "$.additional_info", "{error}");
    assert_eq!(error.line(), 1, "{error}");
}

// ------------------------------------------------------------------ time series

#[test]
fn time_series_as_the_sdk_sends_them() {
    let ts = br#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"Temperature Sensor.Temperature","type":"esp.param.temperature","dt":"float","records":[{"t":1700000000,"v":25.50000}]}]}"#;
    let message = decode(Channel::TsData, ts);
    let Message::TsData(data) = &message else {
        panic!("decoded as {}", message.name());
    };
    assert_eq!(data.ts_data.len(), 1);
    assert_eq!(data.ts_data[0].records[0].v, ParamValue::Float(25.5));
    assert_eq!(data.ts_data[0].records[0].t, 1_700_000_000);
    assert_json_round_trip(&message, ts);
    assert_sdk_bytes(data, ts);

    let simple = br#"{"name":"Light.Power","type":"esp.param.power","dt":"bool","t":1700000000,"v":true,"d":30}"#;
    let message = decode(Channel::SimpleTsData, simple);
    let Message::SimpleTsData(point) = &message else {
        panic!("decoded as {}", message.name());
    };
    assert_eq!(
        (point.dt, &point.v, point.d),
        (DataType::Bool, &ParamValue::Bool(true), Some(30))
    );
    assert_eq!(message.encode().expect("encodes"), simple);

    let object =
        br#"{"name":"Light.Colour","dt":"object","t":1699990000,"v":{"r":255,"g":128,"b":0}}"#;
    let message = decode(Channel::SimpleTsData, object);
    assert_json_round_trip(&message, object);
}

// ------------------------------------------------------------------ malformed

#[test]
fn wrong_types_name_their_json_path() {
    let cases: &[(Channel, &[u8], &str)] = &[
        (
            Channel::NodeConfig,
            br#"{"node_id":"N","config_version":"2020-03-20","info":{"name":"n","fw_version":1,"type":"t","model":"m","project_name":"p","platform":"esp32"}}"#,
            "$.info.fw_version",
        ),
        (
            Channel::NodeConfig,
            br#"{"node_id":"N","config_version":"2020-03-20","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32"},"devices":[{"name":"D","params":[{"name":"A","data_type":"int","properties":[]},{"name":"B","data_type":"integer","properties":["read"]}]}],"services":[]}"#,
            "$.devices[0].params[1].data_type",
        ),
        (
            Channel::NodeConfig,
            br#"{"node_id":"N","config_version":"2020-03-20","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32"},"devices":[{"name":"D","params":[{"name":"A","data_type":"int","properties":["read","simple_time_series"]}]}],"services":[]}"#,
            "$.devices[0].params[0].properties[1]",
        ),
        (
            Channel::ParamsLocal,
            br#"{"Light":{"Power":true},"Fan":[1]}"#,
            "$.Fan",
        ),
        (
            Channel::OtaStatus,
            br#"{"ota_job_id":"j","status":"done","additional_info":"","ts":1}"#,
            "$.status",
        ),
        (
            Channel::TsData,
            br#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"a.b","dt":"int","records":[{"t":"now","v":1}]}]}"#,
            "$.ts_data[0].records[0].t",
        ),
        (
            Channel::SimpleTsData,
            br#"{"name":"a.b","dt":"int","t":1,"v":1,"d":70000}"#,
            "$.d",
        ),
        (
            Channel::UserMapping,
            br#"{"node_id":"N","user_id":"u","secret_key":"s","reset":"yes"}"#,
            "$.reset",
        ),
    ];
    let mut failures = Vec::new();
    for (channel, bytes, path) in cases {
        let error = json_error(*channel, bytes);
        if error.kind() != JsonErrorKind::Data || error.path() != *path {
            failures.push(format!(
                "{channel}: expected a data error at {path}, got {:?} at {} ({error})\n  payload {}",
                error.kind(),
                error.path(),
                String::from_utf8_lossy(bytes)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn other_sdk_buffers_truncate_into_eof_errors() {
    // User mapping (200-byte buffer) and otafetch (150-byte buffer), docs/protocol.md.
    let mapping = format!(
        r#"{{"node_id":"{NODE_ID}","user_id":"{}","secret_key":"{}","reset":true}}"#,
        "u".repeat(90),
        "s".repeat(90)
    );
    assert!(mapping.len() > 200);
    decode(Channel::UserMapping, mapping.as_bytes());
    let error = json_error(Channel::UserMapping, &mapping.as_bytes()[..200]);
    assert_eq!(
        (error.kind(), error.path()),
        (JsonErrorKind::Eof, "$.secret_key"),
        "{error}"
    );

    let fetch = format!(
        r#"{{"node_id":"{NODE_ID}","fw_version":"{}","network_id":"5e4b7c2a"}}"#,
        "1.0.0-".repeat(20)
    );
    assert!(fetch.len() > 150);
    decode(Channel::OtaFetch, fetch.as_bytes());
    let error = json_error(Channel::OtaFetch, &fetch.as_bytes()[..150]);
    assert_eq!(error.kind(), JsonErrorKind::Eof, "{error}");
}

#[test]
fn old_sdk_writer_output_is_a_syntax_error() {
    // NaN printed as `nan`, and a NULL object param printed as nothing (docs/protocol.md).
    for payload in [
        &br#"{"Sensor":{"Temperature":nan}}"#[..],
        br#"{"D":{"P":}}"#,
    ] {
        let error = json_error(Channel::ParamsLocal, payload);
        assert_eq!(
            error.kind(),
            JsonErrorKind::Syntax,
            "{}: {error}",
            String::from_utf8_lossy(payload)
        );
    }
}

#[test]
fn duplicate_keys_in_params_documents_are_refused() {
    // The node keeps the first of duplicated keys; a decoder must not pick silently.
    let cases: [(Channel, &[u8], &str, &str); 2] = [
        (
            Channel::ParamsRemote,
            br#"{"Light":{"Power":true,"Power":false}}"#,
            "$.Light",
            "duplicate param `Power`",
        ),
        (
            Channel::ParamsLocal,
            br#"{"Light":{"Power":true},"Light":{"Power":false}}"#,
            "$",
            "duplicate device `Light`",
        ),
    ];
    for (channel, payload, path, message) in cases {
        let error = json_error(channel, payload);
        assert_eq!(
            (error.kind(), error.path()),
            (JsonErrorKind::Data, path),
            "{error}"
        );
        assert!(error.message().contains(message), "{error}");
    }
}

#[test]
fn missing_required_keys_are_data_errors() {
    let error = json_error(
        Channel::OtaUrl,
        br#"{"url":"https://example.invalid/fw.bin"}"#,
    );
    assert_eq!(error.kind(), JsonErrorKind::Data, "{error}");
    assert!(error.message().contains("ota_job_id"), "{error}");
}

#[test]
fn insights_mini_config_trailing_comma_is_a_syntax_error() {
    // esp-insights' standalone config (docs/protocol.md): a trailing comma, no info.
    let with_comma = br#"{"node_id":"7C9EBD4A1B2C","config_version":"2019-09-11","attributes":[{"name":"cmd-resp","value":"1"}],}"#;
    let error = json_error(Channel::NodeConfig, with_comma);
    assert_eq!(error.kind(), JsonErrorKind::Syntax, "{error}");
    assert_eq!(error.line(), 1, "{error}");

    // Without the comma it is JSON, but not a config: `info` is required.
    let without_comma = br#"{"node_id":"7C9EBD4A1B2C","config_version":"2019-09-11","attributes":[{"name":"cmd-resp","value":"1"}]}"#;
    let error = json_error(Channel::NodeConfig, without_comma);
    assert_eq!(
        (error.kind(), error.path()),
        (JsonErrorKind::Data, "$"),
        "{error}"
    );
    assert!(error.message().contains("info"), "{error}");
}

#[test]
fn trailing_bytes_and_empty_payloads_are_rejected() {
    let error = json_error(Channel::ParamsLocal, br#"{"Light":{"Power":true}} {}"#);
    assert_eq!(
        (error.kind(), error.path()),
        (JsonErrorKind::Syntax, "$"),
        "{error}"
    );
    let error = json_error(Channel::ParamsLocal, b"");
    assert_eq!(error.kind(), JsonErrorKind::Eof, "{error}");
    let error = json_error(Channel::NodeConfig, br#"{"Light":{"Power":true}}"#);
    assert_eq!(error.kind(), JsonErrorKind::Data, "{error}");
}

/// A payload that names its node (config, user mapping, otafetch, presence events)
/// must name the topic's: a node publishes only under its own id, so another id is
/// refused with both values, by the owned and the borrowed decoders alike.
#[test]
fn a_payload_naming_another_node_than_its_topic_is_refused() {
    let config = br#"{"node_id":"OTHER","config_version":"2020-03-20","info":{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32"},"devices":[]}"#;
    let topic = format!("node/{NODE_ID}/config");
    let mismatch = DispatchError::TopicMismatch {
        property: "node_id",
        payload: "OTHER".to_owned(),
        topic: NODE_ID.to_owned(),
    };
    assert_eq!(Envelope::decode(&topic, config), Err(mismatch.clone()));
    assert_eq!(EnvelopeRef::decode(&topic, config), Err(mismatch));
    let fetch = br#"{"node_id":"OTHER","fw_version":"1.0"}"#;
    let error = Envelope::decode(&format!("node/{NODE_ID}/otafetch"), fetch).expect_err("other");
    assert!(
        error
            .to_string()
            .contains("`node_id` is `OTHER` but the topic says"),
        "{error}"
    );
    // The node's own id decodes, and a payload's id must be a valid id at all.
    let own = String::from_utf8_lossy(config).replace("OTHER", NODE_ID);
    assert!(Envelope::decode(&topic, own.as_bytes()).is_ok());
    let bad = br#"{"node_id":"a/b","fw_version":"1.0"}"#;
    assert!(matches!(
        Envelope::decode(&format!("node/{NODE_ID}/otafetch"), bad),
        Err(DispatchError::Payload(DecodeError::Json(_)))
    ));
}
