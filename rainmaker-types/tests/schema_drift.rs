//! The generated types and the spec cannot drift apart: for every JSON message (and
//! every command-data schema of the TLV channels) the JSON Schema that `schemars`
//! derives from the Rust type is compared with the spec's payload schema.
//!
//! # What "semantically equal" means
//!
//! Both schemas are first reduced to a normal form ([`Shape`]), `$ref`s resolved on
//! both sides (`#/components/schemas/...` in the spec, `#/$defs/...` in the derived
//! schema). Two schemas are equal when their normal forms are:
//!
//! - **objects**: the same property names, the same `required` set, the same shape for
//!   every property (recursively), and the same policy for unknown keys. The spec's
//!   `additionalProperties: true` means "kept" (the Rust type has a flattened `extra`
//!   map, which schemars renders as `additionalProperties: true`); the spec's `false`
//!   means "rejected", as JSON Schema says (the generated struct refuses unknown
//!   keys), which a derived schema expresses as `additionalProperties: false`. A
//!   derived schema without `additionalProperties` is "ignored" and differs from both.
//! - **maps** (no properties, values under `additionalProperties` or
//!   `patternProperties`): the same value shape. Key patterns (`^k[0-9]+$`) are not
//!   compared: a Rust map cannot restrict its keys, and the spec states the pattern.
//! - **optional values**: schemars renders `Option<T>` as `type: [T, "null"]` or as
//!   `anyOf: [T, {type: null}]`; both are "nullable T". A nullable property that is
//!   not required is read as plain T on both sides: an optional key of the generated
//!   types is `Option<T>`, which reads an absent key and `null` alike. A nullable
//!   *required* property, or a nullable map value, is compared as nullable.
//! - **strings**: a closed set (`enum`, or schemars' `oneOf`/`anyOf` of `const`s) must
//!   be the same set on both sides; an open string (`x-rainmaker-known-values` in the
//!   spec, `Other(String)` in Rust) is just a string. `pattern`, `minLength`,
//!   `maxLength` are value constraints and are not compared.
//! - **integers**: the same `format` (`int32`, `int64`, `uint8`, `uint16`, `uint32`);
//!   `minimum`/`maximum` are value constraints and are not compared.
//! - **numbers**: `type: number`, whatever schemars' `format` (`double`).
//! - **arrays**: the same item shape; `minItems`, `maxItems`, `uniqueItems` are not
//!   compared.
//! - **alternatives**: the spec's `oneOf` and schemars' `anyOf` (untagged enums) are
//!   ordered lists of alternatives (an untagged enum tries them in order), compared
//!   pairwise.
//! - **any value**: a schema without `type`, and a `type` list naming every non-null
//!   JSON kind, are both "any value" (`ParamValue`; that a param value is never
//!   `null` is stated in the spec's prose, not in its schema).
//! - Descriptions, titles, examples, defaults and `x-rainmaker-*` annotations are
//!   ignored.
//!
//! Every schema of `components/schemas` that is JSON (all but the TLV frames) must be
//! reached by at least one comparison, so a schema cannot be added to the spec without
//! being compared with its Rust type.
#![cfg(feature = "schemars")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rainmaker_codegen::Pointer;
use rainmaker_types::MessageKind;
use serde_json::{Map, Value};

/// What happens to keys an object does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unknown {
    /// Kept and re-encoded (`additionalProperties: true`).
    Kept,
    /// Accepted and dropped.
    Ignored,
    /// Refused.
    Rejected,
}

