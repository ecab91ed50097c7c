//! Property round trips driven by the spec.
//!
//! - JSON messages: a strategy is built from each message's payload schema (the
//!   subset of JSON Schema the spec uses, see [`SchemaStrategy`]); every generated
//!   payload must decode through the generated dispatch, re-encode to an equal JSON
//!   value (unknown keys included where `additionalProperties` is true), and decode
//!   again to an equal typed message.
//! - Command data: every schema a command of `x-rainmaker-tlv` names as its data is
//!   generated the same way and round-trips through its generated type, also inside a
//!   to-node frame (fragmented when long).
//! - TLV messages: arbitrary requests and responses built with `rainmaker_tlv`'s owned
//!   types round-trip through `ToNodeFrame` / `FromNodeFrame` and the dispatch.
//! - Topics: every channel with arbitrary valid ids formats and parses back in both
//!   forms; malformed topics give a `TopicError` naming the segment at fault.

mod common;

use std::collections::BTreeSet;

use common::{SpecMessage, expected_address, topic_for};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rainmaker_codegen::Pointer;
use rainmaker_tlv::{Command, OwnedFrame, OwnedRequest, OwnedResponse, Status, UserRole};
use rainmaker_types::ids::IdError;
use rainmaker_types::runtime::TopicErrorReason;
use rainmaker_types::{
    Channel, DecodeError, FromNodeFrame, GroupId, Message, NodeId, Payload, ToNodeFrame, Topic,
    TopicForm,
};
use serde_json::{Map, Value};

/// Cases per property: enough to reach every optional key and enum value of a
/// message, few enough for the whole suite to stay fast.
const CASES: u32 = 64;

/// Runs `test` on [`CASES`] values of `strategy`; a failure panics with `what`
/// and the smallest failing value found.
#[track_caller]
fn check_property<S: Strategy>(
    what: &str,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(error) = runner.run(strategy, test) {
        panic!("{what}: {error}");
    }
}

// ------------------------------------------------------------------ JSON strategies

/// Characters of open strings: ASCII, JSON metacharacters that need escaping,
/// control characters and non-ASCII (two-, three- and four-byte UTF-8).
const CHARSET: &[char] = &[
    'a', 'B', 'z', '0', '9', ' ', '.', '-', '_', '"', '\\', '/', '\n', '\t', '\u{0}', 'é', 'ß',
    '☃', '中', '😀',
];

/// A string of `min..=max` characters of [`CHARSET`].
fn open_string(min: usize, max: usize) -> BoxedStrategy<String> {
    proptest::collection::vec(proptest::sample::select(CHARSET), min..=max)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

/// Any finite `f64` (normal, subnormal or zero, either sign).
fn finite_f64() -> BoxedStrategy<f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO).boxed()
}

/// Any JSON value (null included), a few levels deep.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        open_string(0, 8).prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map(open_string(0, 4), inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A param value: any JSON kind but null, integers within `i64` (larger ones are
/// kept as floats by design, so they do not round-trip as integers).
fn param_value() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        open_string(0, 8).prop_map(Value::String),
        proptest::collection::btree_map(open_string(0, 4), any_json(), 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        proptest::collection::vec(any_json(), 0..3).prop_map(Value::Array),
    ]
    .boxed()
}

/// A params document: devices of params of values (keys unique by construction).
fn params_document() -> BoxedStrategy<Value> {
    let device = proptest::collection::btree_map(open_string(0, 6), param_value(), 0..4)
        .prop_map(|params| Value::Object(params.into_iter().collect()));
    proptest::collection::btree_map(open_string(0, 6), device, 0..4)
        .prop_map(|devices| Value::Object(devices.into_iter().collect()))
        .boxed()
}

/// Builds value strategies from the spec's schemas. Supported: `$ref`; `x-rust-type`
/// (`ParamValue`, `ParamsDocument`); `oneOf`; `type` as a name or a list with
/// `null`; objects with `properties`, `required`, `additionalProperties` (true,
/// false or a schema), `patternProperties` and `minProperties`; arrays with `items`,
/// `minItems`, `maxItems` and `uniqueItems`; strings with `enum`, `pattern`,
/// `x-rainmaker-known-values` or `x-rainmaker-standard-type`, `minLength` and `maxLength`; integers with `format`,
/// `minimum` and `maximum`; numbers (integers and finite floats); booleans. Any other
/// keyword that constrains values fails the test, naming its JSON pointer, so the
/// generator cannot silently produce invalid payloads.
struct SchemaStrategy;

/// Keywords that only document (never constrain) a value.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "x-rainmaker-known-values",
    "x-rainmaker-standard-type",
];

