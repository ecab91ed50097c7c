//! JSON Schema -> Rust types.
//!
//! | schema | Rust |
//! |---|---|
//! | `type: object` with `properties` | a struct (optional properties are `Option`) |
//! | ... and `additionalProperties: <schema>` or `true`/absent | plus a flattened `extra` map |
//! | `type: object` without `properties` | `BTreeMap<String, T>` or a JSON object |
//! | `allOf` | the parts merged into one schema |
//! | `oneOf` / `anyOf` | an untagged enum (the first member that decodes wins) |
//! | `enum` / `const` | a closed enum (strings, numbers, booleans, `null`) |
//! | `nullable: true`, `type: [T, "null"]` | `Option<T>` |
//! | `type: [A, B]` | an untagged enum of the scalars |
//! | `array` | `Vec<T>` |
//! | `string`, `integer` (by `format`), `number`, `boolean`, `null` | `String`, `i64`/`i32`/`u8`..., `f64`/`f32`, `bool`, `()` |
//! | anything else (`{}`, `true`) | `serde_json::Value` |
//!
//! Keywords that constrain values without changing their shape (`minimum`,
//! `pattern`, ...) are read by [`super::rules`] and checked by the generated
//! `validate` at decode and encode; keywords that no type carries (`not`, `if`,
//! `prefixItems`, ...) are named in the generated docs.

use serde_json::{Map, Value};

use super::{Reader, description};
use crate::model::{
    Extra, Field, Literal, Model, Rules, StandardTypes, TypeDef, TypeKind, TypeRef, Variant,
};
use crate::naming;
use crate::source::Location;

/// Keywords whose rules no generated type carries; a type's docs name them.
const UNENFORCED: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "prefixItems",
    "contains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
];

