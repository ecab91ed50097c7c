//! [`NodeDriver`]: a [`Node`] over MQTT 3.1.1 on any transport.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use embassy_futures::select::{Either, select};
use embedded_io_async::Error as _;
use rainmaker_types::node::{Input, Node, NodeError, Output, Publish};
use rainmaker_types::runtime::Qos;

use crate::packet::{self, Connect, Header, Incoming, PacketError, Will, Writer};
use crate::{Awaited, Backoff, Clock, Event, Link, LinkError, Lost, Transport};

/// How the driver connects and how much it holds.
#[derive(Debug, Clone)]
pub struct Config {
    /// Seconds of silence after which the driver pings and the broker drops the
    /// node (at 1.5 times this); 120 as the SDK.
    pub keep_alive_secs: u16,
    /// How long the transport may take to connect (TCP, a TLS handshake).
    pub connect_timeout_ms: u64,
    /// How long to wait for the CONNACK and for the answer to a PINGREQ.
    pub answer_timeout_ms: u64,
    /// Start a new session on every connection instead of a persistent one.
    pub clean_session: bool,
    /// The reconnection delays.
    pub backoff: Backoff,
    /// How long a connection must last for its loss to restart the back-off
    /// from its first delay (30 s as the host driver).
    pub stable_after_ms: u64,
    /// QoS 1 publishes sent and not yet acknowledged, at most; more wait in the
    /// queue.
    pub max_in_flight: usize,
    /// Publishes and subscriptions waiting to be sent, at most; a publish over
    /// it is lost with [`Lost::QueueFull`].
    pub max_queued: usize,
    /// A user name, for brokers that ask for one.
    pub username: Option<String>,
    /// A password, for brokers that ask for one.
    pub password: Option<Vec<u8>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            keep_alive_secs: 120,
            connect_timeout_ms: 30_000,
            answer_timeout_ms: 10_000,
            clean_session: false,
            backoff: Backoff::default(),
            stable_after_ms: 30_000,
            max_in_flight: 16,
            max_queued: 32,
            username: None,
            password: None,
        }
    }
}

/// What is waiting to be sent.
enum Queued {
    Subscribe(Vec<String>),
    Unsubscribe(String),
    Publish(Publish),
}

/// A QoS 1 publish sent and not yet acknowledged, kept to be sent again on a
/// resumed session.
struct InFlight {
    packet_id: u16,
    publish: Publish,
    /// Whether it must be sent (again) on this connection.
    unsent: bool,
}

/// The rest of a message too large for the receive buffer, being read past.
struct Skipping {
    left: usize,
    topic: String,
    packet_id: Option<u16>,
    size: usize,
}

/// Runs a [`Node`] over MQTT 3.1.1 on any [`embedded_io_async`] transport: the
/// client id is the node id, the Last Will is the node's, sessions are
/// persistent, QoS 1 publishes are matched to their PUBACKs (and sent again on a
/// resumed session), the connection is kept alive and made again after any loss
/// with capped, jittered back-off.
///
/// It allocates nothing per message beyond what the node does: received packets
/// are read into `rx` and written from `tx`, both the caller's, whose sizes bound
/// the largest message either way (a message over them is reported, not lost
/// silently: [`Event::MessageTooLarge`], [`Lost::TooLarge`]).
///
/// Call [`NodeDriver::next_event`] in a loop; between calls, change the node with
/// [`NodeDriver::change`]. `next_event` may be cancelled (by a `select` with the
/// application's own futures) without losing a byte if the transport's `read`
/// and `write` are cancel-safe, as embassy-net's `TcpSocket` and tokio's streams
/// are; a connection attempt cancelled halfway is started again.
pub struct NodeDriver<'b, T: Transport, K: Clock> {
    node: Node,
    transport: T,
    /// Whether the transport carries an accepted connection.
    online: bool,
    clock: K,
    config: Config,
    rx: &'b mut [u8],
    tx: &'b mut [u8],
    link: Link,
    first_connect: bool,
    retry_at_ms: u64,
    short_lived: u32,
    events: VecDeque<Event>,
    queue: VecDeque<Queued>,
    in_flight: VecDeque<InFlight>,
    subscribing: VecDeque<(u16, Vec<String>)>,
    acks: VecDeque<u16>,
    /// Publishes were dropped from a full queue: once it empties, the node
    /// reports all its params, so that the cloud ends with its state.
    resync: bool,
    ping_due: bool,
    next_packet_id: u16,
    /// Bytes of `rx` holding what was read and not handled yet.
    rx_len: usize,
    skipping: Option<Skipping>,
    /// Bytes of `tx` to send, and how many of them are sent.
    tx_len: usize,
    tx_sent: usize,
    last_sent_ms: u64,
    ping_sent_ms: Option<u64>,
}

