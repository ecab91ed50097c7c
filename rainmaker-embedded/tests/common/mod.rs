//! The driver on the host: a std TCP stream (tokio, through embedded-io-adapters)
//! and tokio's clock, and a task that runs a driver and hands its events to the
//! test.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use embedded_io_adapters::tokio_1::FromTokio;
use rainmaker_embedded::{Clock, Config, Event, Link, NodeDriver, Transport};
use rainmaker_example_devices::led_light_node;
use rainmaker_mqtt::{Consumer, Delivery};
use rainmaker_test_support::node::Light;
use rainmaker_types::node::{Node, NodeError, Output};
use rainmaker_types::{Channel, NodeId};
use tokio::net::TcpStream;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::{Instant, timeout};

/// How long a test waits for anything.
pub const WAIT: Duration = Duration::from_secs(15);

/// TCP to a broker on the host.
pub struct Tcp {
    address: SocketAddr,
    stream: Option<FromTokio<TcpStream>>,
}

impl Tcp {
    /// To the broker on loopback port `port`.
    pub fn new(port: u16) -> Self {
        Self {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            stream: None,
        }
    }

    fn stream(&mut self) -> std::io::Result<&mut FromTokio<TcpStream>> {
        self.stream
            .as_mut()
            .ok_or_else(|| std::io::ErrorKind::NotConnected.into())
    }
}

impl embedded_io_async::ErrorType for Tcp {
    type Error = std::io::Error;
}

impl embedded_io_async::Read for Tcp {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stream()?.read(buf).await
    }
}

impl embedded_io_async::Write for Tcp {
    async fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream()?.write(buf).await
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        self.stream()?.flush().await
    }
}

impl Transport for Tcp {
    type ConnectError = std::io::Error;

    async fn connect(&mut self) -> std::io::Result<()> {
        self.stream = None;
        let stream = TcpStream::connect(self.address).await?;
        stream.set_nodelay(true)?;
        self.stream = Some(FromTokio::new(stream));
        Ok(())
    }

    fn close(&mut self) {
        self.stream = None;
    }
}

/// A [`Tcp`] the test can cut, as when the network goes: reads and writes fail
/// at once and the socket closes without an MQTT DISCONNECT.
pub struct Cuttable {
    tcp: Tcp,
    cut: Arc<(AtomicBool, Notify)>,
}

/// Cuts a [`Cuttable`].
#[derive(Clone)]
pub struct Cutter(Arc<(AtomicBool, Notify)>);

impl Cutter {
    /// Cuts the transport, for good.
    pub fn cut(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_one();
    }
}

impl Cuttable {
    /// TCP to the broker on `port`, and what cuts it.
    pub fn new(port: u16) -> (Self, Cutter) {
        let cut = Arc::new((AtomicBool::new(false), Notify::new()));
        (
            Self {
                tcp: Tcp::new(port),
                cut: Arc::clone(&cut),
            },
            Cutter(cut),
        )
    }

    fn check(&self) -> std::io::Result<()> {
        if self.cut.0.load(Ordering::SeqCst) {
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        Ok(())
    }
}

impl embedded_io_async::ErrorType for Cuttable {
    type Error = std::io::Error;
}

impl embedded_io_async::Read for Cuttable {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.check()?;
        tokio::select! {
            read = self.tcp.read(buf) => read,
            () = self.cut.1.notified() => Err(std::io::ErrorKind::ConnectionAborted.into()),
        }
    }
}

impl embedded_io_async::Write for Cuttable {
    async fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.check()?;
        self.tcp.write(buf).await
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        self.check()?;
        self.tcp.flush().await
    }
}

impl Transport for Cuttable {
    type ConnectError = std::io::Error;

    async fn connect(&mut self) -> std::io::Result<()> {
        self.check()?;
        self.tcp.connect().await
    }

    fn close(&mut self) {
        self.tcp.close();
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

/// The led_light node (one light, OTA over topics), id `id`.
pub fn node(id: &str) -> Node {
    led_light_node(NodeId::new(id).expect("valid id")).expect("one light")
}

/// Runs `node` on the broker at `port` with buffers of `rx` and `tx` bytes.
pub fn spawn(node: Node, port: u16, config: Config, rx: usize, tx: usize) -> Running {
    spawn_over(node, move || Tcp::new(port), config, rx, tx)
}

/// Runs `node` over the transport `make` makes, with buffers of `rx` and `tx`
/// bytes, on a thread of its own (the driver's futures need not be `Send`).
pub fn spawn_over<T: Transport + 'static>(
    node: Node,
    make: impl FnOnce() -> T + Send + 'static,
    config: Config,
    rx: usize,
    tx: usize,
) -> Running {
    let (events_tx, events) = mpsc::unbounded_channel();
    let (changes, mut changes_rx) = mpsc::unbounded_channel::<Change>();
    let (link_tx, link) = watch::channel(Link::default());
    let run = move || async move {
        let (mut rx, mut tx) = (vec![0u8; rx], vec![0u8; tx]);
        let mut driver =
            NodeDriver::new(node, make(), TokioClock(Instant::now()), &mut rx, &mut tx)
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
    };
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(run());
    });
    Running {
        events,
        changes,
        link,
    }
}

/// The next delivery on `channel` the cloud receives, skipping others.
pub async fn next_on(consumer: &mut Consumer, channel: Channel) -> Delivery {
    timeout(WAIT, async {
        loop {
            let delivery = consumer.next().await.expect("the consumer runs");
            let envelope = delivery.decode().expect("nodes send what decodes");
            if envelope.topic().channel() == channel {
                return delivery;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("nothing on {channel} within {WAIT:?}"))
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
