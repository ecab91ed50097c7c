//! The intermediate model: what the emitters need from a spec, already named and
//! checked. Built by [`crate::read()`]; every item keeps the location it came from.

use std::collections::BTreeMap;

use crate::source::Location;

/// The whole spec, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The spec file's name, for the header of generated files.
    pub spec_name: String,
    /// The document's title (`info.title`).
    pub title: String,
    /// The document's version (`info.version`).
    pub version: String,
    /// The document's description (`info.description`).
    pub description: Option<String>,
    /// The named types of the messages module, parents before the inline types they
    /// contain.
    pub types: Vec<TypeDef>,
    /// The checked string types of channel parameters.
    pub params: Vec<ParamType>,
    /// The messages carried by at least one channel, in order of first use.
    pub messages: Vec<Message>,
    /// The channels, in document order.
    pub channels: Vec<Channel>,
    /// The TLV framing and command catalogue (`x-rainmaker-tlv`), when the document
    /// has one.
    pub tlv: Option<Tlv>,
    /// The standard-type catalogue (`x-rainmaker-standard-types`), when the document
    /// has one.
    pub standard_types: Option<StandardTypes>,
    /// The borrowed counterpart of an `x-rust-type` (`x-rust-borrowed-type`), by that
    /// type: a type with one lifetime parameter that views the payload.
    pub borrowed_types: BTreeMap<String, String>,
    /// Where the document departs from the upstream summary
    /// (`x-rainmaker-upstream-differences`), in document order.
    pub differences: Vec<Difference>,
}

impl Model {
    /// Whether some channel has a basic-ingest alias (`x-rainmaker-ingest`).
    pub fn has_ingest(&self) -> bool {
        self.channels.iter().any(|channel| channel.ingest.is_some())
    }

    /// Whether some channel states a RainMaker direction (`x-rainmaker-direction`).
    pub fn has_direction(&self) -> bool {
        self.channels
            .iter()
            .any(|channel| channel.direction.is_some())
    }

    /// The type definition called `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|def| def.name == name)
    }

    /// The commands of the TLV catalogue (none without `x-rainmaker-tlv`).
    pub fn commands(&self) -> &[Command] {
        self.tlv.as_ref().map_or(&[], |tlv| tlv.commands.as_slice())
    }
}

/// Who publishes on a channel, in RainMaker's terms (`x-rainmaker-direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The node publishes, the cloud receives.
    NodeToCloud,
    /// The cloud publishes, the node receives.
    CloudToNode,
    /// The broker (AWS IoT) publishes, the cloud receives.
    BrokerToCloud,
}

impl Direction {
    /// Every direction.
    pub const ALL: [Self; 3] = [Self::NodeToCloud, Self::CloudToNode, Self::BrokerToCloud];

    /// The spec's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Self::NodeToCloud => "node-to-cloud",
            Self::CloudToNode => "cloud-to-node",
            Self::BrokerToCloud => "broker-to-cloud",
        }
    }

    /// The Rust variant name of the generated `Direction` enum.
    pub fn variant(self) -> &'static str {
        match self {
            Self::NodeToCloud => "NodeToCloud",
            Self::CloudToNode => "CloudToNode",
            Self::BrokerToCloud => "BrokerToCloud",
        }
    }

    /// The operation `action` the direction goes with (the RainMaker document is
    /// written from the node's point of view).
    pub fn action(self) -> &'static str {
        match self {
            Self::NodeToCloud | Self::BrokerToCloud => "send",
            Self::CloudToNode => "receive",
        }
    }
}

/// One part of a segment that mixes text and a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A literal segment (`node`, `params`, or empty after a leading `/`).
    Literal(String),
    /// A parameter, alone or with text around it (`{node_id}`, `params-{group}`), by
    /// index into [`Channel::params`].
    Param {
        /// Text before the parameter.
        prefix: String,
        /// The parameter.
        param: usize,
        /// Text after the parameter.
        suffix: String,
    },
    /// A multi-level wildcard (`#`) at the end of the address, captured as the
    /// parameter at this index.
    Rest(usize),
}