/// The values of the catalogue lists `lists` names (`x-rainmaker-standard-type`: one
/// key or a list of keys; `param-types` goes on with `other-param-types`).
fn catalogue_values(lists: &Value, at: &Pointer) -> Vec<Value> {
    let (catalogue, _) = common::resolve(&common::pointer("/x-rainmaker-standard-types"));
    let keys: Vec<&str> = match lists {
        Value::Array(keys) => keys.iter().filter_map(Value::as_str).collect(),
        key => key.as_str().into_iter().collect(),
    };
    assert!(
        !keys.is_empty(),
        "{at}: x-rainmaker-standard-type names no list"
    );
    keys.into_iter()
        .flat_map(|key| match key {
            "param-types" => vec![key, "other-param-types"],
            key => vec![key],
        })
        .flat_map(|key| {
            catalogue
                .get(key)
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("{at}: no catalogue list `{key}`"))
        })
        .map(|entry| {
            entry
                .get("type")
                .cloned()
                .unwrap_or_else(|| panic!("{at}: an entry without type"))
        })
        .collect()
}

impl SchemaStrategy {
    fn for_schema(schema: &'static Value, at: &Pointer, depth: usize) -> BoxedStrategy<Value> {
        assert!(depth < 16, "{at}: schemas nest too deeply (a $ref cycle?)");
        let (schema, at) = common::follow(schema, at);
        if let Some(rust_type) = schema.get("x-rust-type").and_then(Value::as_str) {
            return match rust_type {
                "ParamValue" => param_value(),
                "ParamsDocument" => params_document(),
                // A valid node id (the topic's rules: no `/`, `+`, `#`).
                "NodeId" => "[A-Za-z0-9_.-]{1,32}".prop_map(Value::from).boxed(),
                // Any JSON number, kept as written (integer or float).
                "serde_json::Number" => prop_oneof![
                    any::<i32>().prop_map(Value::from),
                    finite_f64().prop_map(Value::from),
                ]
                .boxed(),
                other => panic!("{at}: x-rust-type `{other}` is not a JSON payload"),
            };
        }
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            let options: Vec<_> = alternatives
                .iter()
                .enumerate()
                .map(|(index, alt)| Self::for_schema(alt, &at.join("oneOf").join(index), depth + 1))
                .collect();
            return Union::new(options).boxed();
        }
        match schema.get("type") {
            None => any_json(),
            Some(Value::String(kind)) => Self::for_type(kind, schema, &at, depth),
            Some(Value::Array(kinds)) => {
                let options: Vec<_> = kinds
                    .iter()
                    .map(|kind| {
                        let kind = kind.as_str().unwrap_or_else(|| panic!("{at}/type: {kind}"));
                        Self::for_type(kind, schema, &at, depth)
                    })
                    .collect();
                Union::new(options).boxed()
            }
            Some(other) => panic!("{at}/type: unsupported {other}"),
        }
    }

    fn check_keywords(schema: &Value, at: &Pointer, allowed: &[&str]) {
        if let Some(object) = schema.as_object() {
            for key in object.keys() {
                assert!(
                    key == "type"
                        || allowed.contains(&key.as_str())
                        || ANNOTATIONS.contains(&key.as_str()),
                    "{at}: keyword `{key}` is not supported by the test generator"
                );
            }
        }
    }

    fn for_type(
        kind: &str,
        schema: &'static Value,
        at: &Pointer,
        depth: usize,
    ) -> BoxedStrategy<Value> {
        let int = |key: &str| schema.get(key).and_then(Value::as_i64);
        let usize_of = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        match kind {
            "null" => Just(Value::Null).boxed(),
            "boolean" => {
                Self::check_keywords(schema, at, &[]);
                any::<bool>().prop_map(Value::Bool).boxed()
            }
            "integer" => {
                Self::check_keywords(schema, at, &["format", "minimum", "maximum"]);
                let format = schema.get("format").and_then(Value::as_str);
                let (low, high) = match format {
                    Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    Some("int64") => (i64::MIN, i64::MAX),
                    Some("uint8") => (0, i64::from(u8::MAX)),
                    Some("uint16") => (0, i64::from(u16::MAX)),
                    Some("uint32") => (0, i64::from(u32::MAX)),
                    other => panic!("{at}: integer format {other:?} is not supported"),
                };
                let low = int("minimum").map_or(low, |min| min.max(low));
                let high = int("maximum").map_or(high, |max| max.min(high));
                (low..=high).prop_map(Value::from).boxed()
            }
            "number" => {
                Self::check_keywords(schema, at, &[]);
                // JSON numbers: integers (as nodes send int bounds) and floats.
                prop_oneof![
                    any::<i32>().prop_map(Value::from),
                    finite_f64().prop_map(Value::from),
                ]
                .boxed()
            }
            "string" => {
                Self::check_keywords(
                    schema,
                    at,
                    &["enum", "pattern", "minLength", "maxLength", "format"],
                );
                if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                    return proptest::sample::select(values.clone()).boxed();
                }
                if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                    return regex_string(pattern, at).prop_map(Value::String).boxed();
                }
                let min = usize_of("minLength").unwrap_or(0);
                let max = usize_of("maxLength").unwrap_or(16).min(min + 16);
                let open = open_string(min, max).prop_map(Value::String);
                let known = match schema.get("x-rainmaker-standard-type") {
                    Some(lists) => catalogue_values(lists, at),
                    None => schema
                        .get("x-rainmaker-known-values")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                };
                if known.is_empty() {
                    open.boxed()
                } else {
                    prop_oneof![proptest::sample::select(known), open].boxed()
                }
            }
            "array" => {
                Self::check_keywords(
                    schema,
                    at,
                    &["items", "minItems", "maxItems", "uniqueItems"],
                );
                let items = schema
                    .get("items")
                    .unwrap_or_else(|| panic!("{at}: array without items"));
                let item = Self::for_schema(items, &at.join("items"), depth + 1);
                let min = usize_of("minItems").unwrap_or(0);
                let max = usize_of("maxItems").unwrap_or(usize::MAX).min(min + 3);
                let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
                proptest::collection::vec(item, min..=max)
                    .prop_map(move |mut items| {
                        if unique {
                            let mut seen = Vec::new();
                            items.retain(|item| {
                                let fresh = !seen.contains(item);
                                seen.push(item.clone());
                                fresh
                            });
                        }
                        items
                    })
                    .prop_filter("minItems after removing duplicates", move |items| {
                        items.len() >= min
                    })
                    .prop_map(Value::Array)
                    .boxed()
            }
            "object" => Self::for_object(schema, at, depth),
            other => panic!("{at}: type `{other}` is not supported"),
        }
    }

    fn for_object(schema: &'static Value, at: &Pointer, depth: usize) -> BoxedStrategy<Value> {
        Self::check_keywords(
            schema,
            at,
            &[
                "properties",
                "required",
                "additionalProperties",
                "patternProperties",
                "minProperties",
            ],
        );
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        for name in &required {
            assert!(
                properties.contains_key(*name),
                "{at}: required `{name}` has no schema"
            );
        }
        let names: Vec<String> = properties.keys().cloned().collect();
        let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
            .iter()
            .map(|(name, property)| {
                let value =
                    Self::for_schema(property, &at.join("properties").join(name), depth + 1);
                let name = name.clone();
                if required.contains(name.as_str()) {
                    value
                        .prop_map(move |value| Some((name.clone(), value)))
                        .boxed()
                } else {
                    proptest::option::of(value)
                        .prop_map(move |value| value.map(|value| (name.clone(), value)))
                        .boxed()
                }
            })
            .collect();

        // Keys beyond `properties`: extra keys (kept), map entries, pattern keys.
        let mut others: Vec<BoxedStrategy<Vec<(String, Value)>>> = Vec::new();
        match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => {
                // Unknown keys; the `x-` prefix keeps them apart from every property.
                let key = open_string(0, 5).prop_map(|key| format!("x-{key}"));
                others.push(
                    proptest::collection::btree_map(key, any_json(), 0..3)
                        .prop_map(|map| map.into_iter().collect())
                        .boxed(),
                );
            }
            Some(Value::Bool(false)) => {}
            Some(value_schema @ Value::Object(_)) => {
                let value =
                    Self::for_schema(value_schema, &at.join("additionalProperties"), depth + 1);
                let names = names.clone();
                others.push(
                    proptest::collection::btree_map(open_string(0, 6), value, 0..4)
                        .prop_map(move |map| {
                            map.into_iter()
                                .filter(|(key, _)| !names.contains(key))
                                .collect()
                        })
                        .boxed(),
                );
            }
            other => panic!("{at}: additionalProperties must be stated (found {other:?})"),
        }
        if let Some(patterns) = schema.get("patternProperties").and_then(Value::as_object) {
            for (pattern, value_schema) in patterns {
                let key = regex_string(pattern, at);
                let value = Self::for_schema(
                    value_schema,
                    &at.join("patternProperties").join(pattern),
                    depth + 1,
                );
                others.push(
                    proptest::collection::btree_map(key, value, 0..4)
                        .prop_map(|map| map.into_iter().collect())
                        .boxed(),
                );
            }
        }
        let min_properties = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        (fields, others)
            .prop_map(|(fields, others)| {
                let mut object = Map::new();
                for (key, value) in fields.into_iter().flatten() {
                    object.insert(key, value);
                }
                for (key, value) in others.into_iter().flatten() {
                    object.entry(key).or_insert(value);
                }
                Value::Object(object)
            })
            .prop_filter("minProperties", move |value| {
                value
                    .as_object()
                    .is_some_and(|object| object.len() >= min_properties)
            })
            .boxed()
    }
}