/// The normal form both schemas are reduced to before comparing.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Any,
    Null,
    Bool,
    Integer(Option<String>),
    Number,
    String,
    Enum(BTreeSet<String>),
    Array(Box<Shape>),
    Object {
        properties: BTreeMap<String, Shape>,
        required: BTreeSet<String>,
        unknown: Unknown,
    },
    Map(Box<Shape>),
    Nullable(Box<Shape>),
    OneOf(Vec<Shape>),
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any value"),
            Self::Null => f.write_str("null"),
            Self::Bool => f.write_str("boolean"),
            Self::Integer(format) => {
                write!(f, "integer ({})", format.as_deref().unwrap_or("no format"))
            }
            Self::Number => f.write_str("number"),
            Self::String => f.write_str("open string"),
            Self::Enum(values) => write!(f, "closed set {values:?}"),
            Self::Array(_) => f.write_str("array"),
            Self::Object { .. } => f.write_str("object"),
            Self::Map(_) => f.write_str("map"),
            Self::Nullable(inner) => write!(f, "nullable {inner}"),
            Self::OneOf(alternatives) => write!(f, "one of {} alternatives", alternatives.len()),
        }
    }
}

const NON_NULL_KINDS: [&str; 5] = ["boolean", "string", "object", "array", "number"];

/// Whether a `type` list names every non-null JSON kind (`integer` counts as a number).
fn names_every_kind(kinds: &[&str]) -> bool {
    NON_NULL_KINDS
        .iter()
        .all(|kind| kinds.contains(kind) || (*kind == "number" && kinds.contains(&"integer")))
}

/// A side of the comparison: how `$ref`s resolve and which names were reached.
trait Side {
    /// The schema `value` stands for, `$ref`s followed, with a location for messages.
    fn resolve<'a>(&'a self, value: &'a Value, at: &str) -> (&'a Value, String);
    /// What a schema with no `additionalProperties` does with unknown keys.
    fn unknown_when_unstated(&self, at: &str) -> Unknown;
    /// What `additionalProperties: false` means on this side.
    fn unknown_when_false(&self) -> Unknown;
}

struct SpecSide {
    reached: std::cell::RefCell<BTreeSet<String>>,
}

impl Side for SpecSide {
    fn resolve<'a>(&'a self, value: &'a Value, at: &str) -> (&'a Value, String) {
        let start = Pointer::parse(at).unwrap_or_else(Pointer::root);
        let (value, pointer) = common::spec()
            .follow(value, &start)
            .unwrap_or_else(|error| panic!("{at}: {error}"));
        if let Some(name) = pointer.as_str().strip_prefix("/components/schemas/")
            && !name.contains('/')
        {
            self.reached.borrow_mut().insert(name.to_owned());
        }
        (value, pointer.as_str().to_owned())
    }

    fn unknown_when_unstated(&self, at: &str) -> Unknown {
        panic!("{at}: the spec must state additionalProperties (spec/README.md)")
    }

    fn unknown_when_false(&self) -> Unknown {
        Unknown::Rejected
    }
}

struct RustSide {
    defs: Map<String, Value>,
}

impl Side for RustSide {
    fn resolve<'a>(&'a self, value: &'a Value, at: &str) -> (&'a Value, String) {
        let mut value = value;
        let mut at = at.to_owned();
        for _ in 0..32 {
            let Some(target) = value.get("$ref").and_then(Value::as_str) else {
                return (value, at);
            };
            let name = target
                .strip_prefix("#/$defs/")
                .unwrap_or_else(|| panic!("{at}: unexpected $ref `{target}`"));
            value = self
                .defs
                .get(name)
                .unwrap_or_else(|| panic!("{at}: $ref `{target}` has no definition"));
            at = format!("$defs/{name}");
        }
        panic!("{at}: $ref chain too long")
    }

    fn unknown_when_unstated(&self, _at: &str) -> Unknown {
        Unknown::Ignored
    }

    fn unknown_when_false(&self) -> Unknown {
        Unknown::Rejected
    }
}

