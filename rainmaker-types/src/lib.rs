//! Typed messages, topics and standard types of the ESP RainMaker node protocol.
//!
//! This is the crate firmware, cloud services, gateways and test tools depend on:
//! the message structs and topic parsers are generated from the AsyncAPI spec in
//! `spec/`, beside a small hand-written runtime. It performs no I/O; hand the
//! `(topic, payload)` pairs it produces to any MQTT client.

#[cfg(feature = "derive")]
pub use rainmaker_macros::Device;
