//! The driver on the host: a std TCP stream (tokio, through embedded-io-adapters)
//! and tokio's clock, and a task that runs a driver and hands its events to the
//! test.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use embedded_io_adapters::tokio_1::FromTokio;
use rainmaker_embedded::{Clock, Config, Connector, Event, Link, NodeDriver};
use rainmaker_test_support::node::{Light, led_light_info};
use rainmaker_types::NodeId;
use rainmaker_types::node::{Node, NodeError, Output};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, timeout};

/// How long a test waits for anything.
pub const WAIT: Duration = Duration::from_secs(15);

/// TCP to a broker on the host.
pub struct Tcp(pub SocketAddr);

impl Connector for Tcp {
    type Transport = FromTokio<TcpStream>;
    type Error = std::io::Error;

    async fn connect(&mut self) -> Result<Self::Transport, Self::Error> {
        let stream = TcpStream::connect(self.0).await?;
        stream.set_nodelay(true)?;
        Ok(FromTokio::new(stream))
    }
}

/// tokio's monotonic clock and the system's wall clock.
pub struct TokioClock(pub Instant);

impl Clock for TokioClock {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn unix_now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |now| now.as_secs() as i64)
    }

    async fn sleep_until(&self, at_ms: u64) {
        tokio::time::sleep_until(self.0 + Duration::from_millis(at_ms)).await;
    }
}

/// A change of the node, made by the driver's task.
pub type Change = Box<dyn FnOnce(&mut Node, i64) -> Result<Output, NodeError> + Send>;

/// A driver running in its own task.
pub struct Running {
    /// Its events.
    pub events: mpsc::UnboundedReceiver<Event>,
    /// Changes for it to make.
    pub changes: mpsc::UnboundedSender<Change>,
    /// Its link, after every event.
    pub link: watch::Receiver<Link>,
}

/// A node with one light, id `id`, OTA over topics.
pub fn node(id: &str) -> Node {
    let id = NodeId::new(id).expect("valid id");
    let mut node = Node::new(id, led_light_info()).with_ota_over_topics();
    node.add_device(Light::default()).expect("one light");
    node
}

/// Runs `node` on the broker at `port` with buffers of `rx` and `tx` bytes.
pub fn spawn(node: Node, port: u16, config: Config, rx: usize, tx: usize) -> Running {
    let (events_tx, events) = mpsc::unbounded_channel();
    let (changes, mut changes_rx) = mpsc::unbounded_channel::<Change>();
    let (link_tx, link) = watch::channel(Link::default());
    tokio::spawn(async move {
        let (mut rx, mut tx) = (vec![0u8; rx], vec![0u8; tx]);
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let mut driver = NodeDriver::new(
            node,
            Tcp(address),
            TokioClock(Instant::now()),
            &mut rx,
            &mut tx,
        )
        .with_config(config);
        loop {
            // The driver's future is dropped whenever a change comes first:
            // nothing may be lost by that.
            tokio::select! {
                event = driver.next_event() => {
                    let _ = link_tx.send(*driver.link());
                    if events_tx.send(event).is_err() {
                        return;
                    }
                }
                change = changes_rx.recv() => match change {
                    Some(change) => {
                        if let Err(error) = driver.change(change) {
                            panic!("a test's change failed: {error}");
                        }
                    }
                    None => {
                        driver.disconnect().await;
                        return;
                    }
                },
            }
        }
    });
    Running {
        events,
        changes,
        link,
    }
}

impl Running {
    /// The next event `pick` accepts, within [`WAIT`].
    pub async fn next<T>(&mut self, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
        timeout(WAIT, async {
            loop {
                let event = self.events.recv().await.expect("the driver runs");
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
        })
        .await
        .expect("the event within the wait")
    }

    /// Makes a change in the driver's task.
    pub fn change(
        &self,
        change: impl FnOnce(&mut Node, i64) -> Result<Output, NodeError> + Send + 'static,
    ) {
        self.changes
            .send(Box::new(change))
            .expect("the driver runs");
    }

    /// Sets the light's brightness and reports it.
    pub fn set_brightness(&self, level: i32) {
        self.change(move |node, now| {
            node.device_mut::<Light>(Light::NAME)
                .expect("the light")
                .brightness = level;
            node.report_changes(now)
        });
    }
}