/// A channel parameter (`{node_id}`), or a wildcard of the address.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name in the address (`node_id`), or `segment_<n>` for a `+` wildcard.
    pub name: String,
    /// The Rust field name (`node_id`).
    pub field: String,
    /// The Rust type.
    pub ty: ParamTypeRef,
    /// The parameter's description.
    pub description: Option<String>,
    /// A value for examples and tests (from `examples`, `enum` or `default`).
    pub example: Option<String>,
    /// The rules the document states for a parameter typed by `x-rust-type`, which
    /// that type enforces (emitted as constants it can use); `None` for the others.
    pub external_rules: Option<ParamRules>,
}

/// The type of a channel parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamTypeRef {
    /// A checked string type generated into the topics module, by index into
    /// [`Model::params`].
    Generated(usize),
    /// A type of the runtime crate (`x-rust-type`), such as `NodeId`.
    External(String),
    /// Any single segment (a `+` wildcard): `String`.
    AnySegment,
    /// Any number of segments (a `#` wildcard): `String`.
    AnyLevels,
}

/// A checked string type for a channel parameter.
#[derive(Debug, Clone)]
pub struct ParamType {
    /// Where the parameter is declared.
    pub at: Location,
    /// The parameter's name in the document.
    pub wire: String,
    /// The Rust name.
    pub name: String,
    /// The parameter's description.
    pub description: Option<String>,
    /// The rules a value follows.
    pub rules: ParamRules,
}

/// What a parameter value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamRules {
    /// One of these strings: an enum.
    OneOf(Vec<Variant>),
    /// A string with these limits.
    Text {
        /// The fewest characters (1 unless the schema says 0).
        min_chars: usize,
        /// The most bytes.
        max_bytes: Option<usize>,
        /// The pattern, compiled; `None` when there is none or it cannot be enforced.
        pattern: Option<crate::pattern::CompiledPattern>,
        /// Values refused (`x-rainmaker-reserved-values`).
        reserved: Vec<String>,
    },
}

/// How a channel's topic may also be written: the basic-ingest alias.
#[derive(Debug, Clone)]
pub struct Ingest {
    /// The rule name (`esp_node_config`).
    pub rule: String,
    /// Whether the SDK publishes on the alias (`false` for group deltas).
    pub sdk_publishes: bool,
}

impl Ingest {
    /// What every basic-ingest topic starts with: `$aws/rules/`, then the rule.
    pub const PREFIX: &'static str = "$aws/rules/";

    /// The alias of the channel at `address`: `$aws/rules/<rule>/<address>`.
    pub fn alias(&self, address: &str) -> String {
        format!("{}{}/{address}", Self::PREFIX, self.rule)
    }
}

/// A channel: one topic shape, what the document's application does on it, and its
/// messages.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Where the channel is.
    pub at: Location,
    /// The channel key (`nodeConfig`).
    pub key: String,
    /// The Rust variant name (`NodeConfig`).
    pub variant: String,
    /// The address as written (`node/{node_id}/config`).
    pub address: String,
    /// The address split at `/`.
    pub segments: Vec<Segment>,
    /// The parameters and wildcards, in address order.
    pub params: Vec<Parameter>,
    /// Whether the document's application publishes on the channel: an operation
    /// with `action: send` uses it, or its RainMaker direction is node-to-cloud.
    pub sends: bool,
    /// Whether the document's application subscribes to the channel: an operation
    /// with `action: receive` uses it, or its RainMaker direction is cloud-to-node.
    pub receives: bool,
    /// The RainMaker direction, when the operations state one.
    pub direction: Option<Direction>,
    /// The MQTT QoS (0 when no binding states one).
    pub qos: u8,
    /// The MQTT retain flag.
    pub retain: bool,
    /// The basic-ingest alias, if any.
    pub ingest: Option<Ingest>,
    /// The messages the channel carries, by index into [`Model::messages`].
    pub messages: Vec<usize>,
    /// The channel's description (or summary or title).
    pub description: Option<String>,
}

/// How a payload is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// JSON through serde.
    Json,
    /// UTF-8 text (`text/plain`).
    Text,
    /// Raw bytes (any other content type).
    Bytes,
    /// A runtime type's own `Payload` implementation (a binary `x-rust-type`).
    Custom,
}

