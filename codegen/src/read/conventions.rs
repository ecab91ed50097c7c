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
//!   cleanly (with `rainmaker-tlv`) and agree with `x-rainmaker-decoded-examples`,
//!   whose command data matches its `data-schema`;
//! - every schema under `components/schemas` is named in PascalCase, and every object
//!   schema in it (nested ones included) states `additionalProperties`;
//!   `x-rainmaker-known-values` is a list of strings on a `type: string` schema;
//!   integers carry a `format` of [`INTEGER_FORMATS`]; no schema uses one of
//!   [`UNSUPPORTED_KEYWORDS`];
//! - `x-rainmaker-tlv` describes tags 1 to 6 and every upstream command (0, 1, 16,
//!   17, 20, 201, 202, 203);
//! - every list of `x-rainmaker-standard-types` is non-empty;
//! - the document lists its `x-rainmaker-upstream-differences`.
//!
//! The checks that span several parts of the document (ingest aliases against
//! directions, frames against the tag table, the catalogue, the differences) run on
//! the [`Model`](crate::model::Model), which the reader has already checked for
//! consistency (a malformed catalogue entry is reported there, once); only the rules
//! about how RainMaker's document is written look at its text.

use rainmaker_tlv::RawFrame;
use serde_json::{Map, Value, json};

use super::Reader;
use crate::model::{DecodedExample, Direction, Encoding, StandardTypes, TagEncoding, Tlv};
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

