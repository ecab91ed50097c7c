//! RainMaker's conventions (`spec/README.md`), checked on a document that declares
//! `x-rainmaker-upstream`: what makes the spec complete and exact beyond what
//! AsyncAPI requires.
//!
//! - every one of the upstream summary's sixteen operation ids
//!   ([`UPSTREAM_OPERATION_IDS`]) is an operation;
//! - every operation states `x-rainmaker-direction` and the MQTT binding
//!   `qos: 1, retain: false`;
//! - every parameter states `x-rainmaker-pattern` (which its examples match) and
//!   `x-rainmaker-max-length`;
//! - every node-to-cloud channel has `x-rainmaker-ingest`, and no other channel has
//!   one;
//! - every component message is named after its key, has a content type, a payload
//!   and at least one example; binary examples are hex TLV8 frames that decode
//!   cleanly and agree with `x-rainmaker-decoded-examples`, whose command data
//!   matches its `data-schema`;
//! - every schema under `components/schemas` is named in PascalCase, and every object
//!   schema in it (nested ones included) states `additionalProperties`;
//!   `x-rainmaker-known-values` is a list of strings on a `type: string` schema;
//!   integers carry a `format` of [`INTEGER_FORMATS`]; no schema uses one of
//!   [`UNSUPPORTED_KEYWORDS`];
//! - `x-rainmaker-tlv` describes tags 1 to 6 and every upstream command (0, 1, 16,
//!   17, 20, 201, 202, 203);
//! - in `x-rainmaker-standard-types`, every list is non-empty, every param type has a
//!   default name, and devices and services name existing param types;
//! - every entry of `x-rainmaker-upstream-differences` is complete and its `location`
//!   resolves.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Reader;
use crate::model::Direction;
use crate::source::Location;

/// The operation ids of the upstream summary ("ESP RainMaker MQTT Definitions for
/// Nodes 3.3.0"), in its order. Each must be an operation of the spec.
pub const UPSTREAM_OPERATION_IDS: [&str; 16] = [
    "onPresenceConnected",
    "onPresenceDisconnected",
    "onNodeConfig",
    "onNodeParamsLocalInit",
    "onNodeUserMapping",
    "publishNodeParamsRemote",
    "onNodeParamsLocal",
    "onNodeParamsLocalGroup",
    "onNodeOtaFetch",
    "publishNodeOtaUrl",
    "onNodeOtaStatus",
    "onNodeTsData",
    "onNodeSimpleTsData",
    "onNodeFromNode",
    "publishNodeToNode",
    "onNodeAlert",
];

/// The values `x-rainmaker-tlv-frame` may take.
pub const TLV_FRAME_KINDS: [&str; 3] = ["request", "response", "any"];

/// The `format`s an integer schema may have (each maps to one Rust integer type).
pub const INTEGER_FORMATS: [&str; 5] = ["int32", "int64", "uint8", "uint16", "uint32"];

/// Schema keywords the spec does not use, because the generated types cannot express
/// them exactly; such rules go into descriptions.
pub const UNSUPPORTED_KEYWORDS: [&str; 7] = [
    "allOf",
    "anyOf",
    "not",
    "if",
    "then",
    "else",
    "discriminator",
];

/// The keys an entry of `x-rainmaker-upstream-differences` must have (strings).
pub const DIFFERENCE_KEYS: [&str; 5] = ["id", "location", "upstream", "wire", "resolution"];

/// Runs every convention check on the document `reader` reads.
pub(super) fn check(reader: &mut Reader<'_>) {
    reader.upstream_operations();
    reader.operation_conventions();
    reader.channel_conventions();
    reader.message_conventions();
    reader.schema_conventions();
    reader.tlv_conventions();
    reader.standard_type_conventions();
    reader.differences();
}

fn root() -> Location {
    Location::root()
}

fn ptr(tokens: &[&str]) -> Location {
    tokens.iter().fold(root(), |at, token| at.join(token))
}

impl<'a> Reader<'a> {
    fn report(&mut self, at: &Location, message: impl Into<String>) {
        self.problems.error(at, message);
    }