/// A message: a name, a payload type and how it is encoded.
#[derive(Debug, Clone)]
pub struct Message {
    /// Where the message is.
    pub at: Location,
    /// The message's name (`name`, else its key).
    pub name: String,
    /// The Rust variant name in the generated `Message` enum (`Config`).
    pub variant: String,
    /// The payload type.
    pub payload: TypeRef,
    /// How the payload is encoded.
    pub encoding: Encoding,
    /// The content type.
    pub content_type: String,
    /// The message's description (or summary or title), with notes on what the
    /// generated code does not carry (headers, correlation id).
    pub description: Option<String>,
    /// The examples' payloads, as bytes on the wire, with their names.
    pub examples: Vec<(String, Vec<u8>)>,
    /// Whether the message has a borrowed view (`x-rust-borrow: true`): a payload
    /// type whose strings borrow from the payload bytes.
    pub borrow: bool,
    /// Whether the payload is written as the RainMaker C SDK writes JSON
    /// (`x-rainmaker-sdk-json: true`): floats as `%.5f`.
    pub sdk_json: bool,
    /// The fields of binary examples, by example name
    /// (`x-rainmaker-decoded-examples`).
    pub decoded_examples: Vec<DecodedExample>,
    /// The JSON Schema of a JSON payload with its `$ref`s inlined (recursive ones
    /// cut off deep down), for validators and tests that compare with one.
    pub schema: Option<serde_json::Value>,
}

/// What a binary example's frame holds, as the document states it
/// (`x-rainmaker-decoded-examples`): tag name -> value (text or number).
#[derive(Debug, Clone)]
pub struct DecodedExample {
    /// Where the entry is.
    pub at: Location,
    /// The example's name.
    pub name: String,
    /// The fields, by tag name.
    pub fields: Vec<(String, serde_json::Value)>,
    /// The schema the frame's JSON data follows (`data-schema`), if stated.
    pub data_schema: Option<Location>,
}

