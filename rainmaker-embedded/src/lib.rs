//! Runs a RainMaker node on firmware: [`NodeDriver`] drives a sans-IO
//! [`Node`](rainmaker_types::node::Node) over MQTT 3.1.1 on any
//! [`embedded_io_async`] transport (embassy-net's `TcpSocket`, TLS over it, a
//! UART, a std stream in tests), without std.
//!
//! The driver keeps the contract of the host's `rainmaker-mqtt` runner: the
//! client id is the node id and the Last Will the node's; sessions are persistent
//! and the node is told whether the broker kept its session; QoS 1 publishes are
//! matched to their PUBACKs and sent again on a resumed session; the connection is
//! kept alive and made again after any loss with capped, jittered back-off (a
//! broker that keeps dropping the node, as it does for a duplicate client id,
//! makes the back-off grow, never a tight loop); the application reads the
//! connection's state at any time ([`NodeDriver::link`]).
//!
//! Time comes from a [`Clock`], connections from a [`Transport`] it opens again
//! after every loss; the buffers are the caller's, and their sizes bound the
//! largest message either way.
//!
//! The MQTT client is this crate's own (module [`packet`]): the 3.1.1 subset a node
//! uses (CONNECT with a will, PUBLISH at QoS 0 and 1, SUBSCRIBE, UNSUBSCRIBE, PING,
//! DISCONNECT). The maintained no_std clients speak MQTT 5 only, and neither can
//! read past a message larger than its buffer and acknowledge it, which a node must
//! do so that the broker does not resend it forever.
//!
//! ```no_run
//! # async fn run(node: rainmaker_types::node::Node,
//! #     transport: impl rainmaker_embedded::Transport,
//! #     clock: impl rainmaker_embedded::Clock) {
//! use rainmaker_embedded::{Event, NodeDriver};
//!
//! let (mut rx, mut tx) = ([0u8; 4096], [0u8; 4096]);
//! let mut driver = NodeDriver::new(node, transport, clock, &mut rx, &mut tx);
//! loop {
//!     match driver.next_event().await {
//!         Event::Node(event) => { /* a write applied, a command answered... */ }
//!         Event::Disconnected { error, retry_in_ms, .. } => { /* log it */ }
//!         _ => {}
//!     }
//! }
//! # }
//! ```

#![no_std]

extern crate alloc;

mod backoff;
mod clock;
mod driver;
mod event;
pub mod packet;
#[cfg(feature = "tls")]
pub mod tls;

pub use backoff::Backoff;
pub use clock::{Clock, Transport};
pub use driver::{Config, NodeDriver};
pub use event::{Awaited, Event, Link, LinkError, Lost};
