//! Spec -> intermediate model: reads the AsyncAPI document, names everything and
//! rejects what the emitters cannot express, always with the JSON pointer at fault.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{
    Channel, Direction, Field, Ingest, Message, Model, Parameter, Segment, TypeDef, TypeKind,
    TypeRef, Variant,
};
use crate::naming;
use crate::pointer::Pointer;
use crate::spec::Spec;

/// Schema keywords that change the shape of a value and that the generator does not
/// support. Anything else that is not understood is an annotation or a validation
/// rule the generated types are looser than, and is ignored.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "allOf",
    "anyOf",
    "not",
    "dependentSchemas",
    "prefixItems",
    "contains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "discriminator",
];

/// Builds the intermediate model of `spec`.
pub fn load(spec: &Spec) -> Result<Model> {
    spec.check_refs()?;
    let mut loader = Loader {
        spec,
        model: Model {
            spec_name: spec_name(spec.origin()),
            ..Model::default()
        },
        names: HashMap::new(),
        components: HashMap::new(),
    };
    loader.load_schemas()?;
    loader.load_messages()?;
    loader.load_channels()?;
    loader.model.standard_types = crate::load_standard::load(spec, &loader.model)?;
    Ok(loader.model)
}

/// The file name part of a spec's origin, for the header of generated files.
fn spec_name(origin: &str) -> String {
    std::path::Path::new(origin).file_name().map_or_else(
        || origin.to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

struct Loader<'a> {
    spec: &'a Spec,
    model: Model,
    /// Rust type names in use, with the schema that took each.
    names: HashMap<String, Pointer>,
    /// The type of each component schema, by pointer text.
    components: HashMap<String, TypeRef>,
}

/// The description of a spec object: `description`, else `summary`, else `title`.
pub(crate) fn description(value: &Value) -> Option<String> {
    ["description", "summary", "title"]
        .iter()
        .find_map(|key| value.get(key).and_then(Value::as_str))
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// The string at `key` of `value` (found at `at`), which must be there.
pub(crate) fn required_str<'v>(value: &'v Value, at: &Pointer, key: &str) -> Result<&'v str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid(&at.join(key), format!("`{key}` must be a string")))
}

/// A component or channel key used as a Rust type name: kept as written when it is
/// already `UpperCamelCase` (spec rule: schema keys are PascalCase), else converted.
fn type_name(key: &str, at: &Pointer) -> Result<String> {
    let mut chars = key.chars();
    let already_camel = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric());
    if already_camel && key != "Self" {
        return Ok(key.to_owned());
    }
    naming::camel(key).ok_or_else(|| Error::invalid(at, format!("`{key}` gives no Rust name")))
}