    /// The object at `at`, or a problem naming what was expected there.
    fn object(&mut self, at: &Location, what: &str) -> Option<&'a Map<String, Value>> {
        match self.sources.get(at) {
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                self.report(at, format!("{what} must be an object"));
                None
            }
            None => {
                self.report(at, format!("missing {what}"));
                None
            }
        }
    }

    fn upstream_operations(&mut self) {
        let at = ptr(&["operations"]);
        let operations = self.sources.get(&at).and_then(Value::as_object);
        for id in UPSTREAM_OPERATION_IDS {
            if !operations.is_some_and(|map| map.contains_key(id)) {
                self.report(&at, format!("upstream operation `{id}` is missing"));
            }
        }
    }

    fn operation_conventions(&mut self) {
        let at = ptr(&["operations"]);
        let Some(operations) = self.object(&at, "`operations`") else {
            return;
        };
        for (id, operation) in operations {
            let here = at.join(id);
            let Some(operation) = operation.as_object() else {
                continue;
            };
            if operation
                .get("messages")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                self.report(&here.join("messages"), "the operation has no message");
            }
            if operation.get("x-rainmaker-direction").is_none() {
                self.report(
                    &here.join("x-rainmaker-direction"),
                    "`x-rainmaker-direction` must be node-to-cloud, cloud-to-node or broker-to-cloud",
                );
            }
            self.binding(operation, &here);
        }
    }

    // ------------------------------------------------------------------ operations

    fn binding(&mut self, operation: &Map<String, Value>, here: &Location) {
        let at = here.join("bindings").join("mqtt");
        let mqtt = operation
            .get("bindings")
            .and_then(|bindings| bindings.get("mqtt"));
        let Some(mqtt) = mqtt else {
            self.report(&at, "missing MQTT binding (`qos: 1, retain: false`)");
            return;
        };
        if mqtt.get("qos").and_then(Value::as_u64) != Some(1) {
            self.report(&at.join("qos"), "the MQTT binding must have `qos: 1`");
        }
        if mqtt.get("retain").and_then(Value::as_bool) != Some(false) {
            self.report(
                &at.join("retain"),
                "the MQTT binding must have `retain: false`",
            );
        }
    }

    // ------------------------------------------------------------------ channels

    fn channel_conventions(&mut self) {
        let channels: Vec<(Location, Option<Direction>, bool)> = self
            .model
            .channels
            .iter()
            .map(|channel| {
                (
                    channel.at.clone(),
                    channel.direction,
                    channel.ingest.is_some(),
                )
            })
            .collect();
        for (at, direction, has_ingest) in channels {
            let node_to_cloud = direction == Some(Direction::NodeToCloud);
            let ingest_at = at.join("x-rainmaker-ingest");
            if node_to_cloud && !has_ingest {
                self.report(
                    &ingest_at,
                    "node-to-cloud channel without a basic-ingest alias (`x-rainmaker-ingest`)",
                );
            }
            if !node_to_cloud && has_ingest {
                self.report(
                    &ingest_at,
                    "only node-to-cloud channels have a basic-ingest alias",
                );
            }
            let Some(channel) = self.sources.get(&at) else {
                continue;
            };
            let declared: Vec<String> = channel
                .get("parameters")
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default();
            for name in declared {
                let place = at.join("parameters").join(&name);
                let Some((parameter, place)) = self.resolve(&place) else {
                    continue;
                };
                self.parameter_conventions(parameter, &place);
            }
        }
    }

    fn parameter_conventions(&mut self, parameter: &Value, at: &Location) {
        let pattern = parameter.get("x-rainmaker-pattern").and_then(Value::as_str);
        match pattern {
            None => self.report(at, "the parameter has no `x-rainmaker-pattern`"),
            Some(pattern) => {
                match jsonschema::validator_for(&json!({"type": "string", "pattern": pattern})) {
                    Err(error) => {
                        self.report(
                            &at.join("x-rainmaker-pattern"),
                            format!("invalid pattern: {error}"),
                        );
                    }
                    Ok(validator) => {
                        let examples = parameter.get("examples").and_then(Value::as_array);
                        for (index, example) in examples.into_iter().flatten().enumerate() {
                            if !validator.is_valid(example) {
                                self.report(
                                    &at.join("examples").join(index),
                                    format!(
                                        "example {example} does not match the parameter's pattern"
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        if parameter
            .get("x-rainmaker-max-length")
            .and_then(Value::as_u64)
            .is_none()
        {
            self.report(
                at,
                "the parameter has no `x-rainmaker-max-length` (a positive integer)",
            );
        }
    }

    // ------------------------------------------------------------------ messages

    fn message_conventions(&mut self) {
        let at = ptr(&["components", "messages"]);
        let Some(messages) = self.object(&at, "`components/messages`") else {
            return;
        };
        for (key, message) in messages {
            let here = at.join(key);
            let Some((message, here)) = self.follow(message, &here) else {
                continue;
            };
            let Some(message) = message.as_object() else {
                self.report(&here, "a message must be an object");
                continue;
            };
            if message.get("name").and_then(Value::as_str) != Some(key.as_str()) {
                self.report(
                    &here.join("name"),
                    format!("the message's `name` must be `{key}`"),
                );
            }
            if !message.contains_key("payload") {
                self.report(&here.join("payload"), "the message has no payload schema");
                continue;
            }
            let examples = message.get("examples").and_then(Value::as_array);
            let Some(examples) = examples.filter(|list| !list.is_empty()) else {
                self.report(&here.join("examples"), "the message has no example");
                continue;
            };
            match message.get("contentType").and_then(Value::as_str) {
                Some("application/json") => {}
                Some("application/octet-stream") => self.binary_examples(message, &here, examples),
                Some(other) => self.report(
                    &here.join("contentType"),
                    format!("unsupported content type `{other}`"),
                ),
                None => self.report(&here.join("contentType"), "the message has no content type"),
            }
        }
    }

    fn binary_examples(
        &mut self,
        message: &Map<String, Value>,
        here: &Location,
        examples: &[Value],
    ) {
        let kind = message.get("x-rainmaker-tlv-frame").and_then(Value::as_str);
        if !kind.is_some_and(|kind| TLV_FRAME_KINDS.contains(&kind)) {
            self.report(
                &here.join("x-rainmaker-tlv-frame"),
                "a binary message needs `x-rainmaker-tlv-frame`: request, response or any",
            );
        }
        if message.get("x-rainmaker-hex").and_then(Value::as_bool) != Some(true) {
            self.report(
                &here.join("x-rainmaker-hex"),
                "a binary message needs `x-rainmaker-hex: true` (its examples are hex)",
            );
        }
        let decoded = message
            .get("x-rainmaker-decoded-examples")
            .and_then(Value::as_object);
        let mut names = BTreeSet::new();
        for (index, example) in examples.iter().enumerate() {
            let at = here.join("examples").join(index);
            let name = example.get("name").and_then(Value::as_str);
            if let Some(name) = name {
                names.insert(name.to_owned());
            }
            let Some(text) = example.get("payload").and_then(Value::as_str) else {
                self.report(
                    &at.join("payload"),
                    "a binary example's payload must be a hex string",
                );
                continue;
            };
            let frame = match decode_hex(text).and_then(|bytes| decode_tlv(&bytes)) {
                Ok(frame) => frame,
                Err(message) => {
                    self.report(&at.join("payload"), message);
                    continue;
                }
            };
            let expected = name.and_then(|name| decoded.and_then(|map| map.get(name)));
            if let (Some(expected), Some(name)) = (expected, name) {
                let place = here.join("x-rainmaker-decoded-examples").join(name);
                if let Err(message) = compare_decoded(&frame, expected) {
                    self.report(&place, message);
                }
                if expected.get("data-schema").is_some() {
                    self.command_data(&frame, &place);
                }
            }
        }
        for name in decoded.into_iter().flat_map(Map::keys) {
            if !names.contains(name) {
                self.report(
                    &here.join("x-rainmaker-decoded-examples").join(name),
                    format!("no example named `{name}`"),
                );
            }
        }
    }

    /// Validates the JSON data of a decoded frame against the `data-schema` of its
    /// decoded-example entry at `place`.
    fn command_data(&mut self, frame: &BTreeMap<u8, Vec<u8>>, place: &Location) {
        let Some(data) = frame.get(&6) else {
            self.report(place, "`data-schema` given for a frame without data");
            return;
        };
        let data: Value = match serde_json::from_slice(data) {
            Ok(data) => data,
            Err(error) => {
                self.report(place, format!("the frame's data is not JSON: {error}"));
                return;
            }
        };
        let schema_at = place.join("data-schema");
        let Some(schema) = self.sources.get(&schema_at) else {
            return;
        };
        let Some(validator) = self.validator(schema, &schema_at) else {
            return;
        };
        for error in validator.iter_errors(&data) {
            self.report(
                &place.join("data-schema"),
                format!(
                    "the frame's data does not match at instance path `{}`: {error}",
                    error.instance_path()
                ),
            );
        }
    }

    // ------------------------------------------------------------------ TLV catalogue

    fn tlv_conventions(&mut self) {
        let at = ptr(&["x-rainmaker-tlv"]);
        let Some(tlv) = self.object(&at, "`x-rainmaker-tlv`") else {
            return;
        };
        let tags: BTreeSet<u64> = tlv
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|tag| tag.get("tag").and_then(Value::as_u64))
            .collect();
        for tag in 1..=6 {
            if !tags.contains(&tag) {
                self.report(&at.join("tags"), format!("tag {tag} is not described"));
            }
        }
        let ids: BTreeSet<u16> = self
            .model
            .commands
            .iter()
            .flatten()
            .map(|command| command.id)
            .collect();
        for id in [0, 1, 16, 17, 20, 201, 202, 203] {
            if !ids.contains(&id) {
                self.report(
                    &at.join("commands"),
                    format!("upstream command {id} is missing"),
                );
            }
        }
    }

    // ------------------------------------------------------------------ standard types

    /// The string values of the `enum` of the schema `name`.
    fn enum_values(&self, name: &str) -> BTreeSet<String> {
        self.sources
            .get(&ptr(&["components", "schemas", name, "enum"]))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    }

    fn standard_type_conventions(&mut self) {
        let at = ptr(&["x-rainmaker-standard-types"]);
        let Some(catalogue) = self.object(&at, "`x-rainmaker-standard-types`") else {
            return;
        };
        let list = |key: &str| catalogue.get(key).and_then(Value::as_array);
        let type_set = |key: &str| -> BTreeSet<String> {
            list(key)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.get("type").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        };
        let ui_types = type_set("ui-types");
        let data_types = self.enum_values("DataType");
        let properties = self.enum_values("ParamProperty");
        let mut param_names = BTreeSet::new();
        for key in [
            "ui-types",
            "device-types",
            "service-types",
            "param-types",
            "services",
        ] {
            if list(key).is_none_or(Vec::is_empty) {
                self.report(&at.join(key), format!("`{key}` must be a non-empty list"));
            }
        }
        for (index, entry) in list("param-types").into_iter().flatten().enumerate() {
            let here = at.join("param-types").join(index);
            if entry.get("type").and_then(Value::as_str).is_none() {
                self.report(&here.join("type"), "a param type needs a `type`");
            }
            match entry.get("default-name").and_then(Value::as_str) {
                Some(name) => {
                    param_names.insert(name.to_owned());
                }
                None => self.report(
                    &here.join("default-name"),
                    "a param type needs a `default-name`",
                ),
            }
            let data_type = entry.get("data-type").and_then(Value::as_str);
            if !data_type.is_some_and(|data_type| data_types.contains(data_type)) {
                self.report(
                    &here.join("data-type"),
                    "`data-type` must be a value of DataType",
                );
            }
            let listed = entry.get("properties").and_then(Value::as_array);
            let valid = listed.is_some_and(|listed| {
                listed
                    .iter()
                    .all(|property| property.as_str().is_some_and(|p| properties.contains(p)))
            });
            if !valid {
                self.report(
                    &here.join("properties"),
                    "`properties` must list values of ParamProperty",
                );
            }
            if let Some(ui_type) = entry.get("ui-type")
                && !ui_type
                    .as_str()
                    .is_some_and(|ui_type| ui_types.contains(ui_type))
            {
                self.report(&here.join("ui-type"), "`ui-type` must be one of `ui-types`");
            }
        }
        let check_params = |checker: &mut Self, names: Option<&Value>, place: &Location| {
            for (index, name) in names
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if !name.as_str().is_some_and(|name| param_names.contains(name)) {
                    checker.report(
                        &place.join(index),
                        format!("{name} is not the default name of a param type"),
                    );
                }
            }
        };
        for (index, entry) in list("device-types").into_iter().flatten().enumerate() {
            let here = at.join("device-types").join(index).join("constructor");
            if let Some(constructor) = entry.get("constructor") {
                check_params(self, constructor.get("params"), &here.join("params"));
            }
        }
        let service_types = type_set("service-types");
        for (index, entry) in list("services").into_iter().flatten().enumerate() {
            let here = at.join("services").join(index);
            check_params(self, entry.get("params"), &here.join("params"));
            let kind = entry.get("type").and_then(Value::as_str);
            if !kind.is_some_and(|kind| service_types.contains(kind)) {
                self.report(
                    &here.join("type"),
                    "a service's `type` must be one of `service-types`",
                );
            }
        }
    }

    // ------------------------------------------------------------------ schemas

    fn schema_conventions(&mut self) {
        let at = ptr(&["components", "schemas"]);
        let Some(schemas) = self.object(&at, "`components/schemas`") else {
            return;
        };
        for (name, schema) in schemas {
            let here = at.join(name);
            if !is_pascal_case(name) {
                self.report(&here, format!("schema name `{name}` is not PascalCase"));
            }
            self.schema_rules(schema, &here);
            let _ = self.validator(schema, &here);
        }
    }

    /// The object and open-set rules, on `schema` and every subschema in it.
    fn schema_rules(&mut self, schema: &Value, at: &Location) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        let is_object = match map.get("type") {
            Some(Value::String(kind)) => kind == "object",
            Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "object"),
            _ => false,
        } || map.contains_key("properties")
            || map.contains_key("patternProperties");
        if is_object && !map.contains_key("additionalProperties") {
            self.report(at, "object schema without `additionalProperties`");
        }
        for keyword in UNSUPPORTED_KEYWORDS {
            if map.contains_key(keyword) {
                self.report(
                    &at.join(keyword),
                    format!(
                        "`{keyword}` is not used in this spec (state the rule in a description)"
                    ),
                );
            }
        }
        if map.get("type").and_then(Value::as_str) == Some("integer") {
            let format = map.get("format").and_then(Value::as_str);
            if !format.is_some_and(|format| INTEGER_FORMATS.contains(&format)) {
                self.report(
                    at,
                    format!(
                        "an integer needs a `format`, one of {}",
                        INTEGER_FORMATS.join(", ")
                    ),
                );
            }
        }
        if let Some(known) = map.get("x-rainmaker-known-values") {
            let strings = known
                .as_array()
                .is_some_and(|list| !list.is_empty() && list.iter().all(Value::is_string));
            if !strings {
                self.report(
                    &at.join("x-rainmaker-known-values"),
                    "`x-rainmaker-known-values` must be a non-empty list of strings",
                );
            }
            if map.get("type").and_then(Value::as_str) != Some("string") || map.contains_key("enum")
            {
                self.report(
                    at,
                    "an open set (`x-rainmaker-known-values`) is a `type: string` without `enum`",
                );
            }
        }
        for keyword in ["properties", "patternProperties", "definitions", "$defs"] {
            if let Some(Value::Object(children)) = map.get(keyword) {
                for (key, child) in children {
                    self.schema_rules(child, &at.join(keyword).join(key));
                }
            }
        }
        for keyword in [
            "items",
            "additionalProperties",
            "additionalItems",
            "not",
            "if",
            "then",
            "else",
            "contains",
        ] {
            match map.get(keyword) {
                Some(child @ Value::Object(_)) => self.schema_rules(child, &at.join(keyword)),
                Some(Value::Array(children)) => {
                    for (index, child) in children.iter().enumerate() {
                        self.schema_rules(child, &at.join(keyword).join(index));
                    }
                }
                _ => {}
            }
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(children)) = map.get(keyword) {
                for (index, child) in children.iter().enumerate() {
                    self.schema_rules(child, &at.join(keyword).join(index));
                }
            }
        }
    }

    // ------------------------------------------------------------------ differences

    fn differences(&mut self) {
        let at = ptr(&["x-rainmaker-upstream-differences"]);
        let Some(list) = self.sources.get(&at) else {
            self.report(&at, "missing `x-rainmaker-upstream-differences`");
            return;
        };
        let Some(list) = list.as_array() else {
            self.report(&at, "`x-rainmaker-upstream-differences` must be a list");
            return;
        };
        let mut ids = BTreeSet::new();
        for (index, entry) in list.iter().enumerate() {
            let here = at.join(index);
            for key in DIFFERENCE_KEYS {
                if entry
                    .get(key)
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    self.report(
                        &here.join(key),
                        format!("the difference has no `{key}` text"),
                    );
                }
            }
            if let Some(id) = entry.get("id").and_then(Value::as_str)
                && !ids.insert(id.to_owned())
            {
                self.report(&here.join("id"), format!("duplicate difference id `{id}`"));
            }
            if let Some(location) = entry.get("location").and_then(Value::as_str) {
                let resolves = crate::pointer::Pointer::parse(location)
                    .is_some_and(|pointer| self.sources.get(&Location::in_root(pointer)).is_some());
                if !resolves {
                    self.report(
                        &here.join("location"),
                        format!("location `{location}` does not resolve in this document"),
                    );
                }
            }
        }
    }
}

fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Decodes hex text.
fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text).map_err(|error| format!("not hex: {error}"))
}

