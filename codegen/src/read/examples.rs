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
        let hex = message.get("x-rainmaker-hex").and_then(Value::as_bool) == Some(true);
        let schema = message
            .get("payload")
            .and_then(|payload| super::channels::json_schema_of(payload, &at.join("payload")));
        let validator = match (encoding, &schema) {
            (Encoding::Json, Some((schema, schema_at))) => self.validator(schema, schema_at),
            _ => None,
        };
        let Some(examples) = message.get("examples").and_then(Value::as_array) else {
            // No example: one made from the schema, kept when the schema accepts it.
            let (Some(validator), Some((schema, schema_at))) = (&validator, &schema) else {
                return Vec::new();
            };
            let synthesized = self.synthesize(schema, schema_at, 0);
            if !validator.is_valid(&synthesized) {
                return Vec::new();
            }
            return vec![(
                "made from the schema".to_owned(),
                self.sources
                    .to_json_in_order(&at.join("x-made-from-the-schema"), &synthesized),
            )];
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
                    // An example its own schema refuses cannot serve as a fixture: it is
                    // reported and left out.
                    let errors: Vec<String> =
                        validator.as_ref().map_or_else(Vec::new, |validator| {
                            validator
                                .iter_errors(payload)
                                .map(|error| {
                                    format!(
                                        "does not match the payload schema at instance path `{}`: \
                                     {error}; the example is left out of the generated examples",
                                        error.instance_path()
                                    )
                                })
                                .collect()
                        });
                    if !errors.is_empty() {
                        for text in errors {
                            self.error_if_rainmaker(&example_at.join("payload"), text);
                        }
                        continue;
                    }
                    self.sources
                        .to_json_in_order(&example_at.join("payload"), payload)
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
    pub(crate) fn validator(
        &mut self,
        schema: &Value,
        at: &Location,
    ) -> Option<jsonschema::Validator> {
        let inlined = self.inline_refs(schema, at, 0);
        match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&inlined)
        {
            Ok(validator) => Some(validator),
            Err(error) => {
                let text = format!("the schema does not compile: {error}");
                self.error_if_rainmaker(at, text);
                None
            }
        }
    }

    /// A value of `schema`: its own examples, default, const or first enum value where
    /// it has one, else a value of its type with every property filled in.
    fn synthesize(&self, schema: &Value, at: &Location, depth: usize) -> Value {
        let Ok((schema, at)) = self.sources.follow(schema, at) else {
            return Value::Null;
        };
        if depth > 8 {
            return Value::Null;
        }
        let first = |key: &str| match schema.get(key) {
            Some(Value::Array(items)) => items.first().cloned(),
            _ => None,
        };
        let fits = |value: &Value| match schema.get("type").and_then(Value::as_str) {
            None => true,
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some(_) => true,
        };
        if let Some(value) = first("examples")
            .or_else(|| schema.get("const").cloned())
            .or_else(|| schema.get("default").cloned())
            .or_else(|| first("enum"))
            .filter(fits)
        {
            return value;
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema.get(keyword)
                && let Some(member) = members.first()
            {
                let mut value = self.synthesize(member, &at.join(keyword).join(0), depth + 1);
                if let (Value::Object(value), Some(Value::Object(_))) =
                    (&mut value, schema.get("properties"))
                    && let Value::Object(shared) = self.object_value(schema, &at, depth)
                {
                    for (key, item) in shared {
                        value.entry(key).or_insert(item);
                    }
                }
                return value;
            }
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            let mut merged = Map::new();
            for (index, part) in parts.iter().enumerate() {
                match self.synthesize(part, &at.join("allOf").join(index), depth + 1) {
                    Value::Object(fields) => merged.extend(fields),
                    Value::Null => {}
                    other => return other,
                }
            }
            if let Value::Object(own) = self.object_value(schema, &at, depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        let ty = match schema.get("type") {
            Some(Value::String(ty)) => ty.as_str(),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|ty| *ty != "null")
                .unwrap_or("null"),
            _ if schema.get("properties").is_some() => "object",
            _ if schema.get("items").is_some() => "array",
            _ => return Value::Null,
        };
        match ty {
            "object" => self.object_value(schema, &at, depth),
            "array" => match schema.get("items") {
                Some(items) => {
                    Value::Array(vec![self.synthesize(items, &at.join("items"), depth + 1)])
                }
                None => Value::Array(Vec::new()),
            },
            "string" => Value::String(match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => "2026-01-01T00:00:00Z".to_owned(),
                Some("date") => "2026-01-01".to_owned(),
                Some("email") => "user@example.com".to_owned(),
                Some("uri") => "https://example.com/".to_owned(),
                _ => "text".to_owned(),
            }),
            "integer" => schema
                .get("minimum")
                .cloned()
                .unwrap_or_else(|| Value::from(1)),
            "number" => schema
                .get("minimum")
                .cloned()
                .unwrap_or_else(|| Value::from(1.5)),
            "boolean" => Value::Bool(true),
            _ => Value::Null,
        }
    }

    /// An object with a value for every property of `schema`.
    fn object_value(&self, schema: &Value, at: &Location, depth: usize) -> Value {
        let properties_at = at.join("properties");
        let mut object = Map::new();
        for (name, property_at) in self.sources.entries(&properties_at) {
            if let Some(property) = schema.get("properties").and_then(|p| p.get(&name)) {
                object.insert(name, self.synthesize(property, &property_at, depth + 1));
            }
        }
        Value::Object(object)
    }

    /// `schema` with every `$ref` replaced by its target (across files).
    pub(super) fn inline_refs(&self, schema: &Value, at: &Location, depth: usize) -> Value {
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
                let mut inlined: Map<String, Value> = map
                    .iter()
                    .map(|(key, child)| {
                        (key.clone(), self.inline_refs(child, &at.join(key), depth))
                    })
                    .collect();
                // OpenAPI's `nullable: true`, which JSON Schema spells with a type list.
                if inlined.remove("nullable") == Some(Value::Bool(true))
                    && let Some(Value::String(ty)) = inlined.get("type").cloned()
                {
                    inlined.insert("type".to_owned(), serde_json::json!([ty, "null"]));
                }
                Value::Object(inlined)
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