impl Loader<'_> {
    /// The keys of the mapping at `at` in document order (empty when absent).
    fn keys(&self, at: &Pointer) -> Vec<String> {
        self.spec.ordered_keys(at).unwrap_or_default()
    }

    fn value(&self, at: &Pointer) -> Result<&Value> {
        self.spec
            .get(at)
            .ok_or_else(|| Error::invalid(at, "no such location"))
    }

    fn reserve(&mut self, name: &str, at: &Pointer) -> Result<()> {
        if let Some(first) = self.names.get(name) {
            return Err(Error::Collision {
                name: name.to_owned(),
                first: first.clone(),
                second: at.clone(),
            });
        }
        self.names.insert(name.to_owned(), at.clone());
        Ok(())
    }

    // ----- schemas -------------------------------------------------------------------

    fn load_schemas(&mut self) -> Result<()> {
        let base = Pointer::root().join("components").join("schemas");
        let keys = self.keys(&base);
        // Name every component first, so an inline type can never take a component's
        // name and a collision always names both places.
        let mut named = Vec::new();
        for key in &keys {
            let at = base.join(key);
            let schema = self.value(&at)?;
            if let Some(rust) = schema.get("x-rust-type") {
                let rust = rust.as_str().ok_or_else(|| {
                    Error::invalid(&at.join("x-rust-type"), "`x-rust-type` must be a string")
                })?;
                self.components
                    .insert(at.as_str().to_owned(), TypeRef::Runtime(rust.to_owned()));
                continue;
            }
            let name = type_name(key, &at)?;
            self.reserve(&name, &at)?;
            self.components
                .insert(at.as_str().to_owned(), TypeRef::Named(name.clone()));
            named.push((at, name));
        }
        for (at, name) in named {
            let schema = self.value(&at)?.clone();
            let slot = self.model.types.len();
            self.model.types.push(TypeDef {
                at: at.clone(),
                name: name.clone(),
                description: description(&schema),
                kind: TypeKind::RawBytes,
            });
            let kind = match self.kind_of(&schema, &at, &name)? {
                Some(kind) => kind,
                None if is_binary(&schema) => TypeKind::RawBytes,
                None => TypeKind::Alias {
                    inner: self.scalar_of(&schema, &at, &name)?,
                },
            };
            if let Some(def) = self.model.types.get_mut(slot) {
                def.kind = kind;
            }
        }
        Ok(())
    }

    /// The type of the schema `schema` found at `at`; `hint` names it if it needs a
    /// definition of its own.
    fn type_of(&mut self, schema: &Value, at: &Pointer, hint: &str) -> Result<TypeRef> {
        if schema.get("$ref").is_some() {
            let (target, target_at) = self.spec.follow(schema, at)?;
            if let Some(known) = self.components.get(target_at.as_str()) {
                return Ok(known.clone());
            }
            let target = target.clone();
            let hint = match target_at.last() {
                Some(last) => type_name(&last, &target_at)?,
                None => hint.to_owned(),
            };
            return self.type_of(&target, &target_at, &hint);
        }
        if let Some(rust) = schema.get("x-rust-type").and_then(Value::as_str) {
            return Ok(TypeRef::Runtime(rust.to_owned()));
        }
        if !defines_type(schema) {
            return self.scalar_of(schema, at, hint);
        }
        self.reserve(hint, at)?;
        // Take the slot before the kind is built, so the type comes before the inline
        // types it contains.
        let slot = self.model.types.len();
        self.model.types.push(TypeDef {
            at: at.clone(),
            name: hint.to_owned(),
            description: description(schema),
            kind: TypeKind::Alias {
                inner: TypeRef::Json,
            },
        });
        match self.kind_of(schema, at, hint)? {
            Some(kind) => {
                if let Some(def) = self.model.types.get_mut(slot) {
                    def.kind = kind;
                }
                Ok(TypeRef::Named(hint.to_owned()))
            }
            None => Err(Error::unsupported(at, "a schema the generator cannot name")),
        }
    }

    /// The kind of a schema that needs a named type (struct, enums, untagged), or
    /// `None` for schemas that map to existing Rust types.
    fn kind_of(&mut self, schema: &Value, at: &Pointer, name: &str) -> Result<Option<TypeKind>> {
        check_keywords(schema, at)?;
        let (ty, nullable) = schema_type(schema, at)?;
        if nullable {
            // The nullable wrapper is not a named type; its content may be.
            return Ok(None);
        }
        if let Some(one_of) = schema.get("oneOf") {
            return self.untagged(one_of, &at.join("oneOf")).map(Some);
        }
        if let Some(values) = schema.get("enum") {
            return enum_variants(values, &at.join("enum"), false)
                .map(|variants| Some(TypeKind::Enum { variants }));
        }
        if let Some(values) = schema.get("x-rainmaker-known-values") {
            if ty != Some("string") {
                return Err(Error::unsupported(
                    at,
                    "`x-rainmaker-known-values` on a schema that is not `type: string`",
                ));
            }
            return enum_variants(values, &at.join("x-rainmaker-known-values"), true)
                .map(|variants| Some(TypeKind::OpenEnum { variants }));
        }
        if ty == Some("object") && schema.get("properties").is_some() {
            return self.structure(schema, at, name).map(Some);
        }
        Ok(None)
    }

    fn untagged(&mut self, one_of: &Value, at: &Pointer) -> Result<TypeKind> {
        let items = one_of
            .as_array()
            .ok_or_else(|| Error::invalid(at, "`oneOf` must be a list"))?;
        let mut variants: Vec<(String, TypeRef)> = Vec::new();
        let mut seen: HashMap<String, Pointer> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let item_at = at.join(index);
            if item.get("$ref").is_none() {
                return Err(Error::unsupported(
                    &item_at,
                    "`oneOf` entries must be `$ref`s to named schemas",
                ));
            }
            let ty = self.type_of(item, &item_at, "")?;
            let variant = match &ty {
                TypeRef::Named(name) | TypeRef::Runtime(name) => name.clone(),
                _ => {
                    return Err(Error::unsupported(
                        &item_at,
                        "`oneOf` entries must name object, enum or `x-rust-type` schemas",
                    ));
                }
            };
            if let Some(first) = seen.insert(variant.clone(), item_at.clone()) {
                return Err(Error::Collision {
                    name: variant,
                    first,
                    second: item_at,
                });
            }
            variants.push((variant, ty));
        }
        if variants.is_empty() {
            return Err(Error::invalid(at, "`oneOf` is empty"));
        }
        Ok(TypeKind::Untagged { variants })
    }

    fn structure(&mut self, schema: &Value, at: &Pointer, name: &str) -> Result<TypeKind> {
        let extra = match schema.get("additionalProperties") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => {
                return Err(Error::unsupported(
                    &at.join("additionalProperties"),
                    "a schema for additional properties beside `properties`",
                ));
            }
        };
        if schema.get("patternProperties").is_some() {
            return Err(Error::unsupported(
                &at.join("patternProperties"),
                "`patternProperties` beside `properties`",
            ));
        }
        let required: Vec<&str> = match schema.get("required") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(_) => {
                return Err(Error::invalid(
                    &at.join("required"),
                    "`required` must be a list",
                ));
            }
        };
        let properties_at = at.join("properties");
        let mut fields: Vec<Field> = Vec::new();
        let mut seen: HashMap<String, Pointer> = HashMap::new();
        if extra {
            seen.insert("extra".to_owned(), at.join("additionalProperties"));
        }
        for wire in self.keys(&properties_at) {
            let field_at = properties_at.join(&wire);
            let property = self.value(&field_at)?.clone();
            let rust = naming::snake(&wire).ok_or_else(|| {
                Error::invalid(&field_at, format!("property `{wire}` gives no Rust name"))
            })?;
            if let Some(first) = seen.insert(rust.clone(), field_at.clone()) {
                return Err(Error::Collision {
                    name: format!("{name}::{rust}"),
                    first,
                    second: field_at,
                });
            }
            let hint = format!("{name}{}", naming::camel(&wire).unwrap_or_default());
            let ty = self.type_of(&property, &field_at, &hint)?;
            let description = description(&property).or_else(|| {
                // A `$ref`'d property documents itself through its target.
                self.spec
                    .follow(&property, &field_at)
                    .ok()
                    .and_then(|(target, _)| description(target))
            });
            fields.push(Field {
                required: required.contains(&wire.as_str()),
                wire,
                rust,
                ty,
                description,
            });
        }
        Ok(TypeKind::Struct { fields, extra })
    }

    /// The type of a schema that needs no definition of its own.
    fn scalar_of(&mut self, schema: &Value, at: &Pointer, hint: &str) -> Result<TypeRef> {
        check_keywords(schema, at)?;
        let (ty, nullable) = schema_type(schema, at)?;
        if nullable {
            let mut inner = schema.clone();
            if let (Some(object), Some(ty)) = (inner.as_object_mut(), ty) {
                object.insert("type".to_owned(), Value::String(ty.to_owned()));
            }
            let inner = self.type_of(&inner, at, hint)?;
            return Ok(TypeRef::Nullable(Box::new(inner)));
        }
        let format = schema.get("format").and_then(Value::as_str);
        Ok(match ty {
            Some("boolean") => TypeRef::Bool,
            Some("number") => TypeRef::Number,
            Some("integer") => TypeRef::Int(match format {
                None | Some("int64") => "i64",
                Some("int32") => "i32",
                Some("uint8") => "u8",
                Some("uint16") => "u16",
                Some("uint32") => "u32",
                Some(other) => {
                    return Err(Error::unsupported(
                        &at.join("format"),
                        format!("integer format `{other}`"),
                    ));
                }
            }),
            Some("string") if format == Some("binary") => TypeRef::Bytes,
            Some("string") => TypeRef::String,
            Some("array") => match schema.get("items") {
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
                Some(items) => {
                    let item = self.type_of(items, &at.join("items"), &format!("{hint}Item"))?;
                    TypeRef::Vec(Box::new(item))
                }
            },
            Some("object") => self.map_of(schema, at, hint)?,
            None => TypeRef::Json,
            Some(other) => {
                return Err(Error::unsupported(
                    &at.join("type"),
                    format!("type `{other}`"),
                ));
            }
        })
    }

    /// An object without `properties`: a map, or a JSON object kept as it is.
    fn map_of(&mut self, schema: &Value, at: &Pointer, hint: &str) -> Result<TypeRef> {
        if let Some(patterns) = schema.get("patternProperties") {
            let patterns_at = at.join("patternProperties");
            let keys = self.keys(&patterns_at);
            let [pattern] = keys.as_slice() else {
                return Err(Error::unsupported(
                    &patterns_at,
                    "`patternProperties` with more than one pattern",
                ));
            };
            let value = patterns.get(pattern).cloned().unwrap_or(Value::Null);
            let value =
                self.type_of(&value, &patterns_at.join(pattern), &format!("{hint}Value"))?;
            return Ok(TypeRef::Map(Box::new(value)));
        }
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => Ok(TypeRef::JsonObject),
            Some(value) => {
                let value = value.clone();
                let value = self.type_of(
                    &value,
                    &at.join("additionalProperties"),
                    &format!("{hint}Value"),
                )?;
                Ok(TypeRef::Map(Box::new(value)))
            }
        }
    }

    // ----- messages ------------------------------------------------------------------

    fn load_messages(&mut self) -> Result<()> {
        let base = Pointer::root().join("components").join("messages");
        let mut variants: HashMap<String, Pointer> = HashMap::new();
        for key in self.keys(&base) {
            let at = base.join(&key);
            let message = self.value(&at)?.clone();
            let stem = key.strip_suffix("Message").filter(|stem| !stem.is_empty());
            let variant = type_name(stem.unwrap_or(&key), &at)?;
            if let Some(first) = variants.insert(variant.clone(), at.clone()) {
                return Err(Error::Collision {
                    name: format!("Message::{variant}"),
                    first,
                    second: at,
                });
            }
            let payload_at = at.join("payload");
            let payload = message
                .get("payload")
                .ok_or_else(|| Error::invalid(&payload_at, "a message needs a `payload`"))?;
            let hint = format!("{variant}Payload");
            let payload = if payload.get("$ref").is_none() && is_binary(payload) {
                self.reserve(&hint, &payload_at)?;
                self.model.types.push(TypeDef {
                    at: payload_at.clone(),
                    name: hint.clone(),
                    description: description(payload),
                    kind: TypeKind::RawBytes,
                });
                TypeRef::Named(hint)
            } else {
                self.type_of(payload, &payload_at, &hint)?
            };
            match &payload {
                TypeRef::Named(_) | TypeRef::Runtime(_) => {}
                _ => {
                    return Err(Error::unsupported(
                        &payload_at,
                        "a message payload must be an object, enum, oneOf, binary or \
                         `x-rust-type` schema",
                    ));
                }
            }
            let content_type = message
                .get("contentType")
                .and_then(Value::as_str)
                .unwrap_or("application/json")
                .to_owned();
            self.model.messages.push(Message {
                at,
                key,
                variant,
                payload,
                content_type,
                description: description(&message),
            });
        }
        Ok(())
    }

    // ----- channels ------------------------------------------------------------------

    fn load_channels(&mut self) -> Result<()> {
        let operations = self.operations()?;
        let base = Pointer::root().join("channels");
        let mut variants: HashMap<String, Pointer> = HashMap::new();
        for key in self.keys(&base) {
            let at = base.join(&key);
            let channel = self.value(&at)?.clone();
            let variant = type_name(&key, &at)?;
            if let Some(first) = variants.insert(variant.clone(), at.clone()) {
                return Err(Error::Collision {
                    name: format!("Topic::{variant}"),
                    first,
                    second: at,
                });
            }
            let address = required_str(&channel, &at, "address")?.to_owned();
            let (segments, params) = self.address(&channel, &at, &address)?;
            let Some((direction, qos)) = operations.get(at.as_str()).copied() else {
                return Err(Error::invalid(&at, "no operation uses this channel"));
            };
            let ingest = self.ingest(&channel, &at, &address)?;
            let messages = self.channel_messages(&channel, &at)?;
            self.model.channels.push(Channel {
                at,
                key,
                variant,
                address,
                segments,
                params,
                direction,
                qos,
                ingest,
                messages,
                description: description(&channel),
            });
        }
        Ok(())
    }

    /// Direction and QoS of each channel, by channel pointer text.
    fn operations(&self) -> Result<HashMap<String, (Direction, u8)>> {
        let base = Pointer::root().join("operations");
        let mut found: HashMap<String, (Direction, u8, Pointer)> = HashMap::new();
        for key in self.keys(&base) {
            let at = base.join(&key);
            let operation = self.value(&at)?;
            let channel = operation.get("channel").ok_or_else(|| {
                Error::invalid(&at.join("channel"), "an operation needs a `channel`")
            })?;
            let (_, channel_at) = self.spec.follow(channel, &at.join("channel"))?;
            let direction = match required_str(operation, &at, "x-rainmaker-direction")? {
                "node-to-cloud" => Direction::NodeToCloud,
                "cloud-to-node" => Direction::CloudToNode,
                "broker-to-cloud" => Direction::BrokerToCloud,
                other => {
                    return Err(Error::unsupported(
                        &at.join("x-rainmaker-direction"),
                        format!("direction `{other}`"),
                    ));
                }
            };
            let qos_at = at.join("bindings").join("mqtt").join("qos");
            let qos = match self.spec.get(&qos_at) {
                None => 1,
                Some(Value::Number(n)) if n.as_u64() == Some(1) => 1,
                Some(other) => {
                    return Err(Error::unsupported(
                        &qos_at,
                        format!("QoS {other} (the protocol uses QoS 1 only)"),
                    ));
                }
            };
            if let Some((first, _, first_at)) = found.get(channel_at.as_str()) {
                if *first != direction {
                    return Err(Error::unsupported(
                        &at,
                        format!("a second direction for the channel of {first_at}"),
                    ));
                }
                continue;
            }
            found.insert(channel_at.as_str().to_owned(), (direction, qos, at));
        }
        Ok(found
            .into_iter()
            .map(|(channel, (direction, qos, _))| (channel, (direction, qos)))
            .collect())
    }

    fn address(
        &mut self,
        channel: &Value,
        at: &Pointer,
        address: &str,
    ) -> Result<(Vec<Segment>, Vec<Parameter>)> {
        let address_at = at.join("address");
        let mut segments = Vec::new();
        let mut params: Vec<Parameter> = Vec::new();
        for text in address.split('/') {
            if text.is_empty() {
                return Err(Error::invalid(
                    &address_at,
                    "an address has an empty segment",
                ));
            }
            let Some(name) = text
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            else {
                if text.contains(['{', '}']) {
                    return Err(Error::unsupported(
                        &address_at,
                        format!("segment `{text}` mixes text and a parameter"),
                    ));
                }
                segments.push(Segment::Literal(text.to_owned()));
                continue;
            };
            let param_at = at.join("parameters").join(name);
            let param = channel
                .get("parameters")
                .and_then(|parameters| parameters.get(name))
                .ok_or_else(|| {
                    Error::invalid(&param_at, format!("parameter `{name}` is not declared"))
                })?;
            let (param, _) = self.spec.follow(param, &param_at)?;
            if params.iter().any(|known| known.name == name) {
                return Err(Error::unsupported(
                    &address_at,
                    format!("parameter `{name}` appears twice"),
                ));
            }
            let field = naming::snake(name).ok_or_else(|| {
                Error::invalid(&param_at, "the parameter name gives no Rust name")
            })?;
            let rust_type = naming::camel(name).ok_or_else(|| {
                Error::invalid(&param_at, "the parameter name gives no Rust name")
            })?;
            segments.push(Segment::Param(params.len()));
            let max_length = match param.get("x-rainmaker-max-length") {
                None => None,
                Some(value) => Some(value.as_u64().ok_or_else(|| {
                    Error::invalid(
                        &param_at.join("x-rainmaker-max-length"),
                        "must be a non-negative integer",
                    )
                })?),
            };
            params.push(Parameter {
                name: name.to_owned(),
                field,
                rust_type,
                description: description(param),
                pattern: param
                    .get("x-rainmaker-pattern")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                max_length,
            });
        }
        Ok((segments, params))
    }

    fn ingest(&self, channel: &Value, at: &Pointer, address: &str) -> Result<Option<Ingest>> {
        let Some(ingest) = channel.get("x-rainmaker-ingest") else {
            return Ok(None);
        };
        let ingest_at = at.join("x-rainmaker-ingest");
        let rule = required_str(ingest, &ingest_at, "rule")?;
        if rule.is_empty() || rule.contains(['/', '+', '#']) {
            return Err(Error::invalid(
                &ingest_at.join("rule"),
                "not a usable rule name",
            ));
        }
        let alias = required_str(ingest, &ingest_at, "address")?;
        if alias != format!("$aws/rules/{rule}/{address}") {
            return Err(Error::unsupported(
                &ingest_at.join("address"),
                format!("an ingest address other than `$aws/rules/{rule}/{address}`"),
            ));
        }
        let sdk_publishes = match ingest.get("sdk-publishes") {
            None => true,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                return Err(Error::invalid(
                    &ingest_at.join("sdk-publishes"),
                    "`sdk-publishes` must be a boolean",
                ));
            }
        };
        Ok(Some(Ingest {
            rule: rule.to_owned(),
            sdk_publishes,
        }))
    }

    fn channel_messages(&self, channel: &Value, at: &Pointer) -> Result<Vec<usize>> {
        let messages_at = at.join("messages");
        let mut indices = Vec::new();
        for key in self.keys(&messages_at) {
            let entry_at = messages_at.join(&key);
            let entry = channel
                .get("messages")
                .and_then(|messages| messages.get(&key))
                .ok_or_else(|| Error::invalid(&entry_at, "no such message"))?;
            let (_, target) = self.spec.follow(entry, &entry_at)?;
            let index = self
                .model
                .messages
                .iter()
                .position(|message| message.at == target)
                .ok_or_else(|| {
                    Error::unsupported(&entry_at, "a channel message outside `components/messages`")
                })?;
            indices.push(index);
        }
        if indices.is_empty() {
            return Err(Error::invalid(
                &messages_at,
                "a channel needs at least one message",
            ));
        }
        Ok(indices)
    }
}