/// Strings matching a schema `pattern` (anchors removed: generated strings are the
/// whole match anyway).
fn regex_string(pattern: &str, at: &Pointer) -> BoxedStrategy<String> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = body.strip_suffix('$').unwrap_or(body);
    proptest::string::string_regex(body)
        .unwrap_or_else(|error| panic!("{at}: pattern `{pattern}`: {error}"))
        .boxed()
}

/// The strategy for a message's payload.
fn payload_strategy(message: &SpecMessage) -> BoxedStrategy<Value> {
    let (schema, at) = message.payload.clone();
    SchemaStrategy::for_schema(schema, &at, 0)
}

/// Generates payloads for `name` and checks the round trip on each of its channels.
fn check_json_round_trip(name: &str) {
    let message = common::messages()
        .into_iter()
        .find(|message| message.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not a message of the spec"));
    assert!(!message.is_tlv(), "{name} is a TLV message");
    let channels = message.generated_channels();
    assert!(!channels.is_empty(), "{name}: no channel");
    let sdk_written = message.object().get("x-rainmaker-sdk-json") == Some(&Value::Bool(true));
    let strategy = payload_strategy(&message);
    check_property(name, &strategy, |payload| {
        // A message the SDK writes is re-encoded as the SDK writes it: every float
        // as `%.5f`. The property holds for the floats that writer can say.
        let payload = if sdk_written {
            sdk_floats(&payload)
        } else {
            payload
        };
        let bytes = serde_json::to_vec(&payload).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for &channel in &channels {
            let decoded = Message::decode(channel, &bytes).map_err(|error| {
                TestCaseError::fail(format!(
                    "{name} on {channel}: {payload} does not decode: {error}"
                ))
            })?;
            prop_assert_eq!(
                decoded.kind().document_name(),
                name,
                "decoded as another message"
            );
            let encoded = decoded
                .encode()
                .map_err(|error| TestCaseError::fail(format!("{name}: encode: {error}")))?;
            let value: Value = serde_json::from_slice(&encoded).map_err(|error| {
                TestCaseError::fail(format!("{name}: re-encoded JSON: {error}"))
            })?;
            prop_assert_eq!(
                &value,
                &payload,
                "{} on {}: re-encoded JSON differs",
                name,
                channel
            );
            let again = Message::decode(channel, &encoded).map_err(|error| {
                TestCaseError::fail(format!("{name}: re-encoded bytes do not decode: {error}"))
            })?;
            prop_assert_eq!(
                &again,
                &decoded,
                "{}: decoding the re-encoding differs",
                name
            );
        }
        Ok(())
    });
}

/// `value` with every float as the SDK's writer leaves it: printed `%.5f` and read
/// back. Floats of 1e21 or more are scaled down first: their `%.5f` text would pass
/// the 29 characters the SDK keeps, and the cut text says another number.
fn sdk_floats(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_f64() => {
            let mut float = number.as_f64().unwrap_or_default();
            while float.abs() >= 1e21 {
                float /= 1e10;
            }
            let text = rainmaker_types::sdk_json::to_vec(&float).expect("a finite float");
            serde_json::from_slice(&text).expect("the SDK's text is a number")
        }
        Value::Array(items) => Value::Array(items.iter().map(sdk_floats).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), sdk_floats(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every JSON message of the spec gets the round-trip property (the list comes from
/// the spec, so a message added to it is covered without editing this file).
#[test]
fn every_json_message_round_trips() {
    let json: Vec<String> = common::messages()
        .into_iter()
        .filter(|message| !message.is_tlv())
        .map(|message| message.name)
        .collect();
    assert!(!json.is_empty(), "the spec has JSON messages");
    for name in json {
        check_json_round_trip(&name);
    }
}

#[test]
fn unknown_keys_survive_where_additional_properties_is_true() {
    // A deterministic spot check of what the properties above rely on.
    let bytes = br#"{"node_id":"N","fw_version":"1.0","x-extra":{"a":[1,null,"s"]},"x-n":-3}"#;
    let decoded = Message::decode(Channel::OtaFetch, bytes).expect("decodes");
    let Message::OtaFetch(fetch) = &decoded else {
        panic!("decoded as {}", decoded.name());
    };
    assert_eq!(fetch.extra.len(), 2, "{fetch:?}");
    let value: Value = serde_json::from_slice(&decoded.encode().expect("encodes")).expect("JSON");
    assert_eq!(
        value,
        serde_json::from_slice::<Value>(bytes).expect("JSON"),
        "unknown keys must be re-encoded"
    );
}

/// Decodes command data into `T`, re-encodes it and decodes that again.
fn typed_round_trip<T>(bytes: &[u8]) -> Result<Value, String>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let decoded: T = rainmaker_types::runtime::payload::decode_json(bytes)
        .map_err(|error| format!("does not decode: {error}"))?;
    let encoded = serde_json::to_vec(&decoded).map_err(|error| error.to_string())?;
    let again: T = rainmaker_types::runtime::payload::decode_json(&encoded)
        .map_err(|error| format!("re-encoding does not decode: {error}"))?;
    if again != decoded {
        return Err(format!(
            "decoding the re-encoding differs: {decoded:?} vs {again:?}"
        ));
    }
    serde_json::from_slice(&encoded).map_err(|error| error.to_string())
}

/// A typed round trip of command data: the re-encoded JSON, or what went wrong.
type DataRoundTrip = fn(&[u8]) -> Result<Value, String>;

/// The typed round trip of each command-data schema of the TLV channels.
fn command_data_round_trip(schema: &str) -> Option<DataRoundTrip> {
    use rainmaker_types::messages::{
        FileUploadConfirm, FileUploadError, FileUploadRequest, FileUploadUrlReply,
        SetParamsRequest, SetParamsResponse,
    };
    Some(match schema {
        "SetParamsRequest" => typed_round_trip::<SetParamsRequest>,
        "SetParamsResponse" => typed_round_trip::<SetParamsResponse>,
        "FileUploadRequest" => typed_round_trip::<FileUploadRequest>,
        "FileUploadUrlReply" => typed_round_trip::<FileUploadUrlReply>,
        "FileUploadConfirm" => typed_round_trip::<FileUploadConfirm>,
        "FileUploadError" => typed_round_trip::<FileUploadError>,
        _ => return None,
    })
}

#[test]
fn command_data_round_trips_inside_frames() {
    // Every schema a command of `x-rainmaker-tlv` names as its data.
    let commands = common::spec()
        .get(&common::pointer("/x-rainmaker-tlv/commands"))
        .and_then(Value::as_array)
        .expect("x-rainmaker-tlv/commands");
    let mut schemas = BTreeSet::new();
    for command in commands {
        for key in [
            "request-data",
            "response-data",
            "confirm-data",
            "reply-data",
            "error-data",
        ] {
            if let Some(name) = command
                .get(key)
                .and_then(|data| data.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|target| target.strip_prefix("#/components/schemas/"))
            {
                schemas.insert(name.to_owned());
            }
        }
    }
    assert!(!schemas.is_empty(), "no command names a data schema");
    for name in schemas {
        let check = command_data_round_trip(&name)
            .unwrap_or_else(|| panic!("{name}: no generated type is mapped to it here"));
        let at = common::pointer("/components/schemas").join(&name);
        let (schema, at) = common::resolve(&at);
        let strategy = SchemaStrategy::for_schema(schema, &at, 0);
        check_property(&name, &strategy, |payload| {
            let data =
                serde_json::to_vec(&payload).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let value =
                check(&data).map_err(|error| TestCaseError::fail(format!("{name}: {error}")))?;
            prop_assert_eq!(&value, &payload, "{}: re-encoded JSON differs", name);
            // The data travels in a to-node request, fragmented when long.
            let request = OwnedRequest {
                request_id: Some(b"EQPf7Rj7HFiBhFhvNMjLaB".to_vec()),
                data,
                ..OwnedRequest::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
            };
            let frame = ToNodeFrame::new(request.clone())
                .map_err(|error| TestCaseError::fail(format!("{name}: {error}")))?;
            let Message::ToNode(decoded) = Message::decode(Channel::ToNode, frame.as_bytes())
                .map_err(|error| TestCaseError::fail(format!("{name}: {error}")))?
            else {
                return Err(TestCaseError::fail("decoded as another message"));
            };
            let value = check(&decoded.request().data)
                .map_err(|error| TestCaseError::fail(format!("{name} in a frame: {error}")))?;
            prop_assert_eq!(&value, &payload, "{}: data in a frame differs", name);
            Ok(())
        });
    }
}

// ------------------------------------------------------------------ TLV frames

fn request_id() -> BoxedStrategy<Option<Vec<u8>>> {
    proptest::option::of(proptest::collection::vec(
        any::<u8>(),
        0..=rainmaker_tlv::MAX_REQUEST_ID_LEN,
    ))
    .boxed()
}

/// Data sizes around the 255-byte fragment boundary as well as small ones.
fn data() -> BoxedStrategy<Vec<u8>> {
    let len = prop_oneof![0usize..64, 250usize..262, Just(510), Just(511), 0usize..700];
    len.prop_flat_map(|len| proptest::collection::vec(any::<u8>(), len))
        .boxed()
}

fn owned_request() -> BoxedStrategy<OwnedRequest> {
    (
        request_id(),
        any::<u8>(),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u32>()),
        any::<u16>(),
        data(),
    )
        .prop_map(
            |(request_id, role, status, timestamp, command, data)| OwnedRequest {
                request_id,
                status: status.map(Status),
                timestamp,
                data,
                ..OwnedRequest::new(Command(command), UserRole(role))
            },
        )
        .boxed()
}

fn owned_response() -> BoxedStrategy<OwnedResponse> {
    (request_id(), any::<u8>(), any::<u16>(), data())
        .prop_map(|(request_id, status, command, data)| OwnedResponse {
            request_id,
            data,
            ..OwnedResponse::new(Command(command), Status(status))
        })
        .boxed()
}

/// The bytes of a frame message (`encoded`, which must equal the TLV codec's own
/// encoding `expected`) and what they decode to on `channel`, checked to
/// re-encode to the same bytes.
fn frame_message(
    encoded: Result<Vec<u8>, impl std::fmt::Display>,
    expected: rainmaker_tlv::Result<Vec<u8>>,
    channel: Channel,
) -> Result<(Vec<u8>, Message), TestCaseError> {
    let bytes = encoded.map_err(|error| TestCaseError::fail(format!("encode: {error}")))?;
    let expected = expected.map_err(|error| TestCaseError::fail(format!("TLV encode: {error}")))?;
    prop_assert_eq!(&bytes, &expected, "frame bytes");
    let decoded = Message::decode(channel, &bytes)
        .map_err(|error| TestCaseError::fail(format!("decode: {error}")))?;
    let again = decoded
        .encode()
        .map_err(|error| TestCaseError::fail(format!("re-encode: {error}")))?;
    prop_assert_eq!(&again, &bytes, "re-encoded bytes");
    Ok((bytes, decoded))
}

#[test]
fn to_node_requests_round_trip() {
    check_property("to-node request", &owned_request(), |request| {
        let frame = ToNodeFrame::new(request.clone())
            .map_err(|error| TestCaseError::fail(format!("encode {request:?}: {error}")))?;
        let (bytes, decoded) = frame_message(frame.encode(), request.to_vec(), Channel::ToNode)?;
        let Message::ToNode(decoded_frame) = &decoded else {
            return Err(TestCaseError::fail(format!(
                "decoded as {}",
                decoded.name()
            )));
        };
        prop_assert_eq!(decoded_frame.request(), &request);
        prop_assert_eq!(decoded_frame, &frame);
        prop_assert_eq!(decoded_frame.as_bytes(), bytes.as_slice());
        Ok(())
    });
}

#[test]
fn to_node_refuses_responses() {
    // `toNode` carries requests only: a frame without a role record is an error.
    check_property("to-node response", &owned_response(), |response| {
        let bytes = response.to_vec().expect("encodes");
        match Message::decode(Channel::ToNode, &bytes) {
            Err(DecodeError::Tlv(_)) => Ok(()),
            other => Err(TestCaseError::fail(format!(
                "{response:?} on to-node gave {other:?}"
            ))),
        }
    });
}

#[test]
fn from_node_frames_round_trip() {
    let frame = prop_oneof![
        owned_request().prop_map(OwnedFrame::from),
        owned_response().prop_map(OwnedFrame::from),
    ];
    check_property("from-node frame", &frame, |owned| {
        let frame = FromNodeFrame::new(owned.clone())
            .map_err(|error| TestCaseError::fail(format!("encode {owned:?}: {error}")))?;
        let (bytes, decoded) = frame_message(frame.encode(), owned.to_vec(), Channel::FromNode)?;
        let Message::FromNode(decoded_frame) = &decoded else {
            return Err(TestCaseError::fail(format!(
                "decoded as {}",
                decoded.name()
            )));
        };
        prop_assert_eq!(decoded_frame.frame(), &owned);
        prop_assert_eq!(decoded_frame.as_bytes(), bytes.as_slice());
        Ok(())
    });
}

// ------------------------------------------------------------------ topics

/// Typical id characters, and some that topics must carry untouched.
const ID_CHARS: &[char] = &['a', 'Z', '0', '9', '-', '_', '.', '$', ' ', 'é', '中', '😀'];

/// Characters allowed in ids: anything but `/`, `+`, `#` and control characters.
fn id_char() -> BoxedStrategy<char> {
    prop_oneof![
        proptest::sample::select(ID_CHARS),
        any::<char>().prop_filter("allowed in an id", |c| !matches!(c, '/' | '+' | '#')
            && !c.is_control()),
    ]
    .boxed()
}

fn id_string(max_bytes: usize) -> BoxedStrategy<String> {
    prop_oneof![
        proptest::string::string_regex("[0-9A-F]{12}").expect("regex"),
        proptest::string::string_regex("[0-9A-Za-z]{22}").expect("regex"),
        proptest::collection::vec(id_char(), 1..12).prop_map(|chars| chars.into_iter().collect()),
    ]
    .prop_filter("within the id limit", move |id: &String| {
        id.len() <= max_bytes
    })
    .boxed()
}

fn node_id() -> BoxedStrategy<NodeId> {
    id_string(NodeId::MAX_LEN)
        .prop_map(|id| NodeId::new(id).expect("valid node id"))
        .boxed()
}

fn group_id() -> BoxedStrategy<GroupId> {
    id_string(GroupId::MAX_LEN)
        .prop_filter("not reserved", |id| {
            !GroupId::RESERVED.contains(&id.as_str())
        })
        .prop_map(|id| GroupId::new(id).expect("valid group id"))
        .boxed()
}

fn channel() -> BoxedStrategy<Channel> {
    proptest::sample::select(Channel::ALL.to_vec()).boxed()
}

fn parse_error(topic: &str) -> Result<(usize, TopicErrorReason), TestCaseError> {
    match Topic::parse(topic) {
        Ok(parsed) => Err(TestCaseError::fail(format!(
            "`{topic}` parsed as {parsed:?}"
        ))),
        Err(error) => Ok((error.segment(), error.reason().clone())),
    }
}

#[test]
fn topics_format_and_parse_in_both_forms() {
    check_property(
        "topic in both forms",
        &(channel(), node_id(), group_id()),
        |(channel, node, group)| {
            let topic = topic_for(channel, &node, &group);
            prop_assert_eq!(topic.channel(), channel);
            prop_assert_eq!(topic.node_id(), &node);
            let text = topic.to_string();
            prop_assert_eq!(
                &text,
                &expected_address(channel, node.as_str(), group.as_str())
            );
            prop_assert_eq!(
                Topic::parse_form(&text)
                    .map_err(|e| TestCaseError::fail(format!("`{text}`: {e}")))?,
                (topic.clone(), TopicForm::Plain)
            );
            prop_assert_eq!(text.parse::<Topic>().ok(), Some(topic.clone()));
            match channel.ingest_rule() {
                Some(rule) => {
                    let ingest = topic.ingest().expect("channel has an ingest rule");
                    prop_assert_eq!(&ingest, &format!("$aws/rules/{rule}/{text}"));
                    prop_assert_eq!(topic.to_string_in(TopicForm::Ingest), Some(ingest.clone()));
                    prop_assert_eq!(
                        Topic::parse_form(&ingest)
                            .map_err(|e| TestCaseError::fail(format!("`{ingest}`: {e}")))?,
                        (topic.clone(), TopicForm::Ingest)
                    );
                }
                None => {
                    prop_assert_eq!(topic.ingest(), None);
                    prop_assert_eq!(topic.to_string_in(TopicForm::Ingest), None);
                }
            }
            Ok(())
        },
    );
}

#[test]
fn garbage_topics_are_rejected_at_segment_zero() {
    let garbage = prop_oneof![
        open_string(0, 24),
        any::<String>(),
        proptest::string::string_regex("[a-z$]{0,6}(/[a-z]{0,6}){0,4}").expect("regex"),
    ]
    .prop_filter("not a RainMaker prefix", |topic| {
        let first = topic.split('/').next().unwrap_or_default();
        !matches!(first, "node" | "$aws")
    });
    check_property("garbage topic", &garbage, |topic| {
        let (segment, reason) = parse_error(&topic)?;
        prop_assert_eq!(segment, 0, "`{}`", topic);
        prop_assert_eq!(reason, TopicErrorReason::UnknownPrefix, "`{}`", topic);
        Ok(())
    });
}

#[test]
fn ingest_topics_with_a_wrong_rule_are_rejected_at_segment_two() {
    let unknown_rule = proptest::string::string_regex("[a-z_]{1,24}")
        .expect("regex")
        .prop_filter("not a rule", |rule| {
            !Channel::ALL
                .iter()
                .any(|channel| channel.ingest_rule() == Some(rule.as_str()))
        });
    let cases = (channel(), channel(), node_id(), group_id(), unknown_rule);
    check_property(
        "ingest topic with a wrong rule",
        &cases,
        |(channel, other, node, group, unknown)| {
            let plain = topic_for(channel, &node, &group).to_string();

            let topic = format!("$aws/rules/{unknown}/{plain}");
            let (segment, reason) = parse_error(&topic)?;
            prop_assert_eq!(segment, 2, "`{}`", topic);
            prop_assert_eq!(
                reason,
                TopicErrorReason::UnknownRule(unknown.clone()),
                "`{}`",
                topic
            );

            // Another channel's rule: a mismatch, or no ingest form at all.
            if let Some(other_rule) = other.ingest_rule()
                && channel.ingest_rule() != Some(other_rule)
            {
                let topic = format!("$aws/rules/{other_rule}/{plain}");
                let (segment, reason) = parse_error(&topic)?;
                prop_assert_eq!(segment, 2, "`{}`", topic);
                let expected = match channel.ingest_rule() {
                    Some(expected) => TopicErrorReason::RuleMismatch { expected },
                    None => TopicErrorReason::NotIngestible,
                };
                prop_assert_eq!(reason, expected, "`{}`", topic);
            }
            // A rule with nothing after it.
            if let Some(rule) = channel.ingest_rule() {
                let topic = format!("$aws/rules/{rule}");
                let (segment, reason) = parse_error(&topic)?;
                prop_assert_eq!(
                    (segment, reason),
                    (3, TopicErrorReason::MissingSegment),
                    "`{}`",
                    topic
                );
            }
            Ok(())
        },
    );
}

/// The 0-based segment indexes of `{node_id}` and `{group_id}` in an address.
fn parameter_segments(channel: Channel) -> (usize, Option<usize>) {
    let segments: Vec<&str> = channel.address().split('/').collect();
    let node = segments
        .iter()
        .position(|segment| *segment == "{node_id}")
        .expect("every address has a node id");
    let group = segments.iter().position(|segment| *segment == "{group_id}");
    (node, group)
}

#[test]
fn malformed_topics_name_the_segment_at_fault() {
    let forms = prop_oneof![Just(TopicForm::Plain), Just(TopicForm::Ingest)];
    let cases = (channel(), node_id(), group_id(), forms, open_string(0, 6));
    check_property(
        "malformed topic",
        &cases,
        |(channel, node, group, form, extra)| {
            let topic = topic_for(channel, &node, &group);
            let Some(text) = topic.to_string_in(form) else {
                return Ok(());
            };
            // Segments before the plain topic: `$aws/rules/<rule>/`.
            let base = if form == TopicForm::Ingest { 3 } else { 0 };
            let (node_segment, group_segment) = parameter_segments(channel);
            let with_segment = |index: usize, value: &str| {
                let mut segments: Vec<&str> = text.split('/').collect();
                segments[index] = value;
                segments.join("/")
            };

            // An extra segment after a complete topic (unless the channel's address plus
            // a group segment is another channel: `params/local` -> `params/local/<group>`).
            let group_address = format!("{}/{{group_id}}", channel.address());
            if !Channel::ALL
                .iter()
                .any(|other| other.address() == group_address)
            {
                let longer = format!("{text}/{}", extra.replace('/', ""));
                let (segment, reason) = parse_error(&longer)?;
                prop_assert_eq!(segment, text.split('/').count(), "`{}`", longer);
                prop_assert_eq!(reason, TopicErrorReason::UnknownSuffix, "`{}`", longer);
            }

            // An empty node id.
            let empty = with_segment(base + node_segment, "");
            let (segment, reason) = parse_error(&empty)?;
            prop_assert_eq!(segment, base + node_segment, "`{}`", empty);
            prop_assert_eq!(
                reason,
                TopicErrorReason::InvalidId(IdError::Empty),
                "`{}`",
                empty
            );

            // A node id with an MQTT wildcard.
            let wildcard = with_segment(base + node_segment, "a+b");
            let (segment, reason) = parse_error(&wildcard)?;
            prop_assert_eq!(segment, base + node_segment, "`{}`", wildcard);
            prop_assert_eq!(
                reason,
                TopicErrorReason::InvalidId(IdError::ForbiddenChar {
                    found: '+',
                    offset: 1
                }),
                "`{}`",
                wildcard
            );

            // A node id over the limit.
            let long_id = "N".repeat(NodeId::MAX_LEN + 1);
            let long = with_segment(base + node_segment, &long_id);
            let (segment, reason) = parse_error(&long)?;
            prop_assert_eq!(segment, base + node_segment, "`{}`", long);
            prop_assert_eq!(
                reason,
                TopicErrorReason::InvalidId(IdError::TooLong {
                    len: NodeId::MAX_LEN + 1,
                    max: NodeId::MAX_LEN
                }),
                "`{}`",
                long
            );

            // An empty group id.
            if let Some(group_segment) = group_segment {
                let empty = with_segment(base + group_segment, "");
                let (segment, reason) = parse_error(&empty)?;
                prop_assert_eq!(segment, base + group_segment, "`{}`", empty);
                prop_assert_eq!(
                    reason,
                    TopicErrorReason::InvalidId(IdError::Empty),
                    "`{}`",
                    empty
                );
            }

            // The topic cut before its last segment.
            let cut = text
                .rsplit_once('/')
                .map(|(head, _)| head)
                .unwrap_or_default();
            let cut_segments = cut.split('/').count();
            match Topic::parse(cut) {
                Err(error) => prop_assert!(
                    error.segment() <= cut_segments,
                    "`{}`: segment {} is past the end",
                    cut,
                    error.segment()
                ),
                // `node/<id>/params/local/<group>` cut is `params/local`, a channel itself.
                Ok(parsed) => prop_assert!(
                    group_segment.is_some() || parsed.channel() != channel,
                    "`{}` parsed as {:?}",
                    cut,
                    parsed
                ),
            }
            Ok(())
        },
    );
}

#[test]
fn missing_and_unknown_segments() {
    let cases: &[(&str, usize, TopicErrorReason)] = &[
        ("node", 1, TopicErrorReason::MissingSegment),
        ("node/7C9EBD4A1B2C", 2, TopicErrorReason::MissingSegment),
        (
            "node/7C9EBD4A1B2C/params",
            3,
            TopicErrorReason::MissingSegment,
        ),
        (
            "node/7C9EBD4A1B2C/bogus",
            2,
            TopicErrorReason::UnknownSuffix,
        ),
        (
            "node/7C9EBD4A1B2C/params/bogus",
            3,
            TopicErrorReason::UnknownSuffix,
        ),
        ("$aws/events/presence", 3, TopicErrorReason::MissingSegment),
        (
            "$aws/events/presence/connected",
            4,
            TopicErrorReason::MissingSegment,
        ),
        (
            "$aws/events/presence/bogus/N",
            3,
            TopicErrorReason::UnknownPrefix,
        ),
        (
            "$aws/rules/esp_node_config",
            3,
            TopicErrorReason::MissingSegment,
        ),
        (
            "nodes/7C9EBD4A1B2C/config",
            0,
            TopicErrorReason::UnknownPrefix,
        ),
    ];
    for (topic, segment, reason) in cases {
        let error = Topic::parse(topic).expect_err(topic);
        assert_eq!(
            (error.segment(), error.reason()),
            (*segment, reason),
            "`{topic}`: {error}"
        );
    }
    // `init` is the initial-params channel, never a group.
    let (topic, form) = Topic::parse_form("node/7C9EBD4A1B2C/params/local/init").expect("parses");
    assert_eq!(
        (topic.channel(), form),
        (Channel::ParamsLocalInit, TopicForm::Plain)
    );
}