impl<'b, T: Transport, K: Clock> NodeDriver<'b, T, K> {
    /// A driver for `node`, connecting over `transport`, timed by `clock`, reading
    /// into `rx` and writing from `tx`, with the default [`Config`].
    pub fn new(node: Node, transport: T, clock: K, rx: &'b mut [u8], tx: &'b mut [u8]) -> Self {
        Self {
            node,
            transport,
            online: false,
            clock,
            config: Config::default(),
            rx,
            tx,
            link: Link::default(),
            first_connect: true,
            retry_at_ms: 0,
            short_lived: 0,
            events: VecDeque::new(),
            queue: VecDeque::new(),
            in_flight: VecDeque::new(),
            subscribing: VecDeque::new(),
            acks: VecDeque::new(),
            resync: false,
            ping_due: false,
            next_packet_id: 0,
            rx_len: 0,
            skipping: None,
            tx_len: 0,
            tx_sent: 0,
            last_sent_ms: 0,
            ping_sent_ms: None,
        }
    }

    /// The same driver with another configuration.
    #[must_use]
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The node.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The connection's state.
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// The clock.
    pub fn clock(&self) -> &K {
        &self.clock
    }

    /// Changes the node (`change` gets it and the time) and queues what the
    /// change asks to send: for a local change, `|node, now|
    /// node.report_changes(now)` after changing a device.
    ///
    /// # Errors
    ///
    /// The node's error; nothing is queued then.
    pub fn change(
        &mut self,
        change: impl FnOnce(&mut Node, i64) -> Result<Output, NodeError>,
    ) -> Result<(), NodeError> {
        let output = change(&mut self.node, self.clock.unix_now())?;
        self.apply(output);
        Ok(())
    }

    /// Runs the connection until something happens, and returns it.
    pub async fn next_event(&mut self) -> Event {
        loop {
            if let Some(event) = self.events.pop_front() {
                return event;
            }
            if self.online {
                self.step().await;
            } else {
                self.step_offline().await;
            }
        }
    }

    /// Sends what is queued and a DISCONNECT (so the broker does not publish the
    /// Last Will), then closes the transport. The driver connects again on the
    /// next [`NodeDriver::next_event`].
    pub async fn disconnect(&mut self) {
        while self.online && self.prepare_next() {
            if self.write_pending().await.is_err() {
                break;
            }
        }
        if self.online {
            let mut writer = Writer::new(self.tx);
            if writer.disconnect().is_ok() {
                let len = writer.len();
                let _ = self.transport.write_all(&self.tx[..len]).await;
                let _ = self.transport.flush().await;
            }
        }
        self.tx_len = 0;
        self.tx_sent = 0;
        self.lost_connection(None);
    }

    /// While there is no connection: waits for the next attempt (running the
    /// node's timers meanwhile) and makes it.
    async fn step_offline(&mut self) {
        let now = self.clock.now_ms();
        let node_due = self.node_due_ms(now);
        if node_due.is_some_and(|due| due < self.retry_at_ms) {
            self.clock.sleep_until(node_due.unwrap_or(now)).await;
            self.run_node_timers();
            return;
        }
        if self.retry_at_ms > now {
            self.clock.sleep_until(self.retry_at_ms).await;
        }
        match self.attempt().await {
            Ok(session_present) => self.connected(session_present),
            Err(error) => {
                self.transport.close();
                self.failed(error, None);
            }
        }
    }

