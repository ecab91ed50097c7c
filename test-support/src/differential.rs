//! The differential test of the generated decoders against a JSON Schema validator
//! (the `jsonschema` crate): for every JSON message of a document, instances made
//! from its payload schema (valid ones, and each of them with one random change that
//! may break a rule) are decoded by the generated code and validated by `jsonschema`;
//! the two must agree on every instance. `codegen/contract` runs it in `cargo test`
//! for every document; the `differential` fuzz target draws the instances of the
//! RainMaker spec from the fuzzer's bytes.
//!
//! The documented differences, which the test counts and prints rather than fails on
//! (the README lists them):
//!
//! - `oneOf` whose members overlap: JSON Schema refuses a value that matches two
//!   members; the generated enum takes the first member that fits.
//! - `format`s the runtime does not check (`hostname`, `ipv6`, `uri-reference`...)
//!   are annotations here: the validator is told to accept any value for them.
//! - Schemas with keywords no generated type carries (`not`, `if`/`then`/`else`,
//!   `contains`, `propertyNames`, `dependentSchemas`, `prefixItems`,
//!   `unevaluatedProperties`/`Items`, `patternProperties` beside `properties`) are
//!   skipped; their types say so in their docs.

use proptest::prelude::{Rng, RngExt};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Formats of JSON Schema the runtime does not check: any value passes them.
const UNCHECKED_FORMATS: &[&str] = &[
    "time",
    "duration",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv6",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Keywords no generated type carries.
const UNENFORCED: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "dependentSchemas",
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// What a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Instances both accepted.
    pub accepted: usize,
    /// Instances both refused.
    pub refused: usize,
    /// Disagreements of a documented kind, by kind.
    pub documented: Vec<String>,
    /// Messages skipped, with the reason.
    pub skipped: Vec<String>,
    /// Disagreements that are defects.
    pub failures: Vec<String>,
}

/// The payload schemas of a document (the `schemas.json` its build writes:
/// `[{"message": ..., "schema": ...}]`), each with its validator, or the reason it
/// is skipped.
pub struct Schemas {
    entries: Vec<(String, Value, Result<jsonschema::Validator, String>)>,
}

impl Schemas {
    /// Reads `schemas.json` and builds a validator for each schema.
    ///
    /// # Panics
    ///
    /// When `json` is not such a list (a build-script defect).
    pub fn load(json: &str) -> Self {
        let list: Vec<Value> = serde_json::from_str(json).expect("schemas.json");
        let entries = list
            .into_iter()
            .map(|entry| {
                let message = entry["message"].as_str().unwrap_or_default().to_owned();
                let schema = entry["schema"].clone();
                let validator = match unenforced_keyword(&schema) {
                    Some(keyword) => Err(format!("`{keyword}` is not enforced by the types")),
                    None => validator(&schema)
                        .ok_or_else(|| "the schema does not compile for jsonschema".to_owned()),
                };
                (message, schema, validator)
            })
            .collect();
        Self { entries }
    }

    /// Makes `cases` instances of every message with `runner`'s randomness (each
    /// valid, then with one random change) and compares `decode(message, payload)`
    /// (the generated code's verdict, with its error) with the validator's.
    pub fn compare(
        &self,
        runner: &mut TestRunner,
        cases: u32,
        decode: &impl Fn(&str, &[u8]) -> Result<(), String>,
        outcome: &mut Outcome,
    ) {
        for (message, schema, validator) in &self.entries {
            let validator = match validator {
                Ok(validator) => validator,
                Err(reason) => {
                    outcome.skipped.push(format!("{message}: {reason}"));
                    continue;
                }
            };
            for _ in 0..cases {
                let valid = instance(schema, runner, 0);
                let changed = mutate(&valid, runner.rng());
                for candidate in [valid, changed] {
                    compare_one(message, &candidate, validator, decode, outcome);
                }
            }
        }
    }
}

