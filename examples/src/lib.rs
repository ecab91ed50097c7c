//! A RainMaker node and a simulated RainMaker cloud talking over real MQTT.
//!
//! The library crates of this workspace are sans-IO; this crate is where they
//! meet a network. It holds what the `demo` binary and the end-to-end tests
//! share:
//!
//! * [`broker`]: an embedded MQTT broker (rumqttd) on a free loopback port;
//! * [`mqtt`]: the cloud's rumqttc connection, with bounded waits;
//! * [`devices`]: the demo node's devices, declared with the derive;
//! * [`node`]: the demo node, run over MQTT by `rainmaker_mqtt::NodeRunner`;
//! * [`cloud`] and [`script`]: the simulated cloud and its conversation;
//! * [`print`](mod@print): one readable line per message, TLV frames decoded.
//!
//! Run the demo with `cargo run -p rainmaker-examples --bin demo`.

pub mod broker;
pub mod cloud;
pub mod demo;
pub mod devices;
pub mod error;
pub mod mqtt;
pub mod node;
pub mod print;
pub mod script;
mod wiring;

pub use error::{Error, Result};

/// The Rust snippets of the workspace's README, compiled (and, unless marked
/// `no_run`, run) as doc tests: they build as shown.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
