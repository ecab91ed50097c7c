//! Typed messages, topics and standard types of the ESP RainMaker node protocol.
//!
//! This is the crate firmware, cloud services, gateways and test tools depend on.
//! The message structs ([`messages`]), the [`Topic`] parser and builder (and the
//! borrowed [`TopicRef`]), the [`Message`] dispatch, the TLV [`commands`] and the
//! [`standard_types`] catalogue are generated from the AsyncAPI spec in `spec/` (by
//! `rainmaker-codegen`) on the [`runtime`] every generated crate uses (payload codecs,
//! errors that say where, checked topic parameters). Beside them is the hand-written
//! RainMaker layer: param values and params documents ([`value`]), validated ids
//! ([`ids`]), the [`Device`] trait with its derive, the standard [`services`], and a
//! sans-IO [`node::Node`]. Nothing here does I/O: hand the `(topic, payload)` pairs to
//! any MQTT client.
//!
//! # Cloud side: decode what a node sends
//!
//! ```
//! use rainmaker_types::{Envelope, Message, Topic, TopicForm};
//!
//! // Both topic forms parse to the same channel.
//! let (topic, form) = Topic::parse_form("$aws/rules/esp_set_params/node/7C9EBD4A1B2C/params/local")?;
//! assert_eq!((topic.node_id().as_str(), form), ("7C9EBD4A1B2C", TopicForm::Ingest));
//!
//! let envelope = Envelope::decode(
//!     "node/7C9EBD4A1B2C/params/local",
//!     br#"{"Temperature Sensor":{"Temperature":25.50000}}"#,
//! )?;
//! let Message::ParamsLocal(doc) = envelope.message() else { unreachable!() };
//! let temperature = doc.get("Temperature Sensor", "Temperature").and_then(|v| v.as_f64());
//! assert_eq!(temperature, Some(25.5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Node side: declare devices, let the [`node::Node`] speak the protocol
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
//! use rainmaker_types::node::{Input, Node};
//! use rainmaker_types::{Device, NodeId};
//!
//! #[derive(Device)]
//! #[device(name = "Light", r#type = "esp.device.lightbulb")]
//! struct Light {
//!     #[param(standard = Name)]
//!     name: String,
//!     #[param(standard = Power, primary)]
//!     power: bool,
//!     #[param(standard = Brightness)]
//!     brightness: i32,
//! }
//!
//! // Name, firmware version, type, model, project name, platform.
//! let info = NodeInfo::new(
//!     "ESP RainMaker Device", "1.0", "Lightbulb", "led_light", "led_light",
//!     NodeInfoPlatform::Esp32c3,
//! );
//! let mut node = Node::new(NodeId::new("7C9EBD4A1B2C")?, info).with_ota_over_topics();
//! node.add_device(Light { name: "Light".into(), power: false, brightness: 25 })?;
//! let now = 1_765_000_000; // every input comes with the time (Unix seconds)
//! let boot = node.handle(now, Input::Connected)?; // config, params/local/init, otafetch, get-pending
//! assert_eq!(boot.publish.len(), 4);
//!
//! // A write outside the bounds is refused with a typed error and changes nothing.
//! let out = node.handle(now, Input::Received {
//!     topic: "node/7C9EBD4A1B2C/params/remote",
//!     payload: br#"{"Light":{"Power":true,"Brightness":150}}"#,
//! })?;
//! assert_eq!(out.publish[0].payload, br#"{"Light":{"Power":true}}"#);
//! assert_eq!(node.device::<Light>("Light").map(|l| l.brightness), Some(25));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate's `examples/thermostat.rs` puts both sides together: a thermostat node,
//! the cloud decoding its config (device and param types as catalogue enums), and a
//! command 1 round trip over `to-node` and `from-node`.
//!
//! # Features
//!
//! - `std` (default): `std` builds. Off, the crate is `#![no_std]` and needs only
//!   `alloc` and an implementation of [`critical-section`](https://docs.rs/critical-section)
//!   (esp-hal and the `riscv` crate's `critical-section-single-hart` provide one).
//! - `json-error-paths` (default): JSON decode errors name the path of the value at
//!   fault (`$.info.name`), at the cost of a second, path-tracking decoder (about
//!   25 KiB of flash on RISC-V), and a strict decode names an unescaped quote
//!   (`DecodeError::UnescapedQuote`); without it they say line and column.
//! - `preserve-order` (default, implies `std`): object values keep their key order,
//!   so re-encoding gives back the sender's bytes.
//! - `float-roundtrip` (default): floats are read to the nearest value, so a decoded
//!   then encoded float keeps its text; without it a float may be one unit in the
//!   last place off (and a firmware saves about 13 KiB of flash).
//! - `derive`: re-exports `#[derive(Device)]` (the serde convention).
//! - `schemars` (implies `std`): `JsonSchema` for every message type; a test checks
//!   each derived schema against the spec's.
//!
//! # Bare-metal firmware
//!
//! The whole node side (messages, topics, params documents, `Device` and its derive,
//! the standard services, the sans-IO [`node::Node`]) runs without `std`, on the
//! ESP32-C3's `riscv32imc` core too (no atomic read-modify-write is used). A firmware
//! turns the default features off, provides a heap and a critical section, and feeds
//! the bytes its MQTT client receives to the node:
//!
//! ```toml
//! [dependencies]
//! rainmaker-types = { version = "0.1", default-features = false, features = ["derive"] }
//! embedded-alloc = "0.7"
//! ```
//!
//! ```ignore
//! #[global_allocator]
//! static HEAP: embedded_alloc::LlffHeap = embedded_alloc::LlffHeap::empty();
//!
//! let mut node = Node::new(NodeId::new(node_id)?, info);
//! node.add_device(Light { name: "Light".into(), power: false, brightness: 25 })?;
//! for publish in node.handle(now, Input::Connected)?.publish {
//!     mqtt.publish(&publish.topic, publish.qos, &publish.payload);
//! }
//! // for every message the client receives:
//! let out = node.handle(now, Input::Received { topic, payload })?;
//! // and whenever the clock reaches `node.poll_timeout()` (a schedule is due):
//! let out = node.handle_timeout(now)?;
//! ```
//!
//! `examples/bare-metal` is such a firmware: a lightbulb and a temperature sensor on a
//! node driven through a scripted conversation, run under QEMU in CI with every output
//! compared byte for byte with the host's; the README gives its flash and heap.