    /// One connection attempt: a transport, CONNECT, and the CONNACK.
    async fn attempt(&mut self) -> Result<bool, LinkError> {
        let transport = &mut self.transport;
        let deadline = self.clock.now_ms() + self.config.connect_timeout_ms;
        match select(transport.connect(), self.clock.sleep_until(deadline)).await {
            Either::First(Ok(())) => {}
            Either::First(Err(error)) => return Err(LinkError::Connect(error.kind())),
            Either::Second(()) => return Err(LinkError::Timeout(Awaited::Transport)),
        }
        let will = self.node.last_will();
        let len = {
            let mut writer = Writer::new(self.tx);
            writer
                .connect(&Connect {
                    client_id: self.node.node_id().as_str(),
                    keep_alive: self.config.keep_alive_secs,
                    clean_session: self.config.clean_session,
                    will: will.as_ref().map(|will| Will {
                        topic: &will.topic,
                        payload: &will.payload,
                        qos: will.qos as u8,
                    }),
                    username: self.config.username.as_deref(),
                    password: self.config.password.as_deref(),
                })
                .map_err(LinkError::ConnectTooLarge)?;
            writer.len()
        };
        transport
            .write_all(&self.tx[..len])
            .await
            .map_err(|error| LinkError::Io(error.kind()))?;
        transport
            .flush()
            .await
            .map_err(|error| LinkError::Io(error.kind()))?;
        let deadline = self.clock.now_ms() + self.config.answer_timeout_ms;
        let mut filled = 0;
        loop {
            if let Some(header) = Header::parse(&self.rx[..filled]).map_err(LinkError::Protocol)? {
                if header.packet_len() > self.rx.len() {
                    return Err(LinkError::Protocol(PacketError::TooLarge {
                        needed: header.packet_len(),
                        capacity: self.rx.len(),
                    }));
                }
                if header.packet_len() <= filled {
                    let packet = Incoming::decode(&header, &self.rx[..filled])
                        .map_err(LinkError::Protocol)?;
                    let Incoming::ConnAck {
                        session_present,
                        code,
                    } = packet
                    else {
                        return Err(LinkError::Protocol(PacketError::Unexpected {
                            first: header.first,
                        }));
                    };
                    if code != 0 {
                        return Err(LinkError::Refused(code));
                    }
                    // A broker may send more right after the CONNACK.
                    self.rx.copy_within(header.packet_len()..filled, 0);
                    self.rx_len = filled - header.packet_len();
                    return Ok(session_present);
                }
            }
            let read = select(
                transport.read(&mut self.rx[filled..]),
                self.clock.sleep_until(deadline),
            )
            .await;
            match read {
                Either::First(Ok(0)) => return Err(LinkError::Closed),
                Either::First(Ok(read)) => filled += read,
                Either::First(Err(error)) => return Err(LinkError::Io(error.kind())),
                Either::Second(()) => return Err(LinkError::Timeout(Awaited::ConnAck)),
            }
        }
    }

    /// The broker accepted the connection: the node is told, the session's
    /// unacknowledged publishes are sent again (or lost with a new session).
    fn connected(&mut self, session_present: bool) {
        let now = self.clock.now_ms();
        self.online = true;
        self.link = Link {
            connected: true,
            since_ms: now,
            session_present,
            last_error: self.link.last_error,
            failed_attempts: 0,
        };
        self.last_sent_ms = now;
        self.ping_sent_ms = None;
        self.ping_due = false;
        self.skipping = None;
        self.tx_len = 0;
        self.tx_sent = 0;
        if session_present {
            for sent in &mut self.in_flight {
                sent.unsent = true;
            }
            // Subscriptions not acknowledged are asked for again.
            while let Some((_, filters)) = self.subscribing.pop_back() {
                self.queue.push_front(Queued::Subscribe(filters));
            }
        } else {
            self.subscribing.clear();
            for sent in core::mem::take(&mut self.in_flight) {
                self.events.push_back(Event::PublishLost {
                    id: sent.publish.id,
                    topic: sent.publish.topic,
                    reason: Lost::NewSession,
                });
            }
        }
        self.events.push_back(Event::Connected { session_present });
        let input = if self.first_connect {
            Input::Connected
        } else {
            Input::Reconnected { session_present }
        };
        self.first_connect = false;
        self.feed(input, None);
    }

    /// A connection attempt failed, or the connection was lost (`up_for_ms` then
    /// says how long it was up).
    fn failed(&mut self, error: LinkError, up_for_ms: Option<u64>) {
        match up_for_ms {
            Some(up) if up >= self.config.stable_after_ms => {
                self.config.backoff.reset();
                self.short_lived = 0;
            }
            Some(up) if error == LinkError::Closed => {
                self.short_lived += 1;
                self.events.push_back(Event::DroppedByBroker {
                    up_for_ms: up,
                    in_a_row: self.short_lived,
                });
            }
            _ => {}
        }
        let retry_in_ms = self.config.backoff.next_delay_ms();
        let now = self.clock.now_ms();
        self.retry_at_ms = now + retry_in_ms;
        self.link.last_error = Some(error);
        if up_for_ms.is_none() {
            self.link.failed_attempts += 1;
        }
        self.events.push_back(Event::Disconnected {
            error,
            retry_in_ms,
            up_for_ms,
        });
    }