/// One instance per JSON message of `schemas`, every random choice taken from
/// `data` (a fuzzer's input; zeros once it runs out).
pub fn compare_bytes(
    schemas: &Schemas,
    data: &[u8],
    decode: impl Fn(&str, &[u8]) -> Result<(), String>,
) -> Outcome {
    let rng = TestRng::from_seed(RngAlgorithm::PassThrough, data);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut outcome = Outcome::default();
    schemas.compare(&mut runner, 1, &decode, &mut outcome);
    outcome
}

/// Runs `cases` instances per JSON message of `schemas` (see [`Schemas`]): the
/// same instances on every run, unless `DIFFERENTIAL_RANDOM` asks for new ones (a
/// failure prints the instance itself).
pub fn run(
    schemas: &str,
    cases: u32,
    decode: impl Fn(&str, &[u8]) -> Result<(), String>,
) -> Outcome {
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let mut runner = if std::env::var_os("DIFFERENTIAL_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let mut outcome = Outcome::default();
    Schemas::load(schemas).compare(&mut runner, cases, &decode, &mut outcome);
    outcome
}

/// One instance through both: counted, documented or recorded as a failure.
fn compare_one(
    message: &str,
    candidate: &Value,
    validator: &jsonschema::Validator,
    decode: &impl Fn(&str, &[u8]) -> Result<(), String>,
    outcome: &mut Outcome,
) {
    let bytes = serde_json::to_vec(candidate).expect("JSON");
    let verdict = decode(message, &bytes);
    let theirs = validator.is_valid(candidate);
    match (verdict.is_ok(), theirs) {
        (true, true) => outcome.accepted += 1,
        (false, false) => outcome.refused += 1,
        _ => {
            let overlapping = !theirs
                && validator.iter_errors(candidate).all(|error| {
                    matches!(
                        error.kind(),
                        jsonschema::error::ValidationErrorKind::OneOfMultipleValid { .. }
                    )
                });
            let counts_bytes = theirs
                && verdict
                    .as_ref()
                    .is_err_and(|error| error.contains("bytes long"));
            if overlapping {
                outcome
                    .documented
                    .push(format!("{message}: oneOf members overlap"));
            } else if counts_bytes {
                outcome
                    .documented
                    .push(format!("{message}: a runtime type counts bytes"));
            } else {
                let errors: Vec<String> = validator
                    .iter_errors(candidate)
                    .map(|error| format!("{} at `{}`", error, error.instance_path()))
                    .collect();
                outcome.failures.push(format!(
                    "{message}: generated decoder {}, jsonschema {}: {candidate}\n    {}",
                    match &verdict {
                        Ok(()) => "accepts".to_owned(),
                        Err(error) => format!("refuses ({error})"),
                    },
                    if theirs { "accepts" } else { "refuses" },
                    errors.join("; ")
                ));
            }
        }
    }
}

/// A draft 2019-09 validator (the first with `dependentRequired` and `uuid`), the
/// runtime's formats checked and the others not.
fn validator(schema: &Value) -> Option<jsonschema::Validator> {
    let mut options = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        .should_validate_formats(true);
    for format in UNCHECKED_FORMATS {
        options = options.with_format(*format, |_: &str| true);
    }
    options.build(schema).ok()
}

/// The first keyword of `UNENFORCED` used anywhere in `schema`, or a
/// `patternProperties` beside `properties`.
fn unenforced_keyword(schema: &Value) -> Option<String> {
    match schema {
        Value::Object(map) => {
            if let Some(keyword) = UNENFORCED
                .iter()
                .find(|keyword| map.contains_key(**keyword))
            {
                return Some((*keyword).to_owned());
            }
            if map.contains_key("patternProperties") && map.contains_key("properties") {
                return Some("patternProperties".to_owned());
            }
            map.iter()
                .filter(|(key, _)| {
                    !matches!(
                        key.as_str(),
                        "examples" | "example" | "default" | "const" | "enum"
                    )
                })
                .find_map(|(_, value)| unenforced_keyword(value))
        }
        Value::Array(items) => items.iter().find_map(unenforced_keyword),
        _ => None,
    }
}

/// A value of `schema`, made to satisfy it where the generator can (bounds, lengths,
/// patterns, formats, required properties, unique items).
fn instance(schema: &Value, runner: &mut TestRunner, depth: usize) -> Value {
    let Value::Object(map) = schema else {
        return if schema == &Value::Bool(false) {
            Value::Null
        } else {
            json!("any")
        };
    };
    if let Some(value) = map.get("const") {
        return value.clone();
    }
    if let Some(Value::Array(values)) = map.get("enum")
        && !values.is_empty()
    {
        return values[pick(runner.rng(), values.len())].clone();
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get(keyword)
            && !members.is_empty()
        {
            let member = &members[pick(runner.rng(), members.len())];
            let merged = merge(map, member, keyword);
            return instance(&merged, runner, depth + 1);
        }
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        let mut merged = map.clone();
        merged.remove("allOf");
        for part in parts {
            merged = merge_parts(&merged, part);
        }
        return instance(&Value::Object(merged), runner, depth + 1);
    }
    let ty = match map.get("type") {
        Some(Value::String(ty)) => ty.clone(),
        Some(Value::Array(types)) if !types.is_empty() => types[pick(runner.rng(), types.len())]
            .as_str()
            .unwrap_or("null")
            .to_owned(),
        _ if map.contains_key("properties") || map.contains_key("additionalProperties") => {
            "object".to_owned()
        }
        _ if map.contains_key("items") => "array".to_owned(),
        _ => "string".to_owned(),
    };
    if map.get("nullable") == Some(&Value::Bool(true)) && runner.rng().random_ratio(1, 8) {
        return Value::Null;
    }
    match ty.as_str() {
        "object" => object(map, runner, depth),
        "array" => array(map, runner, depth),
        "string" => string(map, runner),
        "integer" => integer(map, runner.rng()),
        "number" => number(map, runner.rng()),
        "boolean" => Value::Bool(runner.rng().random()),
        _ => Value::Null,
    }
}

fn object(map: &Map<String, Value>, runner: &mut TestRunner, depth: usize) -> Value {
    let required: Vec<&str> = map
        .get("required")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            let wanted =
                required.contains(&name.as_str()) || (depth < 4 && runner.rng().random_ratio(1, 2));
            if wanted {
                out.insert(name.clone(), instance(property, runner, depth + 1));
            }
        }
    }
    // Properties a `dependentRequired` asks for.
    if let Some(Value::Object(dependents)) = map.get("dependentRequired") {
        for (trigger, needed) in dependents {
            if out.contains_key(trigger) {
                for name in needed
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    let schema = map
                        .get("properties")
                        .and_then(|properties| properties.get(name))
                        .cloned()
                        .unwrap_or(Value::Bool(true));
                    let value = instance(&schema, runner, depth + 1);
                    out.entry(name.to_owned()).or_insert(value);
                }
            }
        }
    }
    let extra = map.get("additionalProperties");
    let extra_schema = match extra {
        Some(Value::Bool(false)) => None,
        Some(schema @ Value::Object(_)) => Some(schema.clone()),
        _ if map.contains_key("properties") => Some(json!({"type": "string"})),
        _ => Some(json!({"type": "integer"})),
    };
    let min = count(map, "minProperties").unwrap_or(0);
    let max = count(map, "maxProperties").unwrap_or(usize::MAX);
    if let Some(schema) = extra_schema {
        let wanted = min.max(usize::from(depth < 4 && runner.rng().random_ratio(1, 3)));
        let mut index = 0;
        while out.len() < wanted.min(max) {
            index += 1;
            let value = instance(&schema, runner, depth + 1);
            out.insert(format!("k{index}"), value);
        }
    }
    Value::Object(out)
}

