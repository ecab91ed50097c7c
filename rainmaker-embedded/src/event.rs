//! What the driver tells the application: its events, why a connection was lost,
//! and the connection's state.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use embedded_io_async::ErrorKind;
use rainmaker_types::node::{self, NodeError, PublishId};

use crate::packet::PacketError;

/// Something that happened, returned by [`NodeDriver::next_event`](crate::NodeDriver::next_event).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The broker accepted the connection.
    Connected {
        /// Whether it kept the node's session (persistent sessions).
        session_present: bool,
    },
    /// A connection attempt failed, or the connection was lost; the next attempt
    /// is in `retry_in_ms`.
    Disconnected {
        /// Why.
        error: LinkError,
        /// The back-off delay before the next attempt.
        retry_in_ms: u64,
        /// How long the connection had been up; `None` when the attempt failed
        /// before the broker accepted it.
        up_for_ms: Option<u64>,
    },
    /// The broker closed a connection it had accepted less than
    /// [`Config::stable_after_ms`](crate::Config::stable_after_ms) before,
    /// `in_a_row` times in a row: usually another client with the same id (a
    /// second device with this node's id and certificate), else a broker policy.
    /// The back-off keeps growing while it repeats. Comes before the
    /// [`Event::Disconnected`] of that connection.
    DroppedByBroker {
        /// How long the connection was up.
        up_for_ms: u64,
        /// How many short-lived connections in a row, this one included.
        in_a_row: u32,
    },
    /// An event of the node (a write applied, a command answered, an OTA offer...).
    Node(Box<node::Event>),
    /// The node refused a message (or a timer's work); it changed nothing.
    Refused {
        /// The topic the message came on; `None` for a timer.
        topic: Option<String>,
        /// Why.
        error: NodeError,
    },
    /// The broker acknowledged a publish of the node.
    Acknowledged(PublishId),
    /// A publish of the node was not delivered, and will not be.
    PublishLost {
        /// The publish's id.
        id: PublishId,
        /// Its topic.
        topic: String,
        /// Why.
        reason: Lost,
    },
    /// A message larger than the receive buffer arrived: it was read past and
    /// acknowledged (so that the broker does not send it again), not given to
    /// the node.
    MessageTooLarge {
        /// Its topic.
        topic: String,
        /// The packet's size in bytes.
        size: usize,
        /// The receive buffer's size.
        limit: usize,
    },
    /// The broker refused a subscription (a SUBACK failure code): nothing arrives
    /// on that filter. Usually the broker's policy.
    SubscriptionRefused {
        /// The topic filter.
        filter: String,
    },
}

/// Why a publish was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// The broker started a new session before acknowledging it. The node
    /// announces itself again on a new session, so its state is not lost with it.
    NewSession,
    /// The queue of publishes waiting to be sent was full
    /// ([`Config::max_queued`](crate::Config::max_queued)). Once the queue has
    /// emptied, the node reports all its params
    /// ([`Node::report_all`](rainmaker_types::node::Node::report_all)), so that
    /// the cloud ends with its state.
    QueueFull,
    /// The publish does not fit the send buffer.
    TooLarge {
        /// The packet's size in bytes.
        size: usize,
        /// The send buffer's size.
        limit: usize,
    },
}

/// Why a connection could not be made or was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// The connector could not open a transport (address, TCP, TLS handshake).
    Connect(ErrorKind),
    /// Reading or writing the transport failed.
    Io(ErrorKind),
    /// The broker closed the connection.
    Closed,
    /// The broker refused the connection with this CONNACK code (1: protocol
    /// version, 2: client id, 3: unavailable, 4: user name or password, 5: not
    /// authorised).
    Refused(u8),
    /// The broker did not answer in time.
    Timeout(Awaited),
    /// The broker sent bytes that are not an MQTT packet a client receives.
    Protocol(PacketError),
    /// The CONNECT packet (with its Last Will) does not fit the send buffer.
    ConnectTooLarge(PacketError),
}

/// What the driver waited for when it timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaited {
    /// The transport's connection (TCP, a TLS handshake).
    Transport,
    /// The broker's CONNACK.
    ConnAck,
    /// Any packet after a PINGREQ.
    PingResp,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect(kind) => write!(f, "cannot connect: {kind:?}"),
            Self::Io(kind) => write!(f, "the transport failed: {kind:?}"),
            Self::Closed => f.write_str("the broker closed the connection"),
            Self::Refused(code) => write!(f, "the broker refused the connection (code {code})"),
            Self::Timeout(Awaited::Transport) => {
                f.write_str("the transport did not connect in time")
            }
            Self::Timeout(Awaited::ConnAck) => f.write_str("no CONNACK in time"),
            Self::Timeout(Awaited::PingResp) => f.write_str("no answer to a PINGREQ in time"),
            Self::Protocol(error) => write!(f, "protocol error: {error}"),
            Self::ConnectTooLarge(error) => write!(f, "CONNECT: {error}"),
        }
    }
}

impl core::error::Error for LinkError {}

/// The connection's state, for the application to read at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Link {
    /// Whether the broker accepted the current connection.
    pub connected: bool,
    /// Since when (monotonic milliseconds) the link has been in this state.
    pub since_ms: u64,
    /// Whether the broker kept the session on the current connection.
    pub session_present: bool,
    /// Why the last connection ended or the last attempt failed.
    pub last_error: Option<LinkError>,
    /// Connection attempts that failed since the last success.
    pub failed_attempts: u32,
}