/// Reduces a schema to its [`Shape`].
fn normalize(side: &impl Side, value: &Value, at: &str, depth: usize) -> Shape {
    assert!(depth < 24, "{at}: schemas nest too deeply (a $ref cycle?)");
    let (schema, at) = side.resolve(value, at);
    let at = at.as_str();
    if schema == &Value::Bool(true) || schema.as_object().is_some_and(Map::is_empty) {
        return Shape::Any;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        match all.as_slice() {
            [only] => return normalize(side, only, &format!("{at}/allOf/0"), depth + 1),
            _ => panic!("{at}: allOf with several schemas is not supported"),
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(keyword).and_then(Value::as_array) {
            return alternatives_shape(side, alternatives, &format!("{at}/{keyword}"), depth);
        }
    }
    if let Some(constant) = schema.get("const") {
        return Shape::Enum(BTreeSet::from([string_of(constant, at)]));
    }
    match schema.get("type") {
        None => Shape::Any,
        Some(Value::String(kind)) => type_shape(side, kind, schema, at, depth),
        Some(Value::Array(kinds)) => {
            let kinds: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            if names_every_kind(&kinds) {
                return Shape::Any;
            }
            let non_null: Vec<&str> = kinds
                .iter()
                .copied()
                .filter(|kind| *kind != "null")
                .collect();
            let inner = match non_null.as_slice() {
                [kind] => type_shape(side, kind, schema, at, depth),
                other => panic!("{at}: type list {other:?} is not supported"),
            };
            if kinds.contains(&"null") {
                Shape::Nullable(Box::new(inner))
            } else {
                inner
            }
        }
        Some(other) => panic!("{at}/type: {other}"),
    }
}

fn string_of(value: &Value, at: &str) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{at}: a closed set of non-strings ({value})"))
}

/// `oneOf` / `anyOf`: a closed string set, a nullable value, or ordered alternatives.
/// A closed object among the alternatives refuses unknown keys, so that the
/// alternative that fits is chosen.
fn alternatives_shape(side: &impl Side, alternatives: &[Value], at: &str, depth: usize) -> Shape {
    let shapes: Vec<Shape> = alternatives
        .iter()
        .enumerate()
        .map(|(index, alternative)| {
            normalize(side, alternative, &format!("{at}/{index}"), depth + 1)
        })
        .collect();
    if shapes.iter().all(|shape| matches!(shape, Shape::Enum(_))) {
        return Shape::Enum(
            shapes
                .into_iter()
                .flat_map(|shape| match shape {
                    Shape::Enum(values) => values,
                    _ => BTreeSet::new(),
                })
                .collect(),
        );
    }
    let non_null: Vec<&Shape> = shapes
        .iter()
        .filter(|shape| **shape != Shape::Null)
        .collect();
    if shapes.len() == 2 && non_null.len() == 1 {
        return Shape::Nullable(Box::new(non_null[0].clone()));
    }
    let closed = |shape: Shape| match shape {
        Shape::Object {
            properties,
            required,
            unknown: Unknown::Ignored,
        } => Shape::Object {
            properties,
            required,
            unknown: Unknown::Rejected,
        },
        shape => shape,
    };
    Shape::OneOf(shapes.into_iter().map(closed).collect())
}

fn type_shape(side: &impl Side, kind: &str, schema: &Value, at: &str, depth: usize) -> Shape {
    match kind {
        "null" => Shape::Null,
        "boolean" => Shape::Bool,
        "integer" => Shape::Integer(
            schema
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_owned),
        ),
        "number" => Shape::Number,
        "string" => match schema.get("enum").and_then(Value::as_array) {
            Some(values) => Shape::Enum(values.iter().map(|value| string_of(value, at)).collect()),
            None => Shape::String,
        },
        "array" => {
            let items = schema
                .get("items")
                .unwrap_or_else(|| panic!("{at}: array without items"));
            Shape::Array(Box::new(normalize(
                side,
                items,
                &format!("{at}/items"),
                depth + 1,
            )))
        }
        "object" => object_shape(side, schema, at, depth),
        other => panic!("{at}: type `{other}` is not supported"),
    }
}

