//! Typed messages, topics and standard types of the ESP RainMaker node protocol.
//!
//! This is the crate firmware, cloud services, gateways and test tools depend on:
//! the message structs and topic parsers are generated from the AsyncAPI spec in
//! `spec/`, beside a small hand-written runtime. It performs no I/O; hand the
//! `(topic, payload)` pairs it produces to any MQTT client.

pub mod command;
pub mod device;
pub mod error;
pub mod ids;
pub mod node;
pub mod payload;
pub mod sdk_json;
pub mod services;
pub mod value;

pub use command::{FromNodeFrame, ToNodeFrame};
pub use device::{Device, DeviceDescriptor, ParamSpec, WriteError, WriteOutcome, WriteRejection};
pub use error::{DecodeError, EncodeError, JsonError, JsonErrorKind, TopicError, TopicErrorReason};
pub use ids::{GroupId, IdError, NodeId};
pub use payload::{JsonPayload, Payload};
pub use value::{DeviceParams, ParamValue, ParamsDocument};

// Generated from the spec by `rainmaker-codegen` (never edited by hand). The topic
// parameters use the hand-written `NodeId` and `GroupId` of `ids.rs`.
pub mod generated;
pub use generated::{
    Channel, Direction, DispatchError, Envelope, Message, Qos, Topic, TopicForm, messages,
    standard_types,
};
// `JsonSchema` for the hand-written types that generated messages contain.
#[cfg(feature = "schemars")]
mod json_schema;

#[cfg(feature = "derive")]
pub use rainmaker_macros::Device;
