//! The intermediate model: what the emitters need from the spec, already named and
//! checked. Built by [`crate::load()`]; every item keeps the JSON pointer it came from.

use crate::pointer::Pointer;

/// The whole spec, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The spec file's name, for the header of generated files.
    pub spec_name: String,
    /// The named types to emit (component schemas and named inline schemas), in spec
    /// order.
    pub types: Vec<TypeDef>,
    /// The messages (`components/messages`), in spec order.
    pub messages: Vec<Message>,
    /// The channels, in spec order.
    pub channels: Vec<Channel>,
    /// The standard-type catalogue, when the spec has one.
    pub standard_types: Option<StandardTypes>,
}

/// Who publishes on a channel.
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
    /// The spec's spelling (`x-rainmaker-direction`).
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
}

/// One segment of a channel address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A literal segment (`node`, `params`).
    Literal(String),
    /// A parameter segment (`{node_id}`), by index into [`Channel::params`].
    Param(usize),
}

/// A channel parameter (`{node_id}`).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name in the address (`node_id`).
    pub name: String,
    /// The Rust field name (`node_id`).
    pub field: String,
    /// The Rust type in the runtime crate (`NodeId`).
    pub rust_type: String,
    /// The parameter's description.
    pub description: Option<String>,
    /// `x-rainmaker-pattern`: the regex a value must match.
    pub pattern: Option<String>,
    /// `x-rainmaker-max-length`: the longest value, in bytes.
    pub max_length: Option<u64>,
}

/// The basic-ingest alias of a channel.
#[derive(Debug, Clone)]
pub struct Ingest {
    /// The rule name (`esp_node_config`).
    pub rule: String,
    /// Whether the SDK publishes on the alias (`false` for group deltas).
    pub sdk_publishes: bool,
}

/// A channel: one topic shape, with its operation's direction and messages.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Where the channel is (`/channels/<key>`).
    pub at: Pointer,
    /// The channel key (`nodeConfig`).
    pub key: String,
    /// The Rust variant name (`NodeConfig`).
    pub variant: String,
    /// The address template as written (`node/{node_id}/config`).
    pub address: String,
    /// The address split at `/`.
    pub segments: Vec<Segment>,
    /// The parameters, in address order.
    pub params: Vec<Parameter>,
    /// Who publishes.
    pub direction: Direction,
    /// The MQTT QoS of the operation (the protocol uses 1 everywhere).
    pub qos: u8,
    /// The basic-ingest alias, if any.
    pub ingest: Option<Ingest>,
    /// The messages the channel carries, by index into [`Model::messages`].
    pub messages: Vec<usize>,
    /// The channel's description (or summary).
    pub description: Option<String>,
}

/// A message: a name and a payload type.
#[derive(Debug, Clone)]
pub struct Message {
    /// Where the message is (`/components/messages/<key>`).
    pub at: Pointer,
    /// The message key (`configMessage`).
    pub key: String,
    /// The Rust variant name in the generated `Message` enum (`Config`).
    pub variant: String,
    /// The payload type.
    pub payload: TypeRef,
    /// The content type (`application/json`, `application/octet-stream`).
    pub content_type: String,
    /// The message's description (or summary or title).
    pub description: Option<String>,
}

/// A reference to a Rust type, as a field or payload uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A type generated into the messages module.
    Named(String),
    /// A hand-written type of the runtime crate (`x-rust-type`).
    Runtime(String),
    /// `bool`.
    Bool,
    /// A sized integer (`i32`, `i64`, `u8`, `u16`, `u32`).
    Int(&'static str),
    /// `serde_json::Number`: a JSON number that keeps integers and floats apart, so
    /// `100` re-encodes as `100` and `0.5` as `0.5` (bounds are ints for int params and
    /// floats for float params).
    Number,
    /// `String`.
    String,
    /// Raw bytes (`Vec<u8>`).
    Bytes,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// A JSON object kept as it is (`serde_json::Map<String, Value>`).
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` for a value that may be `null`.
    Nullable(Box<TypeRef>),
}

/// A named type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Where its schema is.
    pub at: Pointer,
    /// The Rust name.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// The fields, in schema property order.
        fields: Vec<Field>,
        /// Whether unknown properties are kept in an `extra` map.
        extra: bool,
    },
    /// A closed set of strings.
    Enum {
        /// The variants, in spec order.
        variants: Vec<Variant>,
    },
    /// An open set of strings: the known values plus `Other(String)`.
    OpenEnum {
        /// The known values, in spec order.
        variants: Vec<Variant>,
    },
    /// One of several types, tried in order (`#[serde(untagged)]`).
    Untagged {
        /// The variants, in spec order.
        variants: Vec<(String, TypeRef)>,
    },
    /// A type alias (a named schema that is a map, list or scalar).
    Alias {
        /// The wrapped type.
        inner: TypeRef,
    },
    /// Raw bytes of a binary message that no runtime type describes.
    RawBytes,
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
}

/// A variant of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The wire string.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
}

/// The standard-type catalogue (`x-rainmaker-standard-types`).
#[derive(Debug, Clone, Default)]
pub struct StandardTypes {
    /// Where the catalogue is.
    pub at: Pointer,
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