/// A reference to a Rust type, as a field or payload uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A type generated into the messages module.
    Named(String),
    /// A type of the runtime crate or any other path (`x-rust-type`).
    External(String),
    /// An enum of the standard-type catalogue (`x-rainmaker-standard-type` naming
    /// one list), such as `ParamType`.
    Standard(String),
    /// `bool`.
    Bool,
    /// A sized integer (`i32`, `i64`, `u8`, ...).
    Int(&'static str),
    /// A float (`f32` or `f64`).
    Float(&'static str),
    /// `String`.
    String,
    /// Raw bytes (`Vec<u8>`), only as the payload of a binary message.
    Bytes,
    /// `()`: JSON `null`.
    Unit,
    /// Any JSON value.
    Json,
    /// A JSON object kept as it is.
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` for a value that may be `null`.
    Nullable(Box<TypeRef>),
    /// `Box<T>`: a type that contains itself.
    Boxed(Box<TypeRef>),
}

/// A named type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Where its schema is.
    pub at: Location,
    /// The Rust name.
    pub name: String,
    /// The schema's description, with notes on rules the type does not enforce.
    pub description: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// The schema's validation keywords: of the value for an alias, of the object
    /// (property counts, `dependentRequired`, its `extra` values) for a struct.
    pub rules: Rules,
}

/// The validation keywords of a schema: what a value must be beyond its type,
/// checked after decoding and before encoding. Empty parts check nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// `minLength`, `maxLength`, `pattern`, `format`.
    pub string: StringRules,
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
    pub number: NumberRules,
    /// `minItems`, `maxItems`, `uniqueItems`.
    pub array: ArrayRules,
    /// `minProperties`, `maxProperties`.
    pub object: ObjectRules,
    /// `dependentRequired`: when the property (wire name) is present, these must be.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// The rules of an array's items, when they are written inline.
    pub items: Option<Box<Rules>>,
    /// The rules of a map's values (`additionalProperties`), when written inline.
    pub values: Option<Box<Rules>>,
}

impl Rules {
    /// Whether nothing is checked, at this level or below.
    pub fn is_empty(&self) -> bool {
        self.string == StringRules::default()
            && self.number == NumberRules::default()
            && self.array == ArrayRules::default()
            && self.object == ObjectRules::default()
            && self.dependent_required.is_empty()
            && self.items.as_ref().is_none_or(|items| items.is_empty())
            && self.values.as_ref().is_none_or(|values| values.is_empty())
    }
}

/// The rules of a string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringRules {
    /// `minLength`, in characters.
    pub min_chars: Option<u64>,
    /// `maxLength`, in characters.
    pub max_chars: Option<u64>,
    /// `pattern`, compiled.
    pub pattern: Option<crate::pattern::CompiledPattern>,
    /// `format`, when it is one the runtime checks (`date-time`, `email`...).
    pub format: Option<String>,
}

/// The rules of a number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberRules {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (or draft 4's `minimum` + `exclusiveMinimum: true`).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
}

/// The rules of an array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArrayRules {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
}

/// The rules of an object's property count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectRules {
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

/// What a struct does with properties it does not name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extra {
    /// Unknown properties are refused (`additionalProperties: false`).
    Deny,
    /// Kept in an `extra` map of JSON values.
    Json,
    /// Kept in an `extra` map of this type.
    Typed(TypeRef),
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// The fields, in schema property order.
        fields: Vec<Field>,
        /// What happens to other properties.
        extra: Extra,
    },
    /// A closed set of values.
    Enum {
        /// The variants, in spec order.
        variants: Vec<Variant>,
    },
    /// An open set of strings: the known values plus `Other(String)`.
    OpenEnum {
        /// The known values, in spec order.
        variants: Vec<Variant>,
    },
    /// A value of one of several lists of the standard-type catalogue
    /// (`x-rainmaker-standard-type` naming more than one), plus `Other(String)`.
    StandardUnion {
        /// One variant per list, in the order the schema names them: the variant
        /// name and the catalogue enum it holds.
        members: Vec<(String, String)>,
    },
    /// One of several types, tried in order (`#[serde(untagged)]`).
    Untagged {
        /// The variants, in spec order.
        variants: Vec<(String, TypeRef)>,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        inner: TypeRef,
    },
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name.
    pub wire: String,
    /// The Rust name (possibly raw, `r#type`).
    pub rust: String,
    /// The field type (without the `Option` of an optional field).
    pub ty: TypeRef,
    /// Whether the property is listed in `required`.
    pub required: bool,
    /// The property's description.
    pub description: Option<String>,
    /// The channel parameter whose value the property repeats
    /// (`x-rainmaker-topic-parameter`): decoding checks that the two agree.
    pub topic_parameter: Option<String>,
    /// The validation keywords of the property's own schema (those of a named
    /// type it refers to are that type's).
    pub rules: Rules,
}

/// A literal value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// An integer.
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    UInt(u64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
}

impl Eq for Literal {}

impl Literal {
    /// The literal as JSON text.
    pub fn json(&self) -> String {
        match self {
            Self::String(text) => serde_json::Value::String(text.clone()).to_string(),
            Self::Int(value) => value.to_string(),
            Self::UInt(value) => value.to_string(),
            Self::Float(value) => value.to_string(),
            Self::Bool(value) => value.to_string(),
            Self::Null => "null".to_owned(),
        }
    }
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The wire value.
    pub wire: Literal,
    /// The Rust variant name.
    pub rust: String,
}

impl Variant {
    /// The wire string of a string variant.
    pub fn wire_str(&self) -> Option<&str> {
        match &self.wire {
            Literal::String(text) => Some(text),
            _ => None,
        }
    }
}

/// A command of the TLV command catalogue.
#[derive(Debug, Clone)]
pub struct Command {
    /// The command number.
    pub id: u16,
    /// The catalogue's name (`set-params`).
    pub name: String,
    /// The constant's name (`SET_PARAMS`).
    pub constant: String,
    /// Who sends the request.
    pub direction: CommandDirection,
    /// The roles allowed to send it.
    pub allowed_roles: Option<u8>,
    /// The description.
    pub description: String,
    /// The typed data of the command: (what, e.g. `request`, and the type).
    pub data: Vec<(String, TypeRef)>,
}

/// Who sends a command's request (`direction` of a catalogue entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandDirection {
    /// The node sends the request.
    NodeToCloud,
    /// The cloud sends the request.
    CloudToNode,
    /// Either side sends it.
    Both,
    /// The catalogue does not know.
    Unknown,
}