fn object_shape(side: &impl Side, schema: &Value, at: &str, depth: usize) -> Shape {
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties");
    let patterns = schema.get("patternProperties").and_then(Value::as_object);

    // A map: values under additionalProperties (a schema) or patternProperties.
    if properties.is_none_or(Map::is_empty) {
        let value_schemas: Vec<(String, &Value)> = match (additional, patterns) {
            (Some(value @ Value::Object(map)), None) if !map.is_empty() => {
                vec![(format!("{at}/additionalProperties"), value)]
            }
            (None | Some(Value::Bool(false)), Some(patterns)) => patterns
                .iter()
                .map(|(pattern, value)| (format!("{at}/patternProperties/{pattern}"), value))
                .collect(),
            _ => Vec::new(),
        };
        if let [(value_at, value)] = value_schemas.as_slice() {
            return Shape::Map(Box::new(normalize(side, value, value_at, depth + 1)));
        }
        assert!(
            value_schemas.is_empty(),
            "{at}: several patternProperties are not supported"
        );
    }
    assert!(
        patterns.is_none(),
        "{at}: patternProperties next to properties are not supported"
    );
    let unknown = match additional {
        None => side.unknown_when_unstated(at),
        Some(Value::Bool(true)) => Unknown::Kept,
        Some(Value::Object(map)) if map.is_empty() => Unknown::Kept,
        Some(Value::Bool(false)) => side.unknown_when_false(),
        Some(other) => {
            panic!("{at}: additionalProperties {other} next to properties is not supported")
        }
    };
    let required: BTreeSet<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().map(|name| string_of(name, at)).collect())
        .unwrap_or_default();
    let properties = properties
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| {
                    let shape = normalize(
                        side,
                        property,
                        &format!("{at}/properties/{name}"),
                        depth + 1,
                    );
                    // An optional key reads an absent key and null alike.
                    let shape = match shape {
                        Shape::Nullable(inner) if !required.contains(name) => *inner,
                        shape => shape,
                    };
                    (name.clone(), shape)
                })
                .collect()
        })
        .unwrap_or_default();
    Shape::Object {
        properties,
        required,
        unknown,
    }
}

/// Lists every difference between the spec's shape and the Rust type's, by path.
fn differences(spec: &Shape, rust: &Shape, path: &str, out: &mut Vec<String>) {
    match (spec, rust) {
        (
            Shape::Object {
                properties: spec_properties,
                required: spec_required,
                unknown: spec_unknown,
            },
            Shape::Object {
                properties: rust_properties,
                required: rust_required,
                unknown: rust_unknown,
            },
        ) => {
            for name in spec_properties.keys() {
                if !rust_properties.contains_key(name) {
                    out.push(format!(
                        "{path}.{name}: in the spec, missing from the Rust type"
                    ));
                }
            }
            for name in rust_properties.keys() {
                if !spec_properties.contains_key(name) {
                    out.push(format!(
                        "{path}.{name}: in the Rust type, missing from the spec"
                    ));
                }
            }
            if spec_required != rust_required {
                out.push(format!(
                    "{path}: required keys differ: spec {spec_required:?}, Rust {rust_required:?}"
                ));
            }
            if spec_unknown != rust_unknown {
                out.push(format!(
                    "{path}: unknown keys are {spec_unknown:?} by the spec but {rust_unknown:?} by the Rust type"
                ));
            }
            for (name, spec_property) in spec_properties {
                if let Some(rust_property) = rust_properties.get(name) {
                    differences(spec_property, rust_property, &format!("{path}.{name}"), out);
                }
            }
        }
        (Shape::Array(spec_items), Shape::Array(rust_items)) => {
            differences(spec_items, rust_items, &format!("{path}[]"), out);
        }
        (Shape::Map(spec_values), Shape::Map(rust_values)) => {
            differences(spec_values, rust_values, &format!("{path}{{}}"), out);
        }
        (Shape::Nullable(spec_inner), Shape::Nullable(rust_inner)) => {
            differences(spec_inner, rust_inner, path, out);
        }
        (Shape::OneOf(spec_alternatives), Shape::OneOf(rust_alternatives)) => {
            if spec_alternatives.len() == rust_alternatives.len() {
                for (index, (spec_alt, rust_alt)) in
                    spec_alternatives.iter().zip(rust_alternatives).enumerate()
                {
                    differences(spec_alt, rust_alt, &format!("{path}|{index}"), out);
                }
            } else {
                out.push(format!(
                    "{path}: {} alternatives in the spec, {} in the Rust type",
                    spec_alternatives.len(),
                    rust_alternatives.len()
                ));
            }
        }
        (Shape::Enum(spec_values), Shape::Enum(rust_values)) => {
            let only_spec: Vec<_> = spec_values.difference(rust_values).collect();
            let only_rust: Vec<_> = rust_values.difference(spec_values).collect();
            if !only_spec.is_empty() || !only_rust.is_empty() {
                out.push(format!(
                    "{path}: closed sets differ: only in the spec {only_spec:?}, only in Rust {only_rust:?}"
                ));
            }
        }
        (spec, rust) if spec == rust => {}
        (spec, rust) => out.push(format!(
            "{path}: the spec says {spec}, the Rust type {rust}"
        )),
    }
}