impl Reader<'_> {
    /// Names every component schema (so that inline types never take a component's
    /// name), then builds each.
    pub(super) fn component_schemas(&mut self) {
        let base = Location::root().join("components").join("schemas");
        let mut named = Vec::new();
        for (key, at) in self.sources.entries(&base) {
            let Some(schema) = self.sources.get(&at) else {
                continue;
            };
            if schema.get("$ref").is_some() {
                // An alias of another schema: resolved where it is used.
                continue;
            }
            if let Some(rust) = schema.get("x-rust-type") {
                match rust.as_str() {
                    Some(rust) => {
                        let ty = self.external(schema, &at, rust);
                        self.named.insert(at.clone(), ty);
                    }
                    None => self
                        .problems
                        .error(&at.join("x-rust-type"), "`x-rust-type` must be a string"),
                }
                continue;
            }
            let preferred = self.preferred_name(schema, &key, &at);
            let name = self.claim_type_name(&preferred, &at);
            // Known before any is built, so `$ref`s between components find it.
            let ty = if non_null(schema).is_some() {
                nullable(TypeRef::Named(name.clone()))
            } else {
                TypeRef::Named(name.clone())
            };
            self.named.insert(at.clone(), ty);
            named.push((at, name));
        }
        for (at, name) in named {
            let Some(schema) = self.sources.get(&at) else {
                continue;
            };
            let ty = self.define(schema, &at, name, true);
            self.named.insert(at, ty);
        }
    }

    /// The runtime type `rust` named by `x-rust-type` on `schema`, recording its
    /// borrowed counterpart when the schema names one (`x-rust-borrowed-type`).
    pub(crate) fn external(&mut self, schema: &Value, at: &Location, rust: &str) -> TypeRef {
        if let Some(borrowed) = schema.get("x-rust-borrowed-type") {
            let at = at.join("x-rust-borrowed-type");
            match borrowed.as_str() {
                None => self
                    .problems
                    .error(&at, "`x-rust-borrowed-type` must be a string"),
                Some(borrowed) => {
                    let known = self
                        .model
                        .borrowed_types
                        .insert(rust.to_owned(), borrowed.to_owned());
                    if known.is_some_and(|known| known != borrowed) {
                        self.problems.error(
                            &at,
                            format!("`{rust}` is given two different borrowed types"),
                        );
                    }
                }
            }
        }
        TypeRef::External(rust.to_owned())
    }

    /// The name a schema asks for: `x-rust-name`, else the camel-case `key`.
    fn preferred_name(&mut self, schema: &Value, key: &str, at: &Location) -> String {
        if let Some(name) = schema.get("x-rust-name").and_then(Value::as_str) {
            return name.to_owned();
        }
        naming::camel(key).unwrap_or_else(|| {
            self.problems.warning(
                at,
                format!("`{key}` gives no Rust name; the type is named `Schema`"),
            );
            "Schema".to_owned()
        })
    }

    /// Takes a type name in the messages module, warning when a suffix was needed.
    pub(crate) fn claim_type_name(&mut self, preferred: &str, at: &Location) -> String {
        self.type_names
            .claim_or_warn(preferred, at, &mut self.problems)
    }

    /// The Rust type of the schema `schema` found at `at`; `hint` names it if it needs
    /// a definition of its own.
    pub(crate) fn type_of(&mut self, schema: &Value, at: &Location, hint: &str) -> TypeRef {
        let schema = match schema {
            Value::Bool(true) => return TypeRef::Json,
            Value::Bool(false) => {
                self.problems.warning(
                    at,
                    "the schema `false` accepts nothing; typed as any JSON value",
                );
                return TypeRef::Json;
            }
            Value::Object(_) => schema,
            _ => {
                self.problems
                    .error(at, "a schema must be an object or a boolean");
                return TypeRef::Json;
            }
        };
        if schema.get("$ref").is_some() {
            return self.type_of_ref(schema, at, hint);
        }
        if let Some(rust) = schema.get("x-rust-type").and_then(Value::as_str) {
            return self.external(schema, at, rust);
        }
        // One list is the list's enum; several define a union (in `kind_of`).
        if schema.get("x-rainmaker-standard-type").is_some() && !defines_type(schema) {
            return match self.standard_lists(schema, at).as_deref() {
                Some([(_, list)]) => TypeRef::Standard((*list).to_owned()),
                _ => TypeRef::String,
            };
        }
        let schema = self.normalize(schema, at);
        if let Some(inner) = non_null(&schema) {
            let inner = self.type_of(&inner, at, hint);
            return nullable(inner);
        }
        if !defines_type(&schema) {
            return self.scalar_of(&schema, at, hint);
        }
        let preferred = schema
            .get("x-rust-name")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                schema
                    .get("title")
                    .and_then(Value::as_str)
                    .and_then(naming::camel)
                    .filter(|title| title.len() <= 48)
            })
            .unwrap_or_else(|| hint.to_owned());
        let name = self.claim_type_name(&preferred, at);
        self.define(&schema, at, name, false)
    }

    /// The type of a `$ref`: the named type of its target, built on first use.
    fn type_of_ref(&mut self, schema: &Value, at: &Location, hint: &str) -> TypeRef {
        let Some((target, target_at)) = self.follow(schema, at) else {
            return TypeRef::Json;
        };
        if let Some(known) = self.named.get(&target_at) {
            return known.clone();
        }
        if let Some(rust) = target.get("x-rust-type").and_then(Value::as_str) {
            let ty = self.external(target, &target_at, rust);
            self.named.insert(target_at, ty.clone());
            return ty;
        }
        let key = target_at.last().unwrap_or_else(|| hint.to_owned());
        let preferred = self.preferred_name(target, &key, &target_at);
        let name = self.claim_type_name(&preferred, &target_at);
        // Record the name before building, so a recursive schema refers to itself.
        self.named
            .insert(target_at.clone(), TypeRef::Named(name.clone()));
        let ty = self.define(target, &target_at, name, true);
        self.named.insert(target_at, ty.clone());
        ty
    }

    /// Defines the named type `name` for `schema`. Named schemas (`always`) get a
    /// definition even when they are scalars (a type alias).
    fn define(&mut self, schema: &Value, at: &Location, name: String, always: bool) -> TypeRef {
        let schema = self.normalize(schema, at);
        if let Some(inner) = non_null(&schema) {
            let inner = self.define(&inner, at, name, always);
            return nullable(inner);
        }
        // Take the slot first, so a type comes before the inline types it contains.
        let slot = self.model.types.len();
        self.model.types.push(TypeDef {
            at: at.clone(),
            name: name.clone(),
            description: type_docs(&schema),
            kind: TypeKind::Alias {
                inner: TypeRef::Json,
            },
            rules: Rules::default(),
        });
        let kind = match self.kind_of(&schema, at, &name) {
            Some(kind) => kind,
            None if always => TypeKind::Alias {
                inner: self.scalar_of(&schema, at, &name),
            },
            None => {
                // Cannot happen: `defines_type` said this schema has a kind.
                TypeKind::Alias {
                    inner: TypeRef::Json,
                }
            }
        };
        // An enum's values are its rules; any other kind keeps the schema's keywords.
        let rules = match kind {
            TypeKind::Enum { .. } | TypeKind::OpenEnum { .. } | TypeKind::StandardUnion { .. } => {
                Rules::default()
            }
            _ => self.rules_of(&schema, at),
        };
        if let Some(def) = self.model.types.get_mut(slot) {
            def.kind = kind;
            def.rules = rules;
        }
        TypeRef::Named(name)
    }

    /// The kind of a schema that needs a named type, or `None` for schemas that map
    /// to existing Rust types.
    fn kind_of(&mut self, schema: &Value, at: &Location, name: &str) -> Option<TypeKind> {
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(keyword) {
                return Some(self.untagged(members, &at.join(keyword), name));
            }
        }
        if let Some(values) = schema.get("enum") {
            return Some(self.closed_enum(values, &at.join("enum"), name));
        }
        if let Some(value) = schema.get("const") {
            let values = Value::Array(vec![value.clone()]);
            return Some(self.closed_enum(&values, &at.join("const"), name));
        }
        if let Some(lists) = self.standard_lists(schema, at) {
            return Some(match lists.as_slice() {
                [(_, list)] => TypeKind::Alias {
                    inner: TypeRef::Standard((*list).to_owned()),
                },
                _ => TypeKind::StandardUnion {
                    members: lists
                        .iter()
                        .map(|(key, list)| {
                            let member = key.trim_end_matches("-types");
                            let member =
                                naming::camel(member).unwrap_or_else(|| (*list).to_owned());
                            (member, (*list).to_owned())
                        })
                        .collect(),
                },
            });
        }
        if let Some(values) = schema.get("x-rainmaker-known-values") {
            let known_at = at.join("x-rainmaker-known-values");
            if !self.on_string_schema(schema, at, "x-rainmaker-known-values") {
                return None;
            }
            let variants = self.variants(values, &known_at, true);
            return Some(TypeKind::OpenEnum { variants });
        }
        if let Some(Value::Array(types)) = schema.get("type") {
            let members: Vec<Value> = types
                .iter()
                .map(|ty| {
                    let mut member = schema.clone();
                    if let Some(object) = member.as_object_mut() {
                        object.insert("type".to_owned(), ty.clone());
                    }
                    member
                })
                .collect();
            return Some(self.untagged(&Value::Array(members), &at.join("type"), name));
        }
        if is_object(schema) && schema.get("properties").is_some() {
            return Some(self.structure(schema, at, name));
        }
        None
    }

    /// Whether `schema` (at `at`) is a `type: string` schema, as the extension `key`
    /// on it requires; an error when it is not.
    fn on_string_schema(&mut self, schema: &Value, at: &Location, key: &str) -> bool {
        let string = schema.get("type").and_then(Value::as_str) == Some("string");
        if !string {
            self.problems
                .error(at, format!("`{key}` belongs on a `type: string` schema"));
        }
        string
    }

    /// The catalogue lists `x-rainmaker-standard-type` names on `schema` (one key or
    /// a list of keys), each with the enum that holds its values; `None` when the
    /// schema names none or names them wrongly (reported).
    fn standard_lists(
        &mut self,
        schema: &Value,
        at: &Location,
    ) -> Option<Vec<(&'static str, &'static str)>> {
        let named = schema.get("x-rainmaker-standard-type")?;
        let named_at = at.join("x-rainmaker-standard-type");
        if !self.on_string_schema(schema, at, "x-rainmaker-standard-type") {
            return None;
        }
        let keys: Vec<&Value> = match named {
            Value::Array(keys) => keys.iter().collect(),
            key => vec![key],
        };
        let mut lists = Vec::new();
        for key in keys {
            let found = StandardTypes::LISTS
                .iter()
                .find(|list| Some(list.key) == key.as_str());
            let Some(found) = found else {
                let known: Vec<&str> = StandardTypes::LISTS.iter().map(|list| list.key).collect();
                self.problems.error(
                    &named_at,
                    format!(
                        "`x-rainmaker-standard-type` names lists of `x-rainmaker-standard-types`: {}",
                        known.join(", ")
                    ),
                );
                return None;
            };
            if !lists.iter().any(|(known, _)| *known == found.key) {
                lists.push((found.key, found.rust));
            }
        }
        if lists.is_empty() {
            self.problems
                .error(&named_at, "`x-rainmaker-standard-type` names no list");
            return None;
        }
        self.standard_type_uses.push(named_at);
        Some(lists)
    }

    /// An untagged enum of `members` (the items of `oneOf`, `anyOf` or a type list).
    fn untagged(&mut self, members: &Value, at: &Location, name: &str) -> TypeKind {
        let Some(items) = members.as_array().filter(|items| !items.is_empty()) else {
            self.problems.error(at, "must be a non-empty list");
            return TypeKind::Alias {
                inner: TypeRef::Json,
            };
        };
        let mut variants: Vec<(String, TypeRef)> = Vec::new();
        let mut names = super::names::Names::default();
        for (index, item) in items.iter().enumerate() {
            let item_at = at.join(index);
            let hint = format!("{name}{}", index + 1);
            let ty = self.type_of(item, &item_at, &hint);
            let preferred = variant_name(&ty);
            let variant = names.claim(&preferred, &item_at).name;
            if variants.iter().any(|(_, known)| *known == ty) {
                self.problems.warning(
                    &item_at,
                    "this member has the same Rust type as an earlier one and can never \
                     be chosen",
                );
            }
            variants.push((variant, ty));
        }
        TypeKind::Untagged { variants }
    }

    fn closed_enum(&mut self, values: &Value, at: &Location, name: &str) -> TypeKind {
        let Some(items) = values.as_array() else {
            self.problems.error(at, "must be a list");
            return TypeKind::Alias {
                inner: TypeRef::Json,
            };
        };
        if items.iter().any(|item| item.is_object() || item.is_array()) {
            self.problems.warning(
                at,
                format!(
                    "`{name}` lists objects or arrays, which no Rust enum can name; typed as \
                     any JSON value"
                ),
            );
            return TypeKind::Alias {
                inner: TypeRef::Json,
            };
        }
        let variants = self.variants(values, at, false);
        if variants.is_empty() {
            self.problems.error(at, "an enum needs at least one value");
        }
        TypeKind::Enum { variants }
    }

    /// The variants of an enum of scalar `values`; `open` enums reserve `Other`.
    fn variants(&mut self, values: &Value, at: &Location, open: bool) -> Vec<Variant> {
        let items = values.as_array().cloned().unwrap_or_default();
        let prefix = naming::common_dotted_prefix(items.iter().filter_map(Value::as_str));
        let mut names = if open {
            super::names::Names::with_reserved(&["Other"])
        } else {
            super::names::Names::default()
        };
        let mut variants = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_at = at.join(index);
            let Some(wire) = literal(item) else {
                self.problems
                    .error(&item_at, "an enum value must be a scalar");
                continue;
            };
            if open && !matches!(wire, Literal::String(_)) {
                self.problems
                    .error(&item_at, "a known value must be a string");
                continue;
            }
            if variants.iter().any(|known: &Variant| known.wire == wire) {
                self.problems
                    .warning(&item_at, format!("{} is listed twice", wire.json()));
                continue;
            }
            let preferred = literal_variant(&wire, &prefix, open);
            let rust = names.claim_or_warn(&preferred, &item_at, &mut self.problems);
            variants.push(Variant { wire, rust });
        }
        variants
    }

    fn structure(&mut self, schema: &Value, at: &Location, name: &str) -> TypeKind {
        let required: Vec<&str> = match schema.get("required") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(_) => {
                self.problems
                    .error(&at.join("required"), "`required` must be a list");
                Vec::new()
            }
        };
        let extra = match (
            schema.get("additionalProperties"),
            schema.get("patternProperties"),
        ) {
            (_, Some(Value::Object(patterns))) if patterns.len() == 1 => {
                let (pattern, value) = patterns
                    .iter()
                    .next()
                    .map_or(("", &Value::Null), |(k, v)| (k.as_str(), v));
                let value_at = at.join("patternProperties").join(pattern);
                let hint = naming::nested(name, "value").unwrap_or_default();
                Extra::Typed(self.type_of(value, &value_at, &hint))
            }
            (_, Some(_)) => Extra::Json,
            (None | Some(Value::Bool(true)), None) => Extra::Json,
            (Some(Value::Bool(false)), None) => Extra::Deny,
            (Some(value), None) => {
                let hint = naming::nested(name, "value").unwrap_or_default();
                match self.type_of(value, &at.join("additionalProperties"), &hint) {
                    TypeRef::Json => Extra::Json,
                    ty => Extra::Typed(ty),
                }
            }
        };
        let properties_at = self.properties_location(schema, at);
        let mut fields: Vec<Field> = Vec::new();
        let mut names = super::names::Names::default();
        if extra != Extra::Deny {
            names = super::names::Names::with_reserved(&["extra"]);
        }
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for wire in self.ordered_properties(&properties, &properties_at) {
            let field_at = properties_at.as_ref().map_or_else(
                || at.join("properties").join(&wire),
                |base| base.join(&wire),
            );
            let Some(property) = properties.get(&wire) else {
                continue;
            };
            let preferred = naming::snake(&wire).unwrap_or_else(|| "field".to_owned());
            let rust = names.claim_or_warn(&preferred, &field_at, &mut self.problems);
            let hint = naming::nested(name, &wire).unwrap_or_else(|| format!("{name}Field"));
            let ty = self.type_of(property, &field_at, &hint);
            let description = description(property).or_else(|| {
                // A `$ref`'d property documents itself through its target.
                self.sources
                    .follow(property, &field_at)
                    .ok()
                    .and_then(|(target, _)| description(target))
            });
            let topic_parameter = match property.get("x-rainmaker-topic-parameter") {
                None => None,
                Some(Value::String(name)) => Some(name.clone()),
                Some(_) => {
                    self.problems.error(
                        &field_at.join("x-rainmaker-topic-parameter"),
                        "`x-rainmaker-topic-parameter` must name a channel parameter",
                    );
                    None
                }
            };
            // A property whose schema became a named type has its rules there.
            let rules = match &ty {
                TypeRef::Named(_) => Rules::default(),
                TypeRef::Nullable(inner) if matches!(**inner, TypeRef::Named(_)) => {
                    Rules::default()
                }
                _ => self.rules_of(property, &field_at),
            };
            fields.push(Field {
                required: required.contains(&wire.as_str()),
                wire,
                rust,
                ty,
                description,
                topic_parameter,
                rules,
            });
        }
        TypeKind::Struct { fields, extra }
    }

    /// Where the `properties` of `schema` are written, when `schema` is the one at
    /// `at` (a merged schema has none of its own).
    fn properties_location(&self, schema: &Value, at: &Location) -> Option<Location> {
        let written = self.sources.get(at)?;
        (written.get("properties") == schema.get("properties")).then(|| at.join("properties"))
    }

    /// The property names in document order (merged schemas keep merge order).
    fn ordered_properties(
        &self,
        properties: &Map<String, Value>,
        written_at: &Option<Location>,
    ) -> Vec<String> {
        if let Some(at) = written_at {
            let keys = self.sources.keys(at);
            if keys.len() == properties.len() {
                return keys;
            }
        }
        merge_order(properties)
    }

    /// The type of a schema that needs no definition of its own.
    fn scalar_of(&mut self, schema: &Value, at: &Location, hint: &str) -> TypeRef {
        let format = schema.get("format").and_then(Value::as_str);
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .or_else(|| implied_type(schema));
        match ty {
            Some("boolean") => TypeRef::Bool,
            Some("number") => TypeRef::Float(match format {
                Some("float") => "f32",
                _ => "f64",
            }),
            Some("integer") => TypeRef::Int(match format {
                None | Some("int64") => "i64",
                Some("int32") => "i32",
                Some("int16") => "i16",
                Some("int8") => "i8",
                Some("uint8") => "u8",
                Some("uint16") => "u16",
                Some("uint32") => "u32",
                Some("uint64") => "u64",
                Some(other) => {
                    self.problems.warning(
                        &at.join("format"),
                        format!("integer format `{other}` is not known; typed as `i64`"),
                    );
                    "i64"
                }
            }),
            Some("string") => TypeRef::String,
            Some("null") => TypeRef::Unit,
            Some("array") => match schema.get("items") {
                Some(items) if items.is_object() || items.is_boolean() => {
                    let hint = naming::nested(hint, "item").unwrap_or_default();
                    let item = self.type_of(items, &at.join("items"), &hint);
                    TypeRef::Vec(Box::new(item))
                }
                _ => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            Some("object") => self.map_of(schema, at, hint),
            None => TypeRef::Json,
            Some(other) => {
                self.problems
                    .error(&at.join("type"), format!("unknown type `{other}`"));
                TypeRef::Json
            }
        }
    }

    /// An object without `properties`: a map, or a JSON object kept as it is.
    fn map_of(&mut self, schema: &Value, at: &Location, hint: &str) -> TypeRef {
        let hint = naming::nested(hint, "value").unwrap_or_default();
        if let Some(Value::Object(patterns)) = schema.get("patternProperties") {
            if let [(pattern, value)] = patterns.iter().collect::<Vec<_>>().as_slice() {
                let value_at = at.join("patternProperties").join(pattern);
                return match self.type_of(value, &value_at, &hint) {
                    TypeRef::Json => TypeRef::JsonObject,
                    ty => TypeRef::Map(Box::new(ty)),
                };
            }
            return TypeRef::JsonObject;
        }
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => TypeRef::JsonObject,
            Some(value) => match self.type_of(value, &at.join("additionalProperties"), &hint) {
                TypeRef::Json => TypeRef::JsonObject,
                ty => TypeRef::Map(Box::new(ty)),
            },
        }
    }

    /// `schema` with its `allOf` merged in, and a `oneOf`/`anyOf` beside `properties`
    /// distributed over its members (the members get the shared properties).
    pub(super) fn normalize(&mut self, schema: &Value, at: &Location) -> Value {
        let mut schema = schema.clone();
        if let Some(parts) = schema.get("allOf").cloned() {
            schema = self.merge_all_of(&schema, &parts, &at.join("allOf"));
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = schema.get(keyword).cloned() else {
                continue;
            };
            if schema.get("properties").is_none() {
                break;
            }
            let mut shared = schema.clone();
            if let Some(object) = shared.as_object_mut() {
                object.remove(keyword);
                for annotation in ["title", "description", "summary", "x-rust-name"] {
                    object.remove(annotation);
                }
            }
            let distributed = members
                .iter()
                .map(|member| serde_json::json!({ "allOf": [shared.clone(), member.clone()] }))
                .collect();
            let mut parent = Map::new();
            for annotation in ["title", "description", "x-rust-name"] {
                if let Some(value) = schema.get(annotation) {
                    parent.insert(annotation.to_owned(), value.clone());
                }
            }
            parent.insert(keyword.to_owned(), Value::Array(distributed));
            return Value::Object(parent);
        }
        schema
    }

    /// Merges the parts of an `allOf` (resolving their `$ref`s) into `schema`.
    fn merge_all_of(&mut self, schema: &Value, parts: &Value, at: &Location) -> Value {
        let mut merged = schema.as_object().cloned().unwrap_or_default();
        merged.remove("allOf");
        let Some(parts) = parts.as_array() else {
            self.problems.error(at, "`allOf` must be a list");
            return Value::Object(merged);
        };
        for (index, part) in parts.iter().enumerate() {
            let part_at = at.join(index);
            let (part, part_at) = match self.follow(part, &part_at) {
                Some((part, part_at)) => (part.clone(), part_at),
                None => continue,
            };
            let part = self.normalize(&part, &part_at);
            let Some(part) = part.as_object() else {
                continue;
            };
            merge_into(
                &mut merged,
                part,
                &self.sources.keys(&part_at.join("properties")),
            );
        }
        Value::Object(merged)
    }
}