    /// Drops the connection (with the error that ended it, if any) and tells the
    /// node.
    fn lost_connection(&mut self, error: Option<LinkError>) {
        self.online = false;
        self.transport.close();
        let now = self.clock.now_ms();
        let up_for = now.saturating_sub(self.link.since_ms);
        let was_connected = self.link.connected;
        self.link.connected = false;
        self.link.session_present = false;
        self.link.since_ms = now;
        self.rx_len = 0;
        self.skipping = None;
        self.tx_len = 0;
        self.tx_sent = 0;
        self.acks.clear();
        if was_connected {
            let _ = self.node.handle(self.clock.unix_now(), Input::Disconnected);
        }
        if let Some(error) = error {
            self.failed(error, was_connected.then_some(up_for));
        }
    }

    /// While connected: sends what is waiting, else waits for a packet or a timer.
    async fn step(&mut self) {
        if self.prepare_next() {
            if let Err(error) = self.write_pending().await {
                self.lost_connection(Some(error));
            }
            return;
        }
        if self.handle_buffered() {
            return;
        }
        let now = self.clock.now_ms();
        let ping_at = self.last_sent_ms + u64::from(self.config.keep_alive_secs) * 1_000;
        let mut wake = ping_at;
        if let Some(sent) = self.ping_sent_ms {
            wake = sent + self.config.answer_timeout_ms;
        }
        if let Some(due) = self.node_due_ms(now) {
            wake = wake.min(due);
        }
        let read = select(
            self.transport.read(&mut self.rx[self.rx_len..]),
            self.clock.sleep_until(wake),
        )
        .await;
        match read {
            Either::First(Ok(0)) => self.lost_connection(Some(LinkError::Closed)),
            Either::First(Ok(read)) => {
                self.rx_len += read;
                self.ping_sent_ms = None;
            }
            Either::First(Err(error)) => self.lost_connection(Some(LinkError::Io(error.kind()))),
            Either::Second(()) => self.timers(),
        }
    }

    /// Keep-alive and the node's timers.
    fn timers(&mut self) {
        let now = self.clock.now_ms();
        if let Some(sent) = self.ping_sent_ms
            && now >= sent + self.config.answer_timeout_ms
        {
            self.lost_connection(Some(LinkError::Timeout(Awaited::PingResp)));
            return;
        }
        if self.ping_sent_ms.is_none()
            && now >= self.last_sent_ms + u64::from(self.config.keep_alive_secs) * 1_000
        {
            self.ping_due = true;
        }
        if self.node_due_ms(now).is_some_and(|due| due <= now) {
            self.run_node_timers();
        }
    }

    /// When the node's next timer is due, in monotonic milliseconds.
    fn node_due_ms(&self, now_ms: u64) -> Option<u64> {
        let due = self.node.poll_timeout()?;
        let wait = due.saturating_sub(self.clock.unix_now());
        Some(now_ms + u64::try_from(wait).unwrap_or(0) * 1_000)
    }

    fn run_node_timers(&mut self) {
        match self.node.handle_timeout(self.clock.unix_now()) {
            Ok(output) => self.apply(output),
            Err(error) => self.events.push_back(Event::Refused { topic: None, error }),
        }
    }

    /// Handles the next whole packet in the receive buffer (or reads past an
    /// oversized one); `false` when more bytes are needed.
    fn handle_buffered(&mut self) -> bool {
        if let Some(skipping) = &mut self.skipping {
            let dropped = skipping.left.min(self.rx_len);
            skipping.left -= dropped;
            let done = skipping.left == 0;
            self.consume(dropped);
            if !done {
                return false;
            }
            if let Some(skipped) = self.skipping.take() {
                if let Some(packet_id) = skipped.packet_id {
                    self.acks.push_back(packet_id);
                }
                self.events.push_back(Event::MessageTooLarge {
                    topic: skipped.topic,
                    size: skipped.size,
                    limit: self.rx.len(),
                });
            }
            return true;
        }
        let header = match Header::parse(&self.rx[..self.rx_len]) {
            Ok(Some(header)) => header,
            Ok(None) => return false,
            Err(error) => {
                self.lost_connection(Some(LinkError::Protocol(error)));
                return true;
            }
        };
        if header.packet_len() > self.rx.len() {
            return self.read_past(&header);
        }
        if header.packet_len() > self.rx_len {
            return false;
        }
        self.handle_packet(&header);
        if self.online {
            self.consume(header.packet_len());
        }
        true
    }