/// The schema schemars derives for `T`, with its definitions.
fn derived<T: schemars::JsonSchema>() -> (Value, RustSide) {
    with_defs(schemars::schema_for!(T))
}

/// A derived schema as JSON, with its definitions.
fn with_defs(schema: schemars::Schema) -> (Value, RustSide) {
    let schema = serde_json::to_value(schema).expect("schemas are JSON");
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    (schema, RustSide { defs })
}

/// The schema derived from the Rust type of a JSON message's payload.
fn message_schema(message: &str) -> Option<(Value, RustSide)> {
    MessageKind::ALL
        .into_iter()
        .find(|kind| kind.document_name() == message)?
        .payload_schema()
        .map(with_defs)
}

/// The schema derived from the generated type called `name`.
fn command_data_schema(name: &str) -> Option<(Value, RustSide)> {
    rainmaker_types::messages::json_schema(name).map(with_defs)
}

/// Compares one spec schema with one derived schema; returns the differences.
fn compare(
    spec_side: &SpecSide,
    spec_at: &Pointer,
    rust: &(Value, RustSide),
    label: &str,
) -> Vec<String> {
    let spec_value = common::spec()
        .get(spec_at)
        .unwrap_or_else(|| panic!("{spec_at}: no such schema"));
    let spec_shape = normalize(spec_side, spec_value, spec_at.as_str(), 0);
    let rust_shape = normalize(&rust.1, &rust.0, "#", 0);
    let mut out = Vec::new();
    differences(&spec_shape, &rust_shape, label, &mut out);
    out
}

#[test]
fn generated_types_match_the_spec_schemas() {
    let spec_side = SpecSide {
        reached: std::cell::RefCell::new(BTreeSet::new()),
    };
    let mut failures = Vec::new();
    let mut compared = 0;

    for message in common::messages() {
        if message.is_tlv() {
            // Binary frames: a `format: binary` string implemented by hand, no JSON.
            let (schema, at) = &message.payload;
            assert_eq!(
                (schema.get("type"), schema.get("format")),
                (Some(&Value::from("string")), Some(&Value::from("binary"))),
                "{at}: a TLV payload is a binary string"
            );
            continue;
        }
        let Some(rust) = message_schema(&message.name) else {
            failures.push(format!(
                "{}: no Rust type mapped to this JSON message",
                message.name
            ));
            continue;
        };
        let at = message.at.join("payload");
        for difference in compare(&spec_side, &at, &rust, &message.name) {
            failures.push(format!(
                "{} ({}): {difference}",
                message.name, message.payload.1
            ));
        }
        compared += 1;
    }

    // Command data of the TLV channels: every schema the spec's commands name.
    let mut data_schemas = BTreeSet::new();
    collect_refs(
        common::spec()
            .get(&common::pointer("/x-rainmaker-tlv/commands"))
            .expect("commands"),
        &mut data_schemas,
    );
    for message in common::messages().iter().filter(|message| message.is_tlv()) {
        if let Some(examples) = message.object().get("x-rainmaker-decoded-examples") {
            collect_refs(examples, &mut data_schemas);
        }
    }
    for name in &data_schemas {
        let Some(rust) = command_data_schema(name) else {
            failures.push(format!(
                "{name}: no Rust type mapped to this command-data schema"
            ));
            continue;
        };
        let at = common::pointer("/components/schemas").join(name);
        for difference in compare(&spec_side, &at, &rust, name) {
            failures.push(format!("{name} ({at}): {difference}"));
        }
        compared += 1;
    }

    // Every JSON schema of the spec was reached by some comparison.
    let reached = spec_side.reached.borrow().clone();
    for name in common::keys("/components/schemas") {
        let schema = common::spec()
            .get(&common::pointer("/components/schemas").join(&name))
            .expect("listed schema");
        let binary = schema.get("format") == Some(&Value::from("binary"));
        if !binary && !reached.contains(&name) {
            failures.push(format!(
                "#/components/schemas/{name}: not compared with any Rust type"
            ));
        }
    }

    assert!(compared > 0, "nothing was compared");
    assert!(
        failures.is_empty(),
        "{} difference(s) between the spec and the generated types:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Collects the schema names of every `#/components/schemas/<name>` `$ref` in `value`.
fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|target| target.strip_prefix("#/components/schemas/"))
            {
                out.insert(name.to_owned());
            }
            map.values().for_each(|child| collect_refs(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, out)),
        _ => {}
    }
}