/// Whether a schema needs a named type of its own (what [`Loader::kind_of`] builds).
fn defines_type(schema: &Value) -> bool {
    let nullable = matches!(schema.get("type"), Some(Value::Array(types)) if types.len() > 1);
    let object = schema.get("type").and_then(Value::as_str) == Some("object");
    !nullable
        && (schema.get("oneOf").is_some()
            || schema.get("enum").is_some()
            || schema.get("x-rainmaker-known-values").is_some()
            || (object && schema.get("properties").is_some()))
}

/// Whether a schema is raw bytes (`type: string, format: binary`).
fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

fn check_keywords(schema: &Value, at: &Pointer) -> Result<()> {
    let Some(object) = schema.as_object() else {
        return match schema {
            Value::Bool(true) => Ok(()),
            _ => Err(Error::unsupported(at, "a schema that is not an object")),
        };
    };
    if let Some(keyword) = UNSUPPORTED_KEYWORDS
        .iter()
        .find(|keyword| object.contains_key(**keyword))
    {
        return Err(Error::unsupported(
            &at.join(keyword),
            format!("`{keyword}`"),
        ));
    }
    // `if`/`then`/`else` that only add `required` rules are validation the generated
    // types do not enforce (for example "`end` is required when `start` is given").
    for keyword in ["if", "then", "else"] {
        let Some(branch) = object.get(keyword) else {
            continue;
        };
        let only_required = branch.as_object().is_some_and(|branch| {
            branch
                .keys()
                .all(|key| matches!(key.as_str(), "required" | "description" | "title"))
        });
        if !only_required {
            return Err(Error::unsupported(
                &at.join(keyword),
                format!("`{keyword}` with anything but `required`"),
            ));
        }
    }
    Ok(())
}