/// A key recording the order of merged properties (removed before emitting; JSON
/// objects here are sorted).
const ORDER_KEY: &str = "\u{0}order";

/// The property names of a `properties` map: in the order a merge recorded
/// (`ORDER_KEY`), else in the map's own order.
fn merge_order(properties: &Map<String, Value>) -> Vec<String> {
    match properties.get(ORDER_KEY) {
        Some(Value::Array(order)) => order
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => properties.keys().cloned().collect(),
    }
}

/// Merges `part` into `merged`: properties are united (the first definition of a
/// property wins, later ones add nothing), `required` lists are united, the most
/// restrictive `additionalProperties` wins, and any other keyword is taken from the
/// first part that has it.
fn merge_into(merged: &mut Map<String, Value>, part: &Map<String, Value>, order: &[String]) {
    for (key, value) in part {
        match key.as_str() {
            "properties" => {
                let Some(incoming) = value.as_object() else {
                    continue;
                };
                let target = merged
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(target) = target.as_object_mut() else {
                    continue;
                };
                let mut known = merge_order(target);
                let names: Vec<&String> = if order.len() == incoming.len() {
                    order.iter().collect()
                } else {
                    incoming.keys().collect()
                };
                for name in names {
                    if let Some(schema) = incoming.get(name)
                        && !target.contains_key(name)
                    {
                        target.insert(name.clone(), schema.clone());
                        known.push(name.clone());
                    }
                }
                target.insert(
                    ORDER_KEY.to_owned(),
                    Value::Array(known.into_iter().map(Value::String).collect()),
                );
            }
            "required" => {
                let target = merged
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let (Some(target), Some(incoming)) = (target.as_array_mut(), value.as_array()) {
                    for name in incoming {
                        if !target.contains(name) {
                            target.push(name.clone());
                        }
                    }
                }
            }
            "additionalProperties" => {
                if value == &Value::Bool(false) || !merged.contains_key(key) {
                    merged.insert(key.clone(), value.clone());
                }
            }
            "$ref" | "$id" | "$schema" => {}
            "description" | "title" if merged.contains_key(key) => {}
            _ => {
                merged.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
}

/// The schema without its `null` alternative, when it allows `null` beside another
/// type (`nullable: true`, `type: [T, "null"]`, an enum listing `null`).
fn non_null(schema: &Value) -> Option<Value> {
    let mut inner = schema.clone();
    let object = inner.as_object_mut()?;
    if object.get("nullable") == Some(&Value::Bool(true)) {
        object.remove("nullable");
        return Some(inner);
    }
    if let Some(Value::Array(types)) = object.get("type") {
        let others: Vec<Value> = types.iter().filter(|ty| *ty != "null").cloned().collect();
        if others.len() < types.len() && !others.is_empty() {
            let others = match others.as_slice() {
                [single] => single.clone(),
                _ => Value::Array(others),
            };
            object.insert("type".to_owned(), others);
            return Some(inner);
        }
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        let others: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        if others.len() < values.len() && !others.is_empty() {
            object.insert("enum".to_owned(), Value::Array(others));
            return Some(inner);
        }
    }
    None
}

fn nullable(inner: TypeRef) -> TypeRef {
    match inner {
        TypeRef::Nullable(_) | TypeRef::Json | TypeRef::Unit => inner,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

/// Whether a schema needs a named type of its own (what `kind_of` builds).
pub(super) fn defines_type(schema: &Value) -> bool {
    schema.get("oneOf").is_some()
        || schema.get("anyOf").is_some()
        || schema.get("enum").is_some()
        || schema.get("const").is_some()
        || schema.get("x-rainmaker-known-values").is_some()
        || matches!(schema.get("x-rainmaker-standard-type"), Some(Value::Array(lists)) if lists.len() > 1)
        || matches!(schema.get("type"), Some(Value::Array(types)) if types.len() > 1)
        || (is_object(schema) && schema.get("properties").is_some())
}

/// Whether a schema describes an object (by `type`, or by `properties` alone).
fn is_object(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(ty)) => ty == "object",
        None => schema.get("properties").is_some(),
        _ => false,
    }
}

/// The type a schema without `type` implies by its keywords.
fn implied_type(schema: &Value) -> Option<&'static str> {
    if schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
        || schema.get("patternProperties").is_some()
    {
        Some("object")
    } else if schema.get("items").is_some() {
        Some("array")
    } else {
        None
    }
}

/// A JSON scalar as an enum literal.
fn literal(value: &Value) -> Option<Literal> {
    Some(match value {
        Value::String(text) => Literal::String(text.clone()),
        Value::Bool(flag) => Literal::Bool(*flag),
        Value::Null => Literal::Null,
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(int), _, _) => Literal::Int(int),
            (None, Some(uint), _) => Literal::UInt(uint),
            (None, None, Some(float)) => Literal::Float(float),
            _ => return None,
        },
        _ => return None,
    })
}