fn array(map: &Map<String, Value>, runner: &mut TestRunner, depth: usize) -> Value {
    let min = count(map, "minItems").unwrap_or(0);
    let max = count(map, "maxItems").unwrap_or(min + 3).min(min + 3);
    let len = if depth >= 4 {
        min
    } else {
        min + pick(runner.rng(), max - min + 1)
    };
    let items = map.get("items").cloned().unwrap_or(Value::Bool(true));
    let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
    let mut out: Vec<Value> = Vec::new();
    let mut attempts = 0;
    while out.len() < len && attempts < len * 8 + 8 {
        attempts += 1;
        let item = instance(&items, runner, depth + 1);
        if !unique || !out.contains(&item) {
            out.push(item);
        }
    }
    Value::Array(out)
}

fn string(map: &Map<String, Value>, runner: &mut TestRunner) -> Value {
    let format = map
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let known = match format {
        "date-time" => Some("2024-05-01T12:30:00Z"),
        "date" => Some("2024-05-01"),
        "email" => Some("ops@example.com"),
        "uri" => Some("https://example.com/a"),
        "uuid" => Some("123e4567-e89b-12d3-a456-426614174000"),
        "ipv4" => Some("192.168.1.20"),
        _ => None,
    };
    if let Some(value) = known {
        return json!(value);
    }
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str)
        && let Ok(strategy) = proptest::string::string_regex(pattern)
        && let Ok(tree) = strategy.new_tree(runner)
    {
        return json!(tree.current());
    }
    let min = count(map, "minLength").unwrap_or(0);
    let max = count(map, "maxLength").unwrap_or(min + 8).min(min + 8);
    let len = min + pick(runner.rng(), max.saturating_sub(min) + 1);
    let text: String = (0..len)
        .map(|_| {
            const ALPHABET: &[char] = &['a', 'b', 'Z', '7', '_', 'é', '温', ' '];
            ALPHABET[pick(runner.rng(), ALPHABET.len())]
        })
        .collect();
    json!(text)
}

