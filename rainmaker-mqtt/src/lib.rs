//! Runs RainMaker over a real MQTT connection (rumqttc on tokio), for the two sides
//! every user of `rainmaker-types` would otherwise glue together by hand.
//!
//! - [`NodeRunner`] drives a sans-IO [`Node`](rainmaker_types::node::Node): it
//!   connects as the node (client id = node id, the node's last will, persistent
//!   sessions by default), applies every output, feeds every input, reconnects with
//!   capped exponential back-off and jitter, tells the node whether the broker kept
//!   its session, and acknowledges the user mapping from the real PUBACK.
//! - [`Consumer`] is the cloud side: it subscribes to what nodes send (optionally
//!   as a member of a shared subscription group, so several consumers split the
//!   traffic), decodes every message, and publishes writes and commands to nodes.
//!
//! The protocol crates stay free of I/O; this crate is where the socket is.

mod backoff;
mod broker;
mod consumer;
mod runner;

pub use backoff::Backoff;
pub use broker::{Broker, KEEP_ALIVE, MAX_PACKET_SIZE, TlsFiles, TlsIdentity};
pub use consumer::{Consumer, Delivery, Publisher, node_filters};
pub use runner::{NodeHandle, NodeRunner, RunnerEvent, SHUTDOWN_GRACE};

use rainmaker_types::node::NodeError;

/// The capacity of the channel between a client handle and its event loop: none,
/// a rendezvous. rumqttc moves requests still waiting in that channel into its
/// retransmission list when a connection drops, and there they can take packet ids
/// still in flight and be dropped on resumption (measured: 1 to 8 % of what a cloud
/// sent during a broker restart); with no capacity, every request waits for the
/// event loop to take it, and flow control holds them back instead.
const REQUEST_CAPACITY: usize = 0;

/// A rumqttc client and its event loop as this crate makes them, for a connection
/// of your own (options from [`Broker::mqtt_options`]): a rendezvous request
/// channel (see above; poll the event loop from another task than the one that
/// makes requests) and Nagle's algorithm off, since the protocol's messages are
/// small and latency-bound and with it on each waits for the peer's delayed ACK
/// (about 40 ms on Linux).
pub fn client(options: rumqttc::MqttOptions) -> (rumqttc::AsyncClient, rumqttc::EventLoop) {
    let (client, mut eventloop) = rumqttc::AsyncClient::new(options, REQUEST_CAPACITY);
    let mut network = rumqttc::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    eventloop.set_network_options(network);
    (client, eventloop)
}

/// A connection error in words, with the I/O or TLS reason when there is one.
pub fn connection_error(error: &rumqttc::ConnectionError) -> String {
    match error {
        rumqttc::ConnectionError::Io(e) => format!("I/O: {e}"),
        rumqttc::ConnectionError::Tls(e) => format!("TLS: {e}"),
        other => other.to_string(),
    }
}

/// What can go wrong running a node or a consumer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A broker URL that is not `mqtt://host[:port]` or `mqtts://host[:port]`.
    #[error("{0}")]
    Url(String),
    /// TLS files or settings.
    #[error("TLS: {0}")]
    Tls(String),
    /// The MQTT client refused a request or the connection failed.
    #[error("MQTT: {0}")]
    Mqtt(String),
    /// The node refused a change.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The runner or consumer has stopped.
    #[error("the MQTT task has stopped")]
    Stopped,
}