/// The variant name of an enum literal.
fn literal_variant(wire: &Literal, prefix: &str, open: bool) -> String {
    match wire {
        Literal::String(text) if text.is_empty() => "Empty".to_owned(),
        Literal::String(text) => {
            naming::enum_variant(text, prefix, open).unwrap_or_else(|| "Value".to_owned())
        }
        Literal::Int(value) if *value < 0 => format!("Minus{}", value.unsigned_abs()),
        Literal::Int(value) => format!("V{value}"),
        Literal::UInt(value) => format!("V{value}"),
        Literal::Float(value) => naming::camel(&value.to_string().replace('-', "minus."))
            .unwrap_or_else(|| "Number".to_owned()),
        Literal::Bool(true) => "True".to_owned(),
        Literal::Bool(false) => "False".to_owned(),
        Literal::Null => "Null".to_owned(),
    }
}

/// The variant name of an untagged enum member of type `ty`.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::External(path) => path.rsplit("::").next().unwrap_or(path).to_owned(),
        TypeRef::Standard(name) => name.clone(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::Int(_) => "Integer".to_owned(),
        TypeRef::Float(_) => "Number".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Unit => "Null".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".to_owned(),
        TypeRef::Vec(_) => "Array".to_owned(),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => variant_name(inner),
    }
}