/// The values of a TLV8 frame by tag, the way the SDK reads them: the first record of
/// a tag wins, and a 255-byte record is joined with the records of the same tag that
/// immediately follow it.
fn decode_tlv(bytes: &[u8]) -> Result<BTreeMap<u8, Vec<u8>>, String> {
    let mut records: Vec<(u8, &[u8])> = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let (Some(&tag), Some(&length)) = (bytes.get(offset), bytes.get(offset + 1)) else {
            return Err(format!("TLV record at offset {offset} has no length byte"));
        };
        let start = offset + 2;
        let end = start + usize::from(length);
        let value = bytes.get(start..end).ok_or_else(|| {
            format!("TLV record of tag {tag} at offset {offset} runs past the end of the frame")
        })?;
        records.push((tag, value));
        offset = end;
    }
    let mut values: BTreeMap<u8, Vec<u8>> = BTreeMap::new();
    let mut records = records.into_iter().peekable();
    while let Some((tag, value)) = records.next() {
        let mut joined = value.to_vec();
        let mut last = value.len();
        while last == 255 {
            let Some((_, next)) = records.next_if(|(next_tag, _)| *next_tag == tag) else {
                break;
            };
            joined.extend_from_slice(next);
            last = next.len();
        }
        values.entry(tag).or_insert(joined);
    }
    Ok(values)
}

