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
mod error;
mod runner;

pub use backoff::Backoff;
pub use broker::{Broker, KEEP_ALIVE, MAX_PACKET_SIZE, TlsFiles, TlsIdentity};
pub use consumer::{Consumer, Delivery, Publisher, node_filters};
pub use error::{Error, TlsError, UrlProblem};
pub use runner::{NodeHandle, NodeRunner, RunnerEvent, SHUTDOWN_GRACE, unix_now};

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

/// What [`poll`] reports of a connection: an event, or its loss and when the next
/// attempt is made.
#[derive(Debug)]
pub enum Polled {
    /// An event of the connection (a packet in or out).
    Event(rumqttc::Event),
    /// The connection failed or dropped; the event loop reconnects in `retry_in`.
    Lost {
        /// Why.
        error: rumqttc::ConnectionError,
        /// The back-off delay before the next attempt.
        retry_in: std::time::Duration,
    },
}

/// Polls `eventloop` and sends what happens to the returned receiver: every event,
/// and every loss followed by the back-off delay (reset by each CONNACK) before the
/// event loop reconnects. Run the returned future on a task (`tokio::spawn`, or a
/// `JoinSet` that stops it when dropped); it ends when the receiver is dropped. The
/// node runner, the consumer and the examples' clients all poll through it.
pub fn poll(
    mut eventloop: rumqttc::EventLoop,
    mut backoff: Backoff,
) -> (
    tokio::sync::mpsc::UnboundedReceiver<Polled>,
    impl std::future::Future<Output = ()> + Send + 'static,
) {
    let (out, polled) = tokio::sync::mpsc::unbounded_channel();
    let poller = async move {
        loop {
            match eventloop.poll().await {
                Ok(event) => {
                    if matches!(
                        event,
                        rumqttc::Event::Incoming(rumqttc::Incoming::ConnAck(_))
                    ) {
                        backoff.reset();
                    }
                    if out.send(Polled::Event(event)).is_err() {
                        return;
                    }
                }
                Err(error) => {
                    let retry_in = backoff.next_delay();
                    if out.send(Polled::Lost { error, retry_in }).is_err() {
                        return;
                    }
                    tokio::time::sleep(retry_in).await;
                }
            }
        }
    };
    (polled, poller)
}