    /// Starts reading past a message larger than the receive buffer, once the
    /// buffer holds its start (and so its topic).
    fn read_past(&mut self, header: &Header) -> bool {
        if self.rx_len < self.rx.len() {
            return false;
        }
        let size = header.packet_len();
        let Some((topic, packet_id)) = packet::publish_start(header, self.rx) else {
            self.lost_connection(Some(LinkError::Protocol(PacketError::TooLarge {
                needed: size,
                capacity: self.rx.len(),
            })));
            return true;
        };
        self.skipping = Some(Skipping {
            left: size,
            topic: topic.to_string(),
            packet_id,
            size,
        });
        true
    }

    /// Drops the first `len` bytes of the receive buffer.
    fn consume(&mut self, len: usize) {
        self.rx.copy_within(len..self.rx_len, 0);
        self.rx_len -= len;
    }

    fn handle_packet(&mut self, header: &Header) {
        let packet = match Incoming::decode(header, &self.rx[..self.rx_len]) {
            Ok(packet) => packet,
            Err(error) => {
                self.lost_connection(Some(LinkError::Protocol(error)));
                return;
            }
        };
        match packet {
            Incoming::Publish(publish) => {
                let result = self.node.handle(
                    self.clock.unix_now(),
                    Input::Received {
                        topic: publish.topic,
                        payload: publish.payload,
                    },
                );
                let refused_topic = result.is_err().then(|| publish.topic.to_string());
                if let Some(packet_id) = publish.packet_id {
                    self.acks.push_back(packet_id);
                }
                match result {
                    Ok(output) => self.apply(output),
                    Err(error) => self.events.push_back(Event::Refused {
                        topic: refused_topic,
                        error,
                    }),
                }
            }
            Incoming::PubAck(packet_id) => {
                if let Some(index) = self
                    .in_flight
                    .iter()
                    .position(|sent| sent.packet_id == packet_id && !sent.unsent)
                    && let Some(sent) = self.in_flight.remove(index)
                {
                    self.events.push_back(Event::Acknowledged(sent.publish.id));
                    self.feed(Input::Acknowledged(sent.publish.id), None);
                }
            }
            Incoming::SubAck { packet_id, codes } => {
                if let Some(index) = self.subscribing.iter().position(|(id, _)| *id == packet_id)
                    && let Some((_, filters)) = self.subscribing.remove(index)
                {
                    for (filter, code) in filters.into_iter().zip(codes) {
                        if *code == 0x80 {
                            self.events.push_back(Event::SubscriptionRefused { filter });
                        }
                    }
                }
            }
            Incoming::ConnAck { .. } => {
                self.lost_connection(Some(LinkError::Protocol(PacketError::Unexpected {
                    first: header.first,
                })));
            }
            Incoming::UnsubAck(_) | Incoming::PingResp => {}
        }
    }

    /// Feeds the node an input and applies its output.
    fn feed(&mut self, input: Input<'_>, topic: Option<&str>) {
        match self.node.handle(self.clock.unix_now(), input) {
            Ok(output) => self.apply(output),
            Err(error) => self.events.push_back(Event::Refused {
                topic: topic.map(ToString::to_string),
                error,
            }),
        }
    }

    /// Queues the node's unsubscriptions, subscriptions and publishes, and its
    /// events.
    fn apply(&mut self, output: Output) {
        for filter in output.unsubscribe {
            self.queue.push_back(Queued::Unsubscribe(filter));
        }
        if !output.subscribe.is_empty() {
            self.queue.push_back(Queued::Subscribe(output.subscribe));
        }
        for publish in output.publish {
            if self.queue.len() >= self.config.max_queued {
                self.resync = true;
                self.events.push_back(Event::PublishLost {
                    id: publish.id,
                    topic: publish.topic,
                    reason: Lost::QueueFull,
                });
            } else {
                self.queue.push_back(Queued::Publish(publish));
            }
        }
        self.events.extend(
            output
                .events
                .into_iter()
                .map(|event| Event::Node(Box::new(event))),
        );
    }