/// Compares a decoded frame with its `x-rainmaker-decoded-examples` entry.
fn compare_decoded(frame: &BTreeMap<u8, Vec<u8>>, expected: &Value) -> Result<(), String> {
    let Some(expected) = expected.as_object() else {
        return Err("a decoded example must be an object".to_owned());
    };
    let fields: [(&str, u8); 6] = [
        ("request_id", 1),
        ("user_role", 2),
        ("status", 3),
        ("timestamp", 4),
        ("command", 5),
        ("data", 6),
    ];
    for key in expected.keys() {
        if key != "data-schema" && !fields.iter().any(|(name, _)| name == key) {
            return Err(format!("unknown decoded field `{key}`"));
        }
    }
    for (name, tag) in fields {
        let actual = frame.get(&tag).map(|value| decoded_value(tag, value));
        let wanted = expected.get(name);
        match (actual, wanted) {
            (None, None) => {}
            (Some(actual), Some(wanted)) if &actual == wanted => {}
            (actual, wanted) => {
                return Err(format!(
                    "field `{name}` (tag {tag}): the frame has {}, the entry says {}",
                    actual.map_or("nothing".to_owned(), |v| v.to_string()),
                    wanted.map_or("nothing".to_owned(), Value::to_string),
                ));
            }
        }
    }
    Ok(())
}

