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

use std::time::{Duration, Instant};

pub use backoff::Backoff;
pub use broker::{Broker, KEEP_ALIVE, MAX_PACKET_SIZE, TlsFiles, TlsIdentity, TlsOptions};
pub use consumer::{
    Consumer, ConsumerEvent, DELIVERY_CAPACITY, Delivery, Publisher, REQUEST_TIMEOUT, node_filters,
};
pub use error::{Error, TlsError, UrlProblem};
pub use runner::{EVENT_CAPACITY, NodeHandle, NodeRunner, RunnerEvent, SHUTDOWN_GRACE, unix_now};

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

/// How long a connection must stay up before a loss starts the back-off again
/// from its first delay. A connection the broker accepts and then closes sooner
/// (another client with the same id, a message it cannot deliver, a policy) keeps
/// the back-off growing.
pub const STABLE_AFTER: Duration = Duration::from_secs(30);

/// What [`poll`] reports of a connection.
#[derive(Debug)]
pub enum Polled {
    /// An event of the connection (a packet in or out).
    Event(rumqttc::Event),
    /// The connection failed or dropped; the event loop reconnects in `retry_in`.
    Lost(Loss),
    /// The broker accepted the connection with a new session (the CONNACK follows
    /// as an event), and what the client still held of the previous one was
    /// dropped with it.
    SessionDropped(Held),
}

/// The largest message a client reads on the connection after one that dropped
/// because a message was over its packet limit (16 MiB).
pub const OVERSIZED_CEILING: usize = 16 * 1024 * 1024;

/// What the client held of a connection when it dropped and never sent: the
/// requests a new session discards. (Publishes sent and not acknowledged are
/// discarded too; a new session acknowledges nothing sent before it.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// How many publishes were handed to the client and never sent (the oldest
    /// of those it was given).
    pub unsent_publishes: usize,
    /// How many subscribe requests were handed to the client and never sent.
    pub unsent_subscribes: usize,
}