// ------------------------------------------------------------------ the normalizer itself

fn spec_shape_of(yaml: &str) -> Shape {
    let value: Value = serde_json::from_str(yaml).expect("JSON");
    let side = SpecSide {
        reached: std::cell::RefCell::new(BTreeSet::new()),
    };
    normalize(&side, &value, "", 0)
}

fn rust_shape_of<T: schemars::JsonSchema>() -> Shape {
    let (schema, side) = derived::<T>();
    normalize(&side, &schema, "#", 0)
}

#[test]
fn normalizer_reads_options_enums_and_maps_alike_on_both_sides() {
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Sample {
        required: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        optional: Option<String>,
        nullable: Option<u16>,
        kind: SampleKind,
        slots: std::collections::BTreeMap<String, Option<String>>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    enum SampleKind {
        /// Documented variants make schemars use `oneOf` of `const`s.
        #[serde(rename = "a")]
        A,
        #[serde(rename = "b")]
        B,
    }
    let spec = spec_shape_of(
        r#"{"type":"object","required":["required","kind","slots"],
            "properties":{
              "required":{"type":"integer","format":"int64"},
              "optional":{"type":"string"},
              "nullable":{"type":["integer","null"],"format":"uint16","minimum":1},
              "kind":{"type":"string","enum":["b","a"]},
              "slots":{"type":"object","patternProperties":{"^k[0-9]+$":{"type":["string","null"]}},
                       "additionalProperties":false}},
            "additionalProperties":true}"#,
    );
    let rust = rust_shape_of::<Sample>();
    let mut out = Vec::new();
    differences(&spec, &rust, "Sample", &mut out);
    assert!(out.is_empty(), "{out:#?}\nspec {spec:#?}\nrust {rust:#?}");
}

#[test]
fn normalizer_reports_drift_in_both_directions() {
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Drifted {
        renamed: String,
        count: i32,
        #[serde(rename = "kind")]
        kind: DriftedKind,
    }
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    enum DriftedKind {
        #[serde(rename = "a")]
        A,
        #[serde(rename = "c")]
        C,
    }
    let spec = spec_shape_of(
        r#"{"type":"object","required":["name","count","kind"],
            "properties":{
              "name":{"type":"string"},
              "count":{"type":"integer","format":"int64"},
              "kind":{"type":"string","enum":["a","b"]}},
            "additionalProperties":true}"#,
    );
    let rust = rust_shape_of::<Drifted>();
    let mut out = Vec::new();
    differences(&spec, &rust, "Drifted", &mut out);
    let text = out.join("\n");
    for expected in [
        "Drifted.name: in the spec, missing from the Rust type",
        "Drifted.renamed: in the Rust type, missing from the spec",
        "Drifted: required keys differ",
        "Drifted: unknown keys are Kept by the spec but Ignored by the Rust type",
        "Drifted.count: the spec says integer (int64), the Rust type integer (int32)",
        "Drifted.kind: closed sets differ: only in the spec [\"b\"], only in Rust [\"c\"]",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert_eq!(out.len(), 6, "{text}");
}