    /// Encodes the next packet to send into `tx`, unless one is being sent:
    /// acknowledgements first, then a ping, publishes to send again, then the
    /// queue. `false` when there is nothing to send.
    fn prepare_next(&mut self) -> bool {
        if self.tx_sent < self.tx_len {
            return true;
        }
        self.tx_len = 0;
        self.tx_sent = 0;
        let mut writer = Writer::new(self.tx);
        let written = if let Some(packet_id) = self.acks.pop_front() {
            writer.puback(packet_id)
        } else if self.ping_due {
            self.ping_due = false;
            self.ping_sent_ms = Some(self.clock.now_ms());
            writer.pingreq()
        } else if let Some(sent) = self.in_flight.iter_mut().find(|sent| sent.unsent) {
            sent.unsent = false;
            let publish = &sent.publish;
            writer.publish(&publish.topic, &publish.payload, Some(sent.packet_id), true)
        } else {
            return self.prepare_queued();
        };
        match written {
            Ok(()) => {
                self.tx_len = writer.len();
                true
            }
            // Acknowledgements and pings are a few bytes; resent publishes fitted
            // before.
            Err(_) => false,
        }
    }

    /// Encodes the first queued packet that can be sent now.
    fn prepare_queued(&mut self) -> bool {
        loop {
            let in_flight_full = self.in_flight.len() >= self.config.max_in_flight;
            if in_flight_full
                && matches!(self.queue.front(), Some(Queued::Publish(publish)) if publish.qos != Qos::AtMostOnce)
            {
                return false;
            }
            let Some(queued) = self.queue.pop_front() else {
                if !core::mem::take(&mut self.resync) {
                    return false;
                }
                match self.node.report_all(self.clock.unix_now()) {
                    Ok(output) => self.apply(output),
                    Err(error) => self.events.push_back(Event::Refused { topic: None, error }),
                }
                continue;
            };
            let packet_id = self.take_packet_id();
            let mut writer = Writer::new(self.tx);
            let written = match &queued {
                Queued::Subscribe(filters) => writer.subscribe(packet_id, filters),
                Queued::Unsubscribe(filter) => writer.unsubscribe(packet_id, filter),
                Queued::Publish(publish) => {
                    let id = (publish.qos != Qos::AtMostOnce).then_some(packet_id);
                    writer.publish(&publish.topic, &publish.payload, id, false)
                }
            };
            let len = writer.len();
            match (written, queued) {
                (Ok(()), queued) => {
                    self.tx_len = len;
                    match queued {
                        Queued::Subscribe(filters) => {
                            self.subscribing.push_back((packet_id, filters));
                        }
                        Queued::Publish(publish) if publish.qos != Qos::AtMostOnce => {
                            self.in_flight.push_back(InFlight {
                                packet_id,
                                publish,
                                unsent: false,
                            });
                        }
                        Queued::Publish(_) | Queued::Unsubscribe(_) => {}
                    }
                    return true;
                }
                (Err(error), Queued::Publish(publish)) => {
                    let size = match error {
                        PacketError::TooLarge { needed, .. } => needed,
                        _ => publish.payload.len(),
                    };
                    self.events.push_back(Event::PublishLost {
                        id: publish.id,
                        topic: publish.topic,
                        reason: Lost::TooLarge {
                            size,
                            limit: self.tx.len(),
                        },
                    });
                }
                // Filters are the node's own, a few dozen bytes each: a send buffer
                // too small for them cannot carry the node's messages either.
                (Err(_), Queued::Subscribe(_) | Queued::Unsubscribe(_)) => {}
            }
        }
    }

    /// The next packet id not used by a packet awaiting its acknowledgement.
    fn take_packet_id(&mut self) -> u16 {
        loop {
            self.next_packet_id = self.next_packet_id.checked_add(1).unwrap_or(1);
            let id = self.next_packet_id;
            let used = self.in_flight.iter().any(|sent| sent.packet_id == id)
                || self.subscribing.iter().any(|(used, _)| *used == id);
            if !used {
                return id;
            }
        }
    }

    /// Writes what `tx` holds, remembering progress after every write (so that a
    /// cancelled call loses nothing).
    async fn write_pending(&mut self) -> Result<(), LinkError> {
        while self.tx_sent < self.tx_len {
            match self
                .transport
                .write(&self.tx[self.tx_sent..self.tx_len])
                .await
            {
                Ok(0) => return Err(LinkError::Closed),
                Ok(written) => self.tx_sent += written,
                Err(error) => return Err(LinkError::Io(error.kind())),
            }
        }
        self.transport
            .flush()
            .await
            .map_err(|error| LinkError::Io(error.kind()))?;
        self.last_sent_ms = self.clock.now_ms();
        Ok(())
    }
}