impl CommandDirection {
    /// Every direction, in the order the catalogue documents them.
    pub const ALL: [Self; 4] = [
        Self::NodeToCloud,
        Self::CloudToNode,
        Self::Both,
        Self::Unknown,
    ];

    /// The catalogue's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Self::NodeToCloud => "node-to-cloud",
            Self::CloudToNode => "cloud-to-node",
            Self::Both => "both",
            Self::Unknown => "unknown",
        }
    }

    /// The Rust variant name of the runtime's `CommandDirection`.
    pub fn variant(self) -> &'static str {
        match self {
            Self::NodeToCloud => "NodeToCloud",
            Self::CloudToNode => "CloudToNode",
            Self::Both => "Both",
            Self::Unknown => "Unknown",
        }
    }
}

/// The TLV framing of the command channels (`x-rainmaker-tlv`).
#[derive(Debug, Clone)]
pub struct Tlv {
    /// Where the catalogue is.
    pub at: Location,
    /// What the framing is.
    pub description: Option<String>,
    /// Prose about framing (fragmentation, then decoding), in that order.
    pub notes: Vec<String>,
    /// The named limits (`request-id-max-length` ...), in document order.
    pub limits: Vec<(String, u64)>,
    /// The record types.
    pub tags: Vec<TlvTag>,
    /// The user-role flags (`user-roles.flags`).
    pub roles: Vec<NamedByte>,
    /// The response statuses (`statuses`).
    pub statuses: Vec<NamedByte>,
    /// The commands (`commands`, then `other-known-commands`).
    pub commands: Vec<Command>,
}

impl Tlv {
    /// The tag called `name` (`request_id`).
    pub fn tag(&self, name: &str) -> Option<&TlvTag> {
        self.tags.iter().find(|tag| tag.name == name)
    }
}

/// One record type of the TLV framing.
#[derive(Debug, Clone)]
pub struct TlvTag {
    /// The type byte.
    pub tag: u8,
    /// The name (`request_id`).
    pub name: String,
    /// The constant's name (`REQUEST_ID`).
    pub constant: String,
    /// The fewest value bytes.
    pub min_len: u64,
    /// The most value bytes.
    pub max_len: u64,
    /// How the value is encoded.
    pub encoding: TagEncoding,
    /// The description.
    pub description: String,
}

/// How the value of a TLV record is encoded (`encoding` of a tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagEncoding {
    /// ASCII text.
    Ascii,
    /// One byte of flags.
    U8Flags,
    /// One unsigned byte.
    U8,
    /// A little-endian `u16`.
    U16Le,
    /// A little-endian `u32`.
    U32Le,
    /// Opaque bytes.
    Bytes,
}

impl TagEncoding {
    /// Every encoding.
    pub const ALL: [Self; 6] = [
        Self::Ascii,
        Self::U8Flags,
        Self::U8,
        Self::U16Le,
        Self::U32Le,
        Self::Bytes,
    ];

    /// The catalogue's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Ascii => "ascii",
            Self::U8Flags => "u8-flags",
            Self::U8 => "u8",
            Self::U16Le => "u16-le",
            Self::U32Le => "u32-le",
            Self::Bytes => "bytes",
        }
    }

    /// Whether the value is a number (little-endian), rather than text or bytes.
    pub fn is_number(self) -> bool {
        !matches!(self, Self::Ascii | Self::Bytes)
    }
}

/// A byte value with a name: a status or a role flag.
#[derive(Debug, Clone)]
pub struct NamedByte {
    /// The value.
    pub value: u8,
    /// The catalogue's name (`auth-failed`).
    pub name: String,
    /// The constant's name (`AUTH_FAILED`).
    pub constant: String,
    /// The description.
    pub description: String,
}

/// One entry of `x-rainmaker-upstream-differences`.
#[derive(Debug, Clone)]
pub struct Difference {
    /// The entry's id.
    pub id: String,
    /// The section of the protocol description it concerns, if stated.
    pub section: Option<String>,
    /// What the upstream summary says.
    pub upstream: String,
    /// What real nodes do.
    pub wire: String,
    /// What the document does about it.
    pub resolution: String,
}