#![no_std]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;
// Generated code names this crate by its absolute path, as in any other crate.
extern crate self as rainmaker_types;

mod json_span;
mod prelude;

pub mod clock;
pub mod device;
pub mod frames;
pub mod ids;
pub mod node;
pub mod runtime;
pub mod schedule;
pub mod sdk_json;
pub mod services;
pub mod value;

pub use device::Device;
pub use frames::{FromNodeFrame, ToNodeFrame};
pub use ids::{GroupId, NodeId};
pub use runtime::{
    DecodeError, DecodeOptions, Decoded, DispatchError, EncodeError, Payload, Qos, TopicError,
    TopicForm,
};
pub use value::{ParamValue, ParamValueRef, ParamsDocument, ParamsDocumentRef, RawJson};

/// The TLV codec of the command channels (`to-node`, `from-node`).
pub use rainmaker_tlv as tlv;
/// The JSON library whose `Value` and `Map` appear in the message types.
pub use serde_json;

// Code generated from `spec/rainmaker-node.asyncapi.yaml` by `rainmaker-codegen`
// (never edited by hand): messages, topics, dispatch, views, the TLV command catalogue
// and the standard-type catalogue. Each item is reachable by one path: the modules
// below, or the crate root.
#[rustfmt::skip]
mod generated;
pub use generated::{
    Channel, Envelope, EnvelopeRef, Message, MessageKind, MessageRef, Topic, TopicRef, commands,
    messages, standard_types, views,
};
// `JsonSchema` for the hand-written types that generated messages contain.
#[cfg(feature = "schemars")]
mod json_schema;

#[cfg(feature = "derive")]
pub use rainmaker_macros::Device;