/// Runs every convention check on the document `reader` reads.
pub(super) fn check(reader: &mut Reader<'_>) {
    reader.upstream_operations();
    reader.operation_conventions();
    reader.channel_conventions();
    reader.message_conventions();
    reader.schema_conventions();
    reader.tlv_conventions();
    reader.standard_type_conventions();
    if reader.model.differences.is_empty() {
        reader.report(
            &ptr(&["x-rainmaker-upstream-differences"]),
            "missing `x-rainmaker-upstream-differences`",
        );
    }
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

    /// The entries of the object at the path `tokens`, each with its location; none,
    /// and a problem, when there is no object there.
    fn entries(&mut self, tokens: &[&str]) -> Vec<(&'a String, &'a Value, Location)> {
        let at = ptr(tokens);
        let what = format!("`{}`", tokens.join("/"));
        let Some(object) = self.object(&at, &what) else {
            return Vec::new();
        };
        object
            .iter()
            .map(|(key, value)| (key, value, at.join(key)))
            .collect()
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
        for (_, operation, here) in self.entries(&["operations"]) {
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
        for (key, message, here) in self.entries(&["components", "messages"]) {
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
        if examples
            .iter()
            .any(|example| !example.get("payload").is_some_and(Value::is_string))
        {
            self.report(
                &here.join("examples"),
                "a binary example's payload must be a hex string",
            );
        }
    }

    /// Every binary example decodes as a TLV frame, and agrees with its
    /// `x-rainmaker-decoded-examples` entry.
    fn frame_examples(&mut self) {
        let Some(tlv) = self.model.tlv.clone() else {
            return;
        };
        let messages = self.model.messages.clone();
        for message in messages.iter().filter(|m| m.encoding != Encoding::Json) {
            for (index, (name, bytes)) in message.examples.iter().enumerate() {
                let at = message.at.join("examples").join(index).join("payload");
                let frame = match RawFrame::parse(bytes) {
                    Ok(frame) => frame,
                    Err(error) => {
                        self.report(&at, format!("not a TLV frame: {error}"));
                        continue;
                    }
                };
                let Some(expected) = message.decoded_examples.iter().find(|e| &e.name == name)
                else {
                    continue;
                };
                if let Err(problem) = compare_decoded(&tlv, &frame, expected) {
                    self.report(&expected.at, problem);
                }
                if let Some(schema_at) = &expected.data_schema {
                    self.command_data(&frame, &expected.at, schema_at);
                }
            }
            for expected in &message.decoded_examples {
                if !message
                    .examples
                    .iter()
                    .any(|(name, _)| *name == expected.name)
                {
                    self.report(
                        &expected.at,
                        format!("no example named `{}`", expected.name),
                    );
                }
            }
        }
    }

    /// Validates the JSON data of a decoded frame against the `data-schema` of its
    /// decoded-example entry at `place`.
    fn command_data(&mut self, frame: &RawFrame<'_>, place: &Location, schema_at: &Location) {
        let Some(data) = frame.data() else {
            self.report(place, "`data-schema` given for a frame without data");
            return;
        };
        let data: Value = match serde_json::from_slice(&data.to_vec()) {
            Ok(data) => data,
            Err(error) => {
                self.report(place, format!("the frame's data is not JSON: {error}"));
                return;
            }
        };
        let Some(schema) = self.sources.get(schema_at) else {
            return;
        };
        let Some(validator) = self.validator(schema, schema_at) else {
            return;
        };
        for error in validator.iter_errors(&data) {
            self.report(
                schema_at,
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
        let Some(tlv) = &self.model.tlv else {
            self.report(&at, "missing `x-rainmaker-tlv`");
            return;
        };
        let missing_tags: Vec<u8> = (1..=6)
            .filter(|tag| !tlv.tags.iter().any(|known| known.tag == *tag))
            .collect();
        let missing_commands: Vec<u16> = [0, 1, 16, 17, 20, 201, 202, 203]
            .into_iter()
            .filter(|id| !tlv.commands.iter().any(|command| command.id == *id))
            .collect();
        for tag in missing_tags {
            self.report(&at.join("tags"), format!("tag {tag} is not described"));
        }
        for id in missing_commands {
            self.report(
                &at.join("commands"),
                format!("upstream command {id} is missing"),
            );
        }
        self.frame_examples();
    }

    // ------------------------------------------------------------------ standard types

    fn standard_type_conventions(&mut self) {
        let at = ptr(&["x-rainmaker-standard-types"]);
        let Some(standard) = &self.model.standard_types else {
            self.report(&at, "missing `x-rainmaker-standard-types`");
            return;
        };
        let mut empty: Vec<&str> = StandardTypes::LISTS
            .iter()
            .filter(|list| (list.values)(standard).is_empty())
            .map(|list| list.key)
            .collect();
        if standard.services.is_empty() {
            empty.push("services");
        }
        for key in empty {
            self.report(&at.join(key), format!("`{key}` must be a non-empty list"));
        }
    }

    // ------------------------------------------------------------------ schemas

    fn schema_conventions(&mut self) {
        for (name, schema, here) in self.entries(&["components", "schemas"]) {
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
}

fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Compares a decoded frame with its `x-rainmaker-decoded-examples` entry, field by
/// field through the tag table.
fn compare_decoded(
    tlv: &Tlv,
    frame: &RawFrame<'_>,
    expected: &DecodedExample,
) -> Result<(), String> {
    for (key, _) in &expected.fields {
        if tlv.tag(key).is_none() {
            return Err(format!("unknown decoded field `{key}`"));
        }
    }
    for tag in &tlv.tags {
        let actual = frame
            .fields()
            .find(|field| field.tag.0 == tag.tag)
            .map(|field| decoded_value(tag.encoding, &field.value.to_vec()));
        let wanted = expected
            .fields
            .iter()
            .find(|(key, _)| *key == tag.name)
            .map(|(_, value)| value);
        match (actual, wanted) {
            (None, None) => {}
            (Some(actual), Some(wanted)) if &actual == wanted => {}
            (actual, wanted) => {
                return Err(format!(
                    "field `{}` (tag {}): the frame has {}, the entry says {}",
                    tag.name,
                    tag.tag,
                    actual.map_or("nothing".to_owned(), |v| v.to_string()),
                    wanted.map_or("nothing".to_owned(), Value::to_string),
                ));
            }
        }
    }
    Ok(())
}

/// A TLV value as the JSON the decoded-example entries use: text (hex when it is not
/// UTF-8) for text and byte tags, the little-endian number for the others.
fn decoded_value(encoding: TagEncoding, value: &[u8]) -> Value {
    if encoding.is_number() {
        let number = value
            .iter()
            .take(8)
            .rev()
            .fold(0_u64, |acc, &byte| acc << 8 | u64::from(byte));
        return Value::from(number);
    }
    match std::str::from_utf8(value) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => Value::String(hex::encode(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_little_endian_and_text_is_text() {
        assert_eq!(decoded_value(TagEncoding::U16Le, &[1, 2]), Value::from(513));
        assert_eq!(
            decoded_value(TagEncoding::Ascii, b"abc"),
            Value::from("abc")
        );
        assert_eq!(
            decoded_value(TagEncoding::Bytes, &[0xff]),
            Value::from("ff")
        );
    }

    #[test]
    fn pascal_case() {
        assert!(is_pascal_case("NodeConfig"));
        assert!(!is_pascal_case("nodeConfig"));
        assert!(!is_pascal_case("Node_Config"));
    }
}