/// The standard-type catalogue (`x-rainmaker-standard-types`).
#[derive(Debug, Clone, Default)]
pub struct StandardTypes {
    /// Where the catalogue is.
    pub at: Option<Location>,
    /// The catalogue's description.
    pub description: Option<String>,
    /// UI types.
    pub ui_types: Vec<StandardType>,
    /// Device types.
    pub device_types: Vec<StandardType>,
    /// Service types.
    pub service_types: Vec<StandardType>,
    /// Param types (with defaults) followed by the other known param types.
    pub param_types: Vec<StandardType>,
    /// The standard service instances the SDK creates.
    pub services: Vec<StandardService>,
    /// The Rust name of the data-type enum of the messages module (`DataType`).
    pub data_type_enum: String,
    /// The Rust name of the param-property enum of the messages module
    /// (`ParamProperty`).
    pub property_enum: String,
}

impl StandardTypes {
    /// The catalogue's lists, each a Rust enum; a schema names them with
    /// `x-rainmaker-standard-type`.
    pub const LISTS: [StandardList; 4] = [
        StandardList {
            key: "ui-types",
            rust: "UiType",
            what: "A UI type (`ui_type` of a param).",
            values: |standard| &standard.ui_types,
        },
        StandardList {
            key: "device-types",
            rust: "DeviceType",
            what: "A device type (`type` of a device).",
            values: |standard| &standard.device_types,
        },
        StandardList {
            key: "service-types",
            rust: "ServiceType",
            what: "A service type (`type` of a service).",
            values: |standard| &standard.service_types,
        },
        StandardList {
            key: "param-types",
            rust: "ParamType",
            what: "A param type (`type` of a param).",
            values: |standard| &standard.param_types,
        },
    ];
}

/// One list of the standard-type catalogue.
#[derive(Debug, Clone, Copy)]
pub struct StandardList {
    /// The list's key in the catalogue (`param-types`).
    pub key: &'static str,
    /// The Rust enum that holds its values (`ParamType`).
    pub rust: &'static str,
    /// What one value is, for the enum's docs.
    pub what: &'static str,
    /// Its values.
    pub values: fn(&StandardTypes) -> &[StandardType],
}

/// A standard type string (`esp.ui.toggle`) and what the catalogue says about it.
#[derive(Debug, Clone)]
pub struct StandardType {
    /// The wire string.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
    /// Its description.
    pub description: Option<String>,
    /// The default param name (param types).
    pub default_name: Option<String>,
    /// The defaults of the SDK's constructor (param types that have one).
    pub defaults: Option<ParamDefaults>,
    /// The SDK's constructor (device types that have one).
    pub constructor: Option<DeviceConstructor>,
}

/// The defaults of a standard param type.
#[derive(Debug, Clone)]
pub struct ParamDefaults {
    /// The data type, as the Rust variant of the data-type enum (`Bool`).
    pub data_type: String,
    /// The properties, as Rust variants of the property enum (`Read`, `Write`).
    pub properties: Vec<String>,
    /// Whether the SDK persists the value in NVS.
    pub persist: bool,
    /// The UI type, as the Rust variant of the generated `UiType` (`Toggle`).
    pub ui_type: Option<String>,
    /// The bounds, if any.
    pub bounds: Option<Bounds>,
}

/// Default bounds of a param.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// Minimum.
    pub min: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Step.
    pub step: Option<f64>,
}

/// The SDK constructor of a standard device type.
#[derive(Debug, Clone)]
pub struct DeviceConstructor {
    /// The param names it creates.
    pub params: Vec<String>,
    /// The primary param.
    pub primary: Option<String>,
}

/// A standard service instance (`Time`: `esp.service.time` with `TZ`, `TZ-POSIX`).
#[derive(Debug, Clone)]
pub struct StandardService {
    /// The service name (`Time`).
    pub name: String,
    /// The service type, as the Rust variant of the generated `ServiceType`.
    pub service_type: String,
    /// The param names.
    pub params: Vec<String>,
    /// The attributes (name, value).
    pub attributes: Vec<(String, String)>,
    /// Its description.
    pub description: Option<String>,
}
