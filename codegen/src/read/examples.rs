//! Message examples: their payloads as bytes on the wire (for the generated
//! examples and the tests that decode them), and the check of JSON examples against
//! their payload schema.

use serde_json::{Map, Value};

use super::Reader;
use crate::model::Encoding;
use crate::source::Location;

/// How deep `$ref`s are inlined when a schema is compiled for validation; deeper
/// (recursive) references accept anything.
const MAX_INLINE_DEPTH: usize = 24;

impl Reader<'_> {
    /// The examples of a message (`examples[].payload`) as wire bytes, each named,
    /// after checking JSON ones against the payload schema.
    pub(super) fn examples(
        &mut self,
        message: &Map<String, Value>,
        at: &Location,
        encoding: Encoding,
    ) -> Vec<(String, Vec<u8>)> {
        let Some(examples) = message.get("examples").and_then(Value::as_array) else {
            return Vec::new();
        };
        let hex = message.get("x-rainmaker-hex").and_then(Value::as_bool) == Some(true);
        let validator = match encoding {
            Encoding::Json => message
                .get("payload")
                .and_then(|payload| self.validator(payload, &at.join("payload"))),
            _ => None,
        };
        let mut out = Vec::new();
        for (index, example) in examples.iter().enumerate() {
            let example_at = at.join("examples").join(index);
            let name = example
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("example {}", index + 1), str::to_owned);
            let Some(payload) = example.get("payload") else {
                continue;
            };
            let bytes = match (encoding, payload) {
                (Encoding::Json, payload) => {
                    if let Some(validator) = &validator {
                        for error in validator.iter_errors(payload) {
                            let text = format!(
                                "does not match the payload schema at instance path `{}`: {error}",
                                error.instance_path()
                            );
                            if self.rainmaker {
                                self.problems.error(&example_at.join("payload"), text);
                            } else {
                                self.problems.warning(&example_at.join("payload"), text);
                            }
                        }
                    }
                    serde_json::to_vec(payload).unwrap_or_default()
                }
                (_, Value::String(text)) if hex => match hex::decode(text) {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        self.problems.error(
                            &example_at.join("payload"),
                            format!("a hex example is not hex: {error}"),
                        );
                        continue;
                    }
                },
                (_, Value::String(text)) => text.as_bytes().to_vec(),
                (_, other) => other.to_string().into_bytes(),
            };
            out.push((name, bytes));
        }
        out
    }

    /// A validator for the schema `schema` found at `at`, its `$ref`s inlined; `None`
    /// (with a warning) when it does not compile.
    pub(crate) fn validator(&mut self, schema: &Value, at: &Location) -> Option<jsonschema::Validator> {
        let inlined = self.inline_refs(schema, at, 0);
        match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&inlined)
        {
            Ok(validator) => Some(validator),
            Err(error) => {
                let text = format!("the schema does not compile: {error}");
                if self.rainmaker {
                    self.problems.error(at, text);
                } else {
                    self.problems.warning(at, text);
                }
                None
            }
        }
    }

    /// `schema` with every `$ref` replaced by its target (across files).
    fn inline_refs(&self, schema: &Value, at: &Location, depth: usize) -> Value {
        match schema {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    if depth >= MAX_INLINE_DEPTH {
                        return Value::Bool(true);
                    }
                    return match self.sources.follow(schema, at) {
                        Ok((target, target_at)) => self.inline_refs(target, &target_at, depth + 1),
                        Err(_) => Value::Bool(true),
                    };
                }
                Value::Object(
                    map.iter()
                        .map(|(key, child)| (key.clone(), self.inline_refs(child, &at.join(key), depth)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, child)| self.inline_refs(child, &at.join(index), depth))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}