fn integer(map: &Map<String, Value>, rng: &mut TestRng) -> Value {
    let (low, high) = bounds(map);
    let low = low.max(-1000.0).ceil();
    let high = high.min(1000.0).floor();
    let step = map.get("multipleOf").and_then(Value::as_f64).unwrap_or(1.0);
    if step.fract() == 0.0 && step >= 1.0 {
        let first = (low / step).ceil() as i64;
        let last = (high / step).floor() as i64;
        if first <= last {
            let k = first + pick(rng, usize::try_from(last - first).unwrap_or(0) + 1) as i64;
            return json!(k * step as i64);
        }
        return json!(first * step as i64);
    }
    if low > high {
        return json!(low as i64);
    }
    json!(low as i64 + pick(rng, (high - low) as usize + 1) as i64)
}

fn number(map: &Map<String, Value>, rng: &mut TestRng) -> Value {
    let (low, high) = bounds(map);
    let low = low.max(-1000.0);
    let high = high.min(1000.0);
    if let Some(step) = map.get("multipleOf").and_then(Value::as_f64) {
        let first = (low / step).ceil();
        let last = (high / step).floor();
        let k = if first <= last {
            first + pick(rng, (last - first) as usize + 1) as f64
        } else {
            first
        };
        return json!(k * step);
    }
    let unit = f64::from(rng.next_u32()) / f64::from(u32::MAX);
    let value = low + (high - low) * unit;
    // Two decimals, kept inside exclusive bounds.
    let rounded = (value * 100.0).round() / 100.0;
    let value = if rounded <= low || rounded >= high {
        value
    } else {
        rounded
    };
    json!(value)
}

/// The inclusive range a number must be in (exclusive bounds nudged inside).
fn bounds(map: &Map<String, Value>) -> (f64, f64) {
    let get = |key: &str| map.get(key).and_then(Value::as_f64);
    let mut low = get("minimum").unwrap_or(f64::NEG_INFINITY);
    let mut high = get("maximum").unwrap_or(f64::INFINITY);
    if let Some(bound) = get("exclusiveMinimum") {
        low = low.max(bound + 0.01);
    }
    if let Some(bound) = get("exclusiveMaximum") {
        high = high.min(bound - 0.01);
    }
    if map.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
        low += 0.01;
    }
    if map.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
        high -= 0.01;
    }
    (low, high)
}