/// The schema's single `type` and whether it also allows `null`
/// (`type: [string, "null"]`).
fn schema_type<'v>(schema: &'v Value, at: &Pointer) -> Result<(Option<&'v str>, bool)> {
    match schema.get("type") {
        None => Ok((None, false)),
        Some(Value::String(ty)) => Ok((Some(ty), false)),
        Some(Value::Array(types)) => {
            let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            match names.as_slice() {
                [ty] => Ok((Some(ty), false)),
                [ty, "null"] | ["null", ty] if *ty != "null" => Ok((Some(ty), true)),
                _ => Err(Error::unsupported(
                    &at.join("type"),
                    "a list of types other than `[T, \"null\"]`",
                )),
            }
        }
        Some(_) => Err(Error::invalid(
            &at.join("type"),
            "`type` must be a string or a list",
        )),
    }
}

fn enum_variants(values: &Value, at: &Pointer, open: bool) -> Result<Vec<Variant>> {
    let items = values
        .as_array()
        .ok_or_else(|| Error::invalid(at, "must be a list"))?;
    let mut variants: Vec<Variant> = Vec::new();
    let mut seen: HashMap<String, Pointer> = HashMap::new();
    let prefix = naming::common_dotted_prefix(items.iter().filter_map(Value::as_str));
    for (index, item) in items.iter().enumerate() {
        let item_at = at.join(index);
        let wire = item
            .as_str()
            .ok_or_else(|| Error::unsupported(&item_at, "an enum value that is not a string"))?;
        let rust = naming::enum_variant(wire, &prefix, open).ok_or_else(|| {
            Error::invalid(&item_at, format!("`{wire}` gives no usable Rust name"))
        })?;
        if let Some(first) = seen.insert(rust.clone(), item_at.clone()) {
            return Err(Error::Collision {
                name: rust,
                first,
                second: item_at,
            });
        }
        variants.push(Variant {
            wire: wire.to_owned(),
            rust,
        });
    }
    if variants.is_empty() {
        return Err(Error::invalid(at, "an enum needs at least one value"));
    }
    Ok(variants)
}
