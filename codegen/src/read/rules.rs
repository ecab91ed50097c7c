//! The validation keywords of a schema ([`Rules`]): what a value must be beyond its
//! type, which the generated code checks after decoding and before encoding.
//!
//! A schema's rules belong to the place that holds its value: a property's inline
//! schema to the struct field, a named schema (a `$ref`, or an inline schema that
//! becomes a type of its own) to that type, an array's inline `items` and a map's
//! inline `additionalProperties` to the array or map. A `pattern` is compiled into a
//! DFA here, as channel parameters' are; one the compiler cannot take is a warning
//! and is not checked. A `format` the runtime does not check is named in the docs.

use serde_json::Value;

use super::Reader;
use crate::model::{ArrayRules, NumberRules, ObjectRules, Rules, StringRules};
use crate::source::Location;

/// The `format` values the runtime checks (`rainmaker_types::runtime::validate::Format`).
pub const CHECKED_FORMATS: &[&str] = &["date-time", "date", "email", "uri", "uuid", "ipv4"];

impl Reader<'_> {
    /// The validation keywords of `schema` (at `at`); none for a `$ref` or an
    /// `x-rust-type`, whose rules are those of the type they name.
    pub(super) fn rules_of(&mut self, schema: &Value, at: &Location) -> Rules {
        if !schema.is_object()
            || schema.get("$ref").is_some()
            || schema.get("x-rust-type").is_some()
        {
            return Rules::default();
        }
        // `allOf` merged as the type's reader merged it; its problems were reported
        // there already.
        let schema = if schema.get("allOf").is_some() {
            let reported = self.problems.len();
            let merged = self.normalize(schema, at);
            self.problems.truncate(reported);
            merged
        } else {
            schema.clone()
        };
        let mut rules = Rules {
            string: self.string_rules(&schema, at),
            number: self.number_rules(&schema, at),
            array: ArrayRules {
                min_items: self.count(&schema, at, "minItems"),
                max_items: self.count(&schema, at, "maxItems"),
                unique_items: schema.get("uniqueItems") == Some(&Value::Bool(true)),
            },
            object: ObjectRules {
                min_properties: self.count(&schema, at, "minProperties"),
                max_properties: self.count(&schema, at, "maxProperties"),
            },
            dependent_required: Self::dependent_required(&schema),
            items: None,
            values: None,
        };
        if let Some(items) = schema.get("items").filter(|items| is_inline(items)) {
            let items = self.rules_of(items, &at.join("items"));
            rules.items = (!items.is_empty()).then(|| Box::new(items));
        }
        if let Some(values) = schema
            .get("additionalProperties")
            .filter(|values| is_inline(values))
        {
            let values = self.rules_of(values, &at.join("additionalProperties"));
            rules.values = (!values.is_empty()).then(|| Box::new(values));
        }
        rules
    }

    /// `minLength`, `maxLength`, `pattern` and a checked `format`.
    fn string_rules(&mut self, schema: &Value, at: &Location) -> StringRules {
        let pattern = match schema.get("pattern") {
            None => None,
            Some(Value::String(source)) => match crate::pattern::compile(source) {
                Ok(compiled) => Some(compiled),
                Err(why) => {
                    self.problems
                        .warning(&at.join("pattern"), format!("{why}; it is not checked"));
                    None
                }
            },
            Some(_) => {
                self.problems
                    .error(&at.join("pattern"), "`pattern` must be a string");
                None
            }
        };
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .filter(|format| CHECKED_FORMATS.contains(format))
            .map(str::to_owned);
        StringRules {
            min_chars: self.count(schema, at, "minLength"),
            max_chars: self.count(schema, at, "maxLength"),
            pattern,
            format,
        }
    }

    /// The numeric bounds, with draft 4's boolean `exclusiveMinimum` and
    /// `exclusiveMaximum` read as they meant.
    fn number_rules(&mut self, schema: &Value, at: &Location) -> NumberRules {
        let mut rules = NumberRules {
            minimum: self.number(schema, at, "minimum"),
            maximum: self.number(schema, at, "maximum"),
            exclusive_minimum: None,
            exclusive_maximum: None,
            multiple_of: self.number(schema, at, "multipleOf"),
        };
        match schema.get("exclusiveMinimum") {
            Some(Value::Bool(true)) => rules.exclusive_minimum = rules.minimum.take(),
            Some(Value::Bool(false)) | None => {}
            Some(_) => rules.exclusive_minimum = self.number(schema, at, "exclusiveMinimum"),
        }
        match schema.get("exclusiveMaximum") {
            Some(Value::Bool(true)) => rules.exclusive_maximum = rules.maximum.take(),
            Some(Value::Bool(false)) | None => {}
            Some(_) => rules.exclusive_maximum = self.number(schema, at, "exclusiveMaximum"),
        }
        if let Some(step) = rules.multiple_of.filter(|step| *step <= 0.0) {
            self.problems.error(
                &at.join("multipleOf"),
                format!("`multipleOf` must be greater than 0, not {step}"),
            );
            rules.multiple_of = None;
        }
        rules
    }

    /// `dependentRequired` (and draft 7's `dependencies` with a list of names).
    fn dependent_required(schema: &Value) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for keyword in ["dependentRequired", "dependencies"] {
            let Some(Value::Object(entries)) = schema.get(keyword) else {
                continue;
            };
            for (property, required) in entries {
                let Value::Array(names) = required else {
                    // A schema dependency (`dependencies: {a: {...}}`) is named in the
                    // docs as unchecked.
                    continue;
                };
                let names: Vec<String> = names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                if !names.is_empty() {
                    out.push((property.clone(), names));
                }
            }
        }
        out
    }

    /// A non-negative integer keyword (`minLength`...), or `None` with an error when
    /// it is something else.
    fn count(&mut self, schema: &Value, at: &Location, keyword: &str) -> Option<u64> {
        let value = schema.get(keyword)?;
        let count = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                .map(|n| n as u64)
        });
        if count.is_none() {
            self.problems.error(
                &at.join(keyword),
                format!("`{keyword}` must be a non-negative integer"),
            );
        }
        count
    }

    /// A number keyword (`minimum`...), or `None` with an error when it is not one.
    fn number(&mut self, schema: &Value, at: &Location, keyword: &str) -> Option<f64> {
        let value = schema.get(keyword)?;
        let number = value.as_f64();
        if number.is_none() {
            self.problems
                .error(&at.join(keyword), format!("`{keyword}` must be a number"));
        }
        number
    }
}

/// Whether a sub-schema's rules stay with its parent: it is written inline and does
/// not become a named type of its own.
fn is_inline(schema: &Value) -> bool {
    schema.is_object() && schema.get("$ref").is_none() && !super::schema::defines_type(schema)
}