/// `value` with one random change somewhere in it: another type, a longer or empty
/// string, a number moved, an item repeated or dropped, a property dropped or added.
fn mutate(value: &Value, rng: &mut TestRng) -> Value {
    let mut out = value.clone();
    let mut nodes = 0;
    count_nodes(&out, &mut nodes);
    let target = pick(rng, nodes.max(1));
    let mut seen = 0;
    change_at(&mut out, target, &mut seen, rng);
    out
}

fn count_nodes(value: &Value, nodes: &mut usize) {
    *nodes += 1;
    match value {
        Value::Array(items) => items.iter().for_each(|item| count_nodes(item, nodes)),
        Value::Object(map) => map.values().for_each(|item| count_nodes(item, nodes)),
        _ => {}
    }
}

fn change_at(value: &mut Value, target: usize, seen: &mut usize, rng: &mut TestRng) -> bool {
    if *seen == target {
        change(value, rng);
        return true;
    }
    *seen += 1;
    match value {
        Value::Array(items) => items
            .iter_mut()
            .any(|item| change_at(item, target, seen, rng)),
        Value::Object(map) => map
            .values_mut()
            .any(|item| change_at(item, target, seen, rng)),
        _ => false,
    }
}

fn change(value: &mut Value, rng: &mut TestRng) {
    let other_type = [
        json!(null),
        json!(true),
        json!(17),
        json!(-2.5),
        json!("x"),
        json!([]),
        json!({}),
    ];
    match (value.clone(), pick(rng, 3)) {
        (Value::String(text), 0) => *value = json!(format!("{text}{}", "w".repeat(40))),
        (Value::String(_), 1) => *value = json!(""),
        (Value::Number(number), 0) => match number.as_i64() {
            Some(integer) => *value = json!(integer + 1000),
            None => *value = json!(number.as_f64().unwrap_or(0.0) + 1000.0),
        },
        (Value::Number(number), 1) => *value = json!(number.as_f64().unwrap_or(0.0) - 0.5),
        (Value::Array(mut items), 0) if !items.is_empty() => {
            items.push(items[0].clone());
            *value = Value::Array(items);
        }
        (Value::Array(_), 1) => *value = json!([]),
        (Value::Object(mut map), 0) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(pick(rng, map.len()))
                .cloned()
                .unwrap_or_default();
            map.remove(&key);
            *value = Value::Object(map);
        }
        (Value::Object(mut map), 1) => {
            map.insert("zz_unknown".to_owned(), json!(1));
            *value = Value::Object(map);
        }
        _ => *value = other_type[pick(rng, other_type.len())].clone(),
    }
}

/// `parent` without `keyword`, merged with the chosen `member`.
fn merge(parent: &Map<String, Value>, member: &Value, keyword: &str) -> Value {
    let mut base = parent.clone();
    base.remove(keyword);
    Value::Object(merge_parts(&base, member))
}

/// `base` with the keywords of `part`: properties and `required` united, anything
/// else from `part` where `base` lacks it.
fn merge_parts(base: &Map<String, Value>, part: &Value) -> Map<String, Value> {
    let mut out = base.clone();
    let Value::Object(part) = part else {
        return out;
    };
    for (key, value) in part {
        match (key.as_str(), out.get_mut(key), value) {
            ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                for (name, schema) in theirs {
                    mine.entry(name.clone()).or_insert_with(|| schema.clone());
                }
            }
            ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                for name in theirs {
                    if !mine.contains(name) {
                        mine.push(name.clone());
                    }
                }
            }
            (_, Some(_), _) => {}
            (_, None, _) => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

fn count(map: &Map<String, Value>, key: &str) -> Option<usize> {
    map.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// A number below `n` (0 when `n` is 0).
fn pick(rng: &mut TestRng, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    (rng.next_u64() % n as u64) as usize
}