impl Held {
    /// What `eventloop` holds after a loss.
    fn of(eventloop: &rumqttc::EventLoop) -> Self {
        let mut held = Self::default();
        for request in &eventloop.pending {
            match request {
                rumqttc::Request::Publish(publish) if publish.pkid == 0 => {
                    held.unsent_publishes += 1;
                }
                rumqttc::Request::Subscribe(_) => held.unsent_subscribes += 1,
                _ => {}
            }
        }
        held
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A connection that failed or dropped.
#[derive(Debug)]
pub struct Loss {
    /// Why.
    pub error: rumqttc::ConnectionError,
    /// The back-off delay before the next attempt.
    pub retry_in: Duration,
    /// How long the connection had been up; `None` when the attempt failed before
    /// the broker accepted it.
    pub up_for: Option<Duration>,
    /// How many connections in a row the broker accepted and then closed within
    /// [`STABLE_AFTER`] (this one included); 0 when this one lasted, never was,
    /// or ended otherwise (a packet the client refused, its own timeout).
    pub short_lived: u32,
    /// The size of a message over the client's packet limit that the broker sent,
    /// when that is why the connection dropped. The client cannot read past its
    /// header, and the broker would resend it on every reconnection: the next
    /// connection reads messages up to that size (at most
    /// [`OVERSIZED_CEILING`]), so that the message arrives with its topic and is
    /// refused and acknowledged like any message the application cannot take.
    /// Beyond the ceiling, the next connection asks for a clean session instead,
    /// so that the broker discards it (with whatever else it held).
    pub oversized: Option<usize>,
}

/// Whether `error` is the broker closing the connection (rather than a packet
/// the client refused, or the client's own timeout).
fn closed_by_broker(error: &rumqttc::ConnectionError) -> bool {
    use std::io::ErrorKind;
    let io = match error {
        rumqttc::ConnectionError::MqttState(rumqttc::StateError::ConnectionAborted) => {
            return true;
        }
        rumqttc::ConnectionError::MqttState(rumqttc::StateError::Io(io))
        | rumqttc::ConnectionError::Io(io) => io,
        _ => return false,
    };
    matches!(
        io.kind(),
        ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
    )
}

/// The size of the incoming packet that made `error`, when it was over the
/// client's limit.
fn oversized(error: &rumqttc::ConnectionError) -> Option<usize> {
    match error {
        rumqttc::ConnectionError::MqttState(rumqttc::StateError::Deserialization(
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(size),
        )) => Some(*size),
        _ => None,
    }
}

/// How many [`Polled`] reports wait for the reader before the poller stops
/// reading the socket (the broker then holds back, by TCP flow control).
const POLLED_CAPACITY: usize = 64;

/// Polls `eventloop` and sends what happens to the returned receiver: every event,
/// every loss with the back-off delay before the event loop reconnects, and what
/// the client held when the broker starts a new session. Run the returned
/// future on a task (`tokio::spawn`, or a `JoinSet` that stops it when dropped);
/// it ends when the receiver is dropped. The node runner, the consumer and the
/// examples' clients all poll through it.
///
/// The back-off starts again from its first delay only after a connection stayed
/// up for [`STABLE_AFTER`]. The receiver is bounded: a reader that falls behind
/// makes the poller wait, and the broker with it.
pub fn poll(
    mut eventloop: rumqttc::EventLoop,
    mut backoff: Backoff,
) -> (
    tokio::sync::mpsc::Receiver<Polled>,
    impl std::future::Future<Output = ()> + Send + 'static,
) {
    let (out, polled) = tokio::sync::mpsc::channel(POLLED_CAPACITY);
    // The options as given, back after a connection made with other ones.
    let options = eventloop.mqtt_options.clone();
    let poller = async move {
        let mut up_since: Option<Instant> = None;
        let mut short_lived = 0;
        // What the last loss left in the event loop, dropped if the broker starts
        // a new session.
        let mut held = Held::default();
        loop {
            match eventloop.poll().await {
                Ok(event) => {
                    if let rumqttc::Event::Incoming(rumqttc::Incoming::ConnAck(ack)) = &event {
                        up_since = Some(Instant::now());
                        eventloop.mqtt_options = options.clone();
                        let held = std::mem::take(&mut held);
                        if !ack.session_present
                            && !held.is_empty()
                            && out.send(Polled::SessionDropped(held)).await.is_err()
                        {
                            return;
                        }
                    }
                    if out.send(Polled::Event(event)).await.is_err() {
                        return;
                    }
                }
                Err(error) => {
                    let up_for = up_since.take().map(|since| since.elapsed());
                    match up_for {
                        Some(up) if up >= STABLE_AFTER => {
                            backoff.reset();
                            short_lived = 0;
                        }
                        Some(_) if closed_by_broker(&error) => short_lived += 1,
                        Some(_) | None => {}
                    }
                    let oversized = oversized(&error);
                    match oversized {
                        // Read it next time, to refuse it by its topic.
                        Some(size) if size <= OVERSIZED_CEILING => {
                            eventloop.mqtt_options.set_max_packet_size(size, size);
                        }
                        // A clean session makes the broker drop it.
                        Some(_) => {
                            eventloop.mqtt_options.set_clean_session(true);
                        }
                        None => {}
                    }
                    held = Held::of(&eventloop);
                    let retry_in = backoff.next_delay();
                    let in_a_row = match up_for {
                        Some(up) if up < STABLE_AFTER && closed_by_broker(&error) => short_lived,
                        _ => 0,
                    };
                    let loss = Loss {
                        error,
                        retry_in,
                        up_for,
                        short_lived: in_a_row,
                        oversized,
                    };
                    if out.send(Polled::Lost(loss)).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(retry_in).await;
                }
            }
        }
    };
    (polled, poller)
}