/// The docs of a type: its description, and the keywords it does not enforce.
fn type_docs(schema: &Value) -> Option<String> {
    let mut text = description(schema).unwrap_or_default();
    let unenforced: Vec<String> = UNENFORCED
        .iter()
        .filter(|keyword| schema.get(**keyword).is_some())
        .map(|keyword| format!("`{keyword}`"))
        .collect();
    if !unenforced.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!(
            "The schema also says {}, which this type does not check.",
            unenforced.join(", ")
        ));
    }
    (!text.is_empty()).then_some(text)
}

/// Boxes every field (and untagged member) through which a type contains itself
/// without a `Vec` or a map in between, so that it has a size.
pub(super) fn box_recursion(model: &mut Model) {
    use std::collections::{BTreeMap, BTreeSet};
    /// The named type a reference holds inline, if any.
    fn inline_name(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name),
            TypeRef::Nullable(inner) => inline_name(inner),
            _ => None,
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for def in &model.types {
        let targets: Vec<&TypeRef> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Untagged { variants } => variants.iter().map(|(_, ty)| ty).collect(),
            TypeKind::Alias { inner } => vec![inner],
            _ => Vec::new(),
        };
        edges.insert(
            def.name.clone(),
            targets
                .into_iter()
                .filter_map(inline_name)
                .map(str::to_owned)
                .collect(),
        );
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    let boxed = |ty: &TypeRef| -> TypeRef {
        match ty {
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(TypeRef::Boxed(inner.clone()))),
            other => TypeRef::Boxed(Box::new(other.clone())),
        }
    };
    let mut changes: Vec<(usize, usize)> = Vec::new();
    for (index, def) in model.types.iter().enumerate() {
        let targets: Vec<&TypeRef> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Untagged { variants } => variants.iter().map(|(_, ty)| ty).collect(),
            _ => Vec::new(),
        };
        for (position, ty) in targets.into_iter().enumerate() {
            if inline_name(ty).is_some_and(|target| reaches(target, &def.name)) {
                changes.push((index, position));
            }
        }
    }
    for (index, position) in changes {
        let Some(def) = model.types.get_mut(index) else {
            continue;
        };
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                if let Some(field) = fields.get_mut(position) {
                    field.ty = boxed(&field.ty);
                }
            }
            TypeKind::Untagged { variants } => {
                if let Some((_, ty)) = variants.get_mut(position) {
                    *ty = boxed(ty);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_forms() {
        let with_null = serde_json::json!({"type": ["string", "null"]});
        assert_eq!(
            non_null(&with_null),
            Some(serde_json::json!({"type": "string"}))
        );
        let flagged = serde_json::json!({"type": "integer", "nullable": true});
        assert_eq!(
            non_null(&flagged),
            Some(serde_json::json!({"type": "integer"}))
        );
        assert_eq!(non_null(&serde_json::json!({"type": "null"})), None);
    }

    #[test]
    fn literals_name_their_variants() {
        assert_eq!(literal_variant(&Literal::Int(-3), "", false), "Minus3");
        assert_eq!(literal_variant(&Literal::Float(1.5), "", false), "V1_5");
        assert_eq!(literal_variant(&Literal::Null, "", false), "Null");
        assert_eq!(
            literal_variant(&Literal::String("2020-03-20".into()), "", false),
            "V2020_03_20"
        );
    }

    #[test]
    fn merging_unites_properties_in_order_and_required() {
        let mut merged = Map::new();
        let first = serde_json::json!({"properties": {"b": {}, "a": {}}, "required": ["b"]});
        let second = serde_json::json!({"properties": {"c": {}, "a": {"type": "string"}}, "required": ["c"], "additionalProperties": false});
        merge_into(
            &mut merged,
            first.as_object().expect("object"),
            &["b".into(), "a".into()],
        );
        merge_into(
            &mut merged,
            second.as_object().expect("object"),
            &["c".into(), "a".into()],
        );
        assert_eq!(
            merged["properties"][ORDER_KEY],
            serde_json::json!(["b", "a", "c"])
        );
        assert_eq!(merged["properties"]["a"], serde_json::json!({}));
        assert_eq!(merged["required"], serde_json::json!(["b", "c"]));
        assert_eq!(merged["additionalProperties"], Value::Bool(false));
    }
}