/// A TLV value as the JSON the decoded-example entries use: text for the request id
/// and data, little-endian unsigned integers for the other tags.
fn decoded_value(tag: u8, value: &[u8]) -> Value {
    match tag {
        1 | 6 => match std::str::from_utf8(value) {
            Ok(text) => Value::String(text.to_owned()),
            Err(_) => Value::String(value.iter().map(|byte| format!("{byte:02x}")).collect()),
        },
        _ => {
            let number = value
                .iter()
                .take(8)
                .rev()
                .fold(0_u64, |acc, &byte| acc << 8 | u64::from(byte));
            Value::from(number)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_fragments_are_joined() {
        let mut frame = vec![6, 255];
        frame.extend(std::iter::repeat_n(b'a', 255));
        frame.extend([6, 1, b'b', 5, 2, 1, 0]);
        let values = decode_tlv(&frame).expect("decodes");
        assert_eq!(values[&6].len(), 256);
        assert_eq!(decoded_value(5, &values[&5]), Value::from(1));
    }

    #[test]
    fn truncated_tlv_is_an_error() {
        assert!(decode_tlv(&[1, 3, b'a']).is_err());
        assert!(decode_tlv(&[1]).is_err());
        assert!(decode_hex("0g").is_err());
        assert!(decode_hex("012").is_err());
    }

    #[test]
    fn pascal_case() {
        assert!(is_pascal_case("NodeConfig"));
        assert!(!is_pascal_case("nodeConfig"));
        assert!(!is_pascal_case("Node_Config"));
    }
}
