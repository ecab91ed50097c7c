//! [`NodeRunner`]: a [`Node`] driven over a rumqttc connection: every output
//! applied, every input fed, reconnections with back-off, acknowledgements matched
//! to the publishes they are for.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rainmaker_types::Device;
use rainmaker_types::node::{Event, Input, Node, NodeError, Output, Publish, PublishId};
use rainmaker_types::runtime::Qos;
use rumqttc::{AsyncClient, Incoming, LastWill, Outgoing, QoS};
use tokio::sync::{mpsc, oneshot};

use crate::{Backoff, Broker, Error, Polled};

/// What happened to a running node, for the application.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RunnerEvent {
    /// The broker accepted the connection; with a persistent session it says
    /// whether it kept the node's session.
    Connected {
        /// The CONNACK's session-present flag.
        session_present: bool,
    },
    /// The connection failed or dropped; the next attempt is in `retry_in`.
    Disconnected {
        /// Why.
        error: Arc<rumqttc::ConnectionError>,
        /// The back-off delay before the next attempt.
        retry_in: Duration,
        /// How long the connection had been up; `None` when the attempt failed
        /// before the broker accepted it.
        up_for: Option<Duration>,
    },
    /// The broker closed a connection it had accepted less than
    /// [`STABLE_AFTER`](crate::STABLE_AFTER) before, `in_a_row` times in a row.
    /// MQTT 3.1.1 gives no reason; the usual one is another client connecting
    /// with the same client id (a second node flashed with this node's id and
    /// certificate), else a broker policy. The back-off keeps growing while it
    /// repeats. Sent before the [`RunnerEvent::Disconnected`] of that connection.
    DroppedByBroker {
        /// How long the connection was up.
        up_for: Duration,
        /// How many short-lived connections in a row, this one included.
        in_a_row: u32,
    },
    /// The broker sent a message over the client's packet limit: the client
    /// cannot read past its header and drops the connection. The next
    /// connection reads it (up to [`OVERSIZED_CEILING`](crate::OVERSIZED_CEILING))
    /// and the node refuses it by its topic ([`RunnerEvent::Refused`]), so that
    /// it is acknowledged instead of resent on every reconnection; beyond the
    /// ceiling the next connection starts a clean session so that the broker
    /// discards it, and the node announces itself again.
    MessageTooLarge {
        /// The size of the packet's remaining part, as its header gave it.
        size: usize,
        /// The client's limit ([`Broker::with_max_packet_size`]).
        limit: usize,
    },
    /// A publish of the node was lost: the broker started a new session before
    /// acknowledging it (or before the client sent it). The node announces
    /// itself again on a new session, so its state is not lost with it.
    PublishLost {
        /// The publish's id.
        id: PublishId,
        /// Its topic.
        topic: String,
    },
    /// The broker refused a subscription (a SUBACK failure code): the node
    /// receives nothing on that filter. Usually the broker's ACL.
    SubscriptionRefused {
        /// The topic filter.
        filter: String,
    },
    /// The MQTT client refused a request: its connection task has stopped.
    RequestFailed {
        /// What was asked (`publish node/<id>/params/local`, `subscribe`, ...).
        request: String,
        /// The client's error.
        error: Arc<rumqttc::ClientError>,
    },
    /// The application read events too slowly: `missed` events were dropped
    /// (the newest, once [`EVENT_CAPACITY`] were waiting). The node ran on.
    Lagged {
        /// How many events were dropped.
        missed: u64,
    },
    /// An event of the node (a write applied, a command answered, an OTA offer...).
    Node(Box<Event>),
    /// The node refused an input (a message it could not act on); it changed
    /// nothing.
    Refused {
        /// The topic the refused message came on; `None` for a connection event.
        topic: Option<String>,
        /// Why.
        error: NodeError,
    },
    /// The broker acknowledged a publish of the node.
    Acknowledged {
        /// The publish's id.
        id: PublishId,
        /// Its topic.
        topic: String,
    },
}

impl std::fmt::Display for RunnerEvent {
    /// One line for a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connected { session_present } => write!(
                f,
                "connected ({})",
                if *session_present {
                    "session kept"
                } else {
                    "new session"
                }
            ),
            Self::Disconnected {
                error, retry_in, ..
            } => write!(
                f,
                "connection lost: {error}; reconnecting in {:.1} s",
                retry_in.as_secs_f64()
            ),
            Self::DroppedByBroker { up_for, in_a_row } => write!(
                f,
                "the broker closed the connection after {:.1} s ({in_a_row} in a row): another \
                 client with this id, or a broker policy",
                up_for.as_secs_f64()
            ),
            Self::MessageTooLarge { size, limit } => write!(
                f,
                "a message of {size} bytes is over the {limit}-byte limit: reconnecting to \
                 refuse it"
            ),
            Self::PublishLost { id, topic } => {
                write!(f, "publish {} on {topic} lost with the session", id.0)
            }
            Self::SubscriptionRefused { filter } => {
                write!(f, "the broker refused the subscription to {filter}")
            }
            Self::RequestFailed { request, error } => write!(f, "{request} failed: {error}"),
            Self::Lagged { missed } => write!(f, "{missed} events dropped (read too slowly)"),
            Self::Node(event) => write!(f, "{event}"),
            Self::Refused { topic, error } => match topic {
                Some(topic) => write!(f, "refused a message on {topic}: {error}"),
                None => write!(f, "refused: {error}"),
            },
            Self::Acknowledged { id, topic } => {
                write!(f, "publish {} on {topic} acknowledged", id.0)
            }
        }
    }
}

/// How many events wait for the application before newer ones are dropped (and
/// counted in a [`RunnerEvent::Lagged`]).
pub const EVENT_CAPACITY: usize = 1024;

/// How many changes asked through a [`NodeHandle`] wait for the runner; more
/// wait in `update` until it takes them.
const COMMAND_CAPACITY: usize = 64;

/// A change the application asks of the node, run on the runner's task.
type Change = Box<dyn FnOnce(&mut Node, i64) -> Result<Output, NodeError> + Send>;

enum Command {
    Change(Change, oneshot::Sender<Result<(), NodeError>>),
    Shutdown(oneshot::Sender<()>),
}

/// A handle on a running node: change its devices and report, or stop it.
#[derive(Debug, Clone)]
pub struct NodeHandle {
    commands: mpsc::Sender<Command>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Change(..) => "Change",
            Self::Shutdown(_) => "Shutdown",
        })
    }
}

impl NodeHandle {
    /// Runs `change` on the node with the system clock's time (typically: change a
    /// device through `Node::device_mut`, then `Node::report_changes(now)`) and
    /// publishes its output.
    ///
    /// # Errors
    ///
    /// [`Error::Node`] when `change` fails, [`Error::Stopped`] when the runner is gone.
    pub async fn update<F>(&self, change: F) -> Result<(), Error>
    where
        F: FnOnce(&mut Node, i64) -> Result<Output, NodeError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Change(Box::new(change), reply))
            .await
            .map_err(|_| Error::Stopped)?;
        answer
            .await
            .map_err(|_| Error::Stopped)?
            .map_err(Error::Node)
    }

    /// Changes the device called `name` (of type `D`) with `change` on the runner's
    /// task, then reports what changed (`Node::report_changes`).
    ///
    /// # Errors
    ///
    /// [`Error::Node`] with `NodeError::NoSuchDevice` when the node has no device of
    /// that name and type; as [`NodeHandle::update`] otherwise.
    pub async fn update_device<D, F>(&self, name: &str, change: F) -> Result<(), Error>
    where
        D: Device + Any,
        F: FnOnce(&mut D) + Send + 'static,
    {
        let name = name.to_owned();
        self.update(move |node, now| {
            let device = node
                .device_mut::<D>(&name)
                .ok_or_else(|| NodeError::NoSuchDevice(name.clone()))?;
            change(device);
            node.report_changes(now)
        })
        .await
    }

    /// Reads the node (a device, its params) on the runner's task, between two
    /// inputs.
    ///
    /// # Errors
    ///
    /// [`Error::Stopped`] when the runner is gone.
    pub async fn inspect<R, F>(&self, read: F) -> Result<R, Error>
    where
        F: FnOnce(&Node) -> R + Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.update(move |node, _| {
            let _ = reply.send(read(node));
            Ok(Output::default())
        })
        .await?;
        answer.await.map_err(|_| Error::Stopped)
    }

    /// Reports what changed since the last report (`Node::report_changes`).
    ///
    /// # Errors
    ///
    /// As [`NodeHandle::update`].
    pub async fn report_changes(&self) -> Result<(), Error> {
        self.update(|node, now| node.report_changes(now)).await
    }

    /// Reports one time-series sample of a param with its current value, changed or
    /// not (`Node::report_time_series`).
    ///
    /// # Errors
    ///
    /// As [`NodeHandle::update`].
    pub async fn report_time_series(&self, device: &str, param: &str) -> Result<(), Error> {
        let (device, param) = (device.to_owned(), param.to_owned());
        self.update(move |node, now| node.report_time_series(now, &device, &param))
            .await
    }

    /// Sends what is queued, disconnects and stops the runner; with the broker
    /// down, gives up after [`SHUTDOWN_GRACE`] and drops the connection.
    ///
    /// # Errors
    ///
    /// [`Error::Stopped`] when it had already stopped.
    pub async fn shutdown(&self) -> Result<(), Error> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::Shutdown(reply))
            .await
            .map_err(|_| Error::Stopped)?;
        done.await.map_err(|_| Error::Stopped)
    }
}

/// Runs a [`Node`] over MQTT: the client id is the node id, the last will is the
/// node's, sessions are persistent unless the [`Broker`] says otherwise, and the
/// node's clock is the system's.
///
/// ```no_run
/// # async fn run(node: rainmaker_types::node::Node) -> Result<(), rainmaker_mqtt::Error> {
/// use rainmaker_mqtt::{NodeRunner, RunnerEvent};
///
/// let (handle, mut events) = NodeRunner::new(node, "mqtt://localhost".parse()?).spawn()?;
/// while let Some(event) = events.recv().await {
///     if let RunnerEvent::Node(event) = event {
///         println!("{event:?}");
///     }
/// }
/// # handle.shutdown().await
/// # }
/// ```
#[derive(Debug)]
pub struct NodeRunner {
    node: Node,
    broker: Broker,
    backoff: Backoff,
    copies: Option<mpsc::UnboundedSender<Publish>>,
}

impl NodeRunner {
    /// A runner for `node` on `broker`, with the default back-off (250 ms to 30 s).
    pub fn new(node: Node, broker: Broker) -> Self {
        Self {
            node,
            broker,
            backoff: Backoff::default(),
            copies: None,
        }
    }

    /// The same runner, also sending a copy of every publish it hands the client
    /// to `copies`: for a log, or for a broker that delivers basic-ingest topics
    /// (`$aws/rules/...`) to rules only.
    #[must_use]
    pub fn with_publish_copies(mut self, copies: mpsc::UnboundedSender<Publish>) -> Self {
        self.copies = Some(copies);
        self
    }

    /// The same runner with another reconnection back-off.
    #[must_use]
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Connects and runs the node on the current tokio runtime; the handle changes
    /// it, the receiver gets its events.
    ///
    /// # Errors
    ///
    /// [`Error::Tls`] when the broker needs a TLS identity it was not given.
    pub fn spawn(self) -> Result<(NodeHandle, mpsc::Receiver<RunnerEvent>), Error> {
        let Self {
            node,
            broker,
            backoff,
            copies,
        } = self;
        let mut options = broker.mqtt_options(node.node_id().as_str())?;
        if let Some(will) = node.last_will() {
            options.set_last_will(LastWill::new(
                will.topic,
                will.payload,
                qos(will.qos),
                false,
            ));
        }
        let limit = options.max_packet_size();
        let (client, eventloop) = crate::client(options);
        let (polled, poller) = crate::poll(eventloop, backoff);
        let poller = tokio::spawn(poller);
        let stop_poller = poller.abort_handle();
        let (requests, requests_rx) = mpsc::unbounded_channel();
        let (commands_tx, commands) = mpsc::channel(COMMAND_CAPACITY);
        let (events_tx, events_rx) = mpsc::channel(EVENT_CAPACITY);
        let events = Events {
            sender: events_tx,
            missed: 0,
        };
        tokio::spawn(forward(client, requests_rx, poller, events.clone()));
        let driver = Driver {
            node,
            requests,
            events,
            copies,
            limit,
            stop_poller,
            first_connect: true,
            queued: VecDeque::new(),
            in_flight: HashMap::new(),
            subscribing: VecDeque::new(),
            subscribed: HashMap::new(),
        };
        tokio::spawn(driver.run(polled, commands));
        Ok((
            NodeHandle {
                commands: commands_tx,
            },
            events_rx,
        ))
    }
}

/// How long a shutdown waits for the connection to send what is queued and the
/// DISCONNECT.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What the driver asks of the client, in order.
enum Request {
    Unsubscribe(String),
    Subscribe(Vec<String>),
    Publish {
        topic: String,
        qos: QoS,
        payload: Vec<u8>,
    },
    Disconnect(Option<oneshot::Sender<()>>),
}

/// Hands the driver's requests to the client one at a time. Each waits for the
/// event loop to take it (while the broker is down, until it is back), so the
/// driver itself never waits on the connection. A request the client refuses
/// (its event loop has stopped) is reported. A disconnect that the event loop
/// does not take within [`SHUTDOWN_GRACE`] (the broker is down) stops the loop.
async fn forward(
    client: AsyncClient,
    mut requests: mpsc::UnboundedReceiver<Request>,
    poller: tokio::task::JoinHandle<()>,
    mut events: Events,
) {
    while let Some(request) = requests.recv().await {
        let (what, result) = match request {
            Request::Unsubscribe(filter) => (
                format!("unsubscribe {filter}"),
                client.unsubscribe(filter).await,
            ),
            Request::Subscribe(filters) => {
                let filters = filters
                    .into_iter()
                    .map(|filter| rumqttc::SubscribeFilter::new(filter, QoS::AtLeastOnce));
                ("subscribe".to_owned(), client.subscribe_many(filters).await)
            }
            Request::Publish {
                topic,
                qos,
                payload,
            } => (
                format!("publish {topic}"),
                client.publish(topic, qos, false, payload).await,
            ),
            Request::Disconnect(done) => {
                if tokio::time::timeout(SHUTDOWN_GRACE, client.disconnect())
                    .await
                    .is_err()
                {
                    poller.abort();
                }
                if let Some(done) = done {
                    let _ = done.send(());
                }
                return;
            }
        };
        if let Err(error) = result {
            events.emit(RunnerEvent::RequestFailed {
                request: what,
                error: Arc::new(error),
            });
        }
    }
}

/// The runner's events: a bounded channel that drops the newest events while the
/// application is behind, and says how many in a [`RunnerEvent::Lagged`].
#[derive(Debug, Clone)]
struct Events {
    sender: mpsc::Sender<RunnerEvent>,
    missed: u64,
}

impl Events {
    fn emit(&mut self, event: RunnerEvent) {
        use mpsc::error::TrySendError;
        if self.missed > 0 {
            let lagged = RunnerEvent::Lagged {
                missed: self.missed,
            };
            match self.sender.try_send(lagged) {
                Ok(()) => self.missed = 0,
                Err(TrySendError::Full(_)) => {
                    self.missed += 1;
                    return;
                }
                // Nobody listening is fine: the node runs on.
                Err(TrySendError::Closed(_)) => return,
            }
        }
        if let Err(TrySendError::Full(_)) = self.sender.try_send(event) {
            self.missed += 1;
        }
    }
}

/// The MQTT QoS of a channel's QoS.
pub(crate) fn qos(qos: Qos) -> QoS {
    match qos {
        Qos::AtMostOnce => QoS::AtMostOnce,
        Qos::AtLeastOnce => QoS::AtLeastOnce,
        Qos::ExactlyOnce => QoS::ExactlyOnce,
    }
}

/// The runner's task: the node, the client, and what is awaiting acknowledgement.
struct Driver {
    node: Node,
    requests: mpsc::UnboundedSender<Request>,
    events: Events,
    copies: Option<mpsc::UnboundedSender<Publish>>,
    /// The client's incoming packet limit.
    limit: usize,
    /// Stops the poller when a shutdown outlives its grace.
    stop_poller: tokio::task::AbortHandle,
    first_connect: bool,
    /// Publishes handed to the client, not yet given a packet id, in order.
    queued: VecDeque<(PublishId, String)>,
    /// Publishes sent, by packet id, until their PUBACK.
    in_flight: HashMap<u16, (PublishId, String)>,
    /// Subscribe requests handed to the client, not yet sent, in order.
    subscribing: VecDeque<Vec<String>>,
    /// Subscribe requests sent, by packet id, until their SUBACK.
    subscribed: HashMap<u16, Vec<String>>,
}

impl Driver {
    async fn run(
        mut self,
        mut polled: mpsc::Receiver<Polled>,
        mut commands: mpsc::Receiver<Command>,
    ) {
        loop {
            // The node says when it must be woken (a schedule's next time).
            let wake = self.node.poll_timeout().map(|at| {
                let wait = u64::try_from(at.saturating_sub(unix_now())).unwrap_or(0);
                tokio::time::Instant::now() + Duration::from_secs(wait)
            });
            tokio::select! {
                () = sleep_until(wake) => {
                    match self.node.handle_timeout(unix_now()) {
                        Ok(output) => self.apply(output),
                        Err(error) => self.emit(RunnerEvent::Refused { topic: None, error }),
                    }
                }
                next = polled.recv() => match next {
                    Some(Polled::Event(event)) => self.on_event(event),
                    Some(Polled::Lost(loss)) => self.on_loss(loss),
                    Some(Polled::SessionDropped(held)) => self.on_session_dropped(held),
                    None => return,
                },
                next = commands.recv() => match next {
                    Some(Command::Change(change, reply)) => {
                        let result = change(&mut self.node, unix_now());
                        let reply_with = match result {
                            Ok(output) => {
                                self.apply(output);
                                Ok(())
                            }
                            Err(error) => Err(error),
                        };
                        let _ = reply.send(reply_with);
                    }
                    Some(Command::Shutdown(done)) => {
                        self.stop(Some(done));
                        return;
                    }
                    None => {
                        self.stop(None);
                        return;
                    }
                },
            }
        }
    }

    /// Asks the client to send what is queued and disconnect, and stops the
    /// poller if that takes longer than [`SHUTDOWN_GRACE`] (the broker is down and
    /// requests wait for it): the waiting requests then fail and the disconnect
    /// completes.
    fn stop(&self, done: Option<oneshot::Sender<()>>) {
        let _ = self.requests.send(Request::Disconnect(done));
        let stop_poller = self.stop_poller.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
            stop_poller.abort();
        });
    }

    fn on_loss(&mut self, loss: crate::Loss) {
        let _ = self.node.handle(unix_now(), Input::Disconnected);
        if let Some(size) = loss.oversized {
            self.emit(RunnerEvent::MessageTooLarge {
                size,
                limit: self.limit,
            });
        }
        if let (Some(up_for), in_a_row @ 1..) = (loss.up_for, loss.short_lived) {
            self.emit(RunnerEvent::DroppedByBroker { up_for, in_a_row });
        }
        self.emit(RunnerEvent::Disconnected {
            error: Arc::new(loss.error),
            retry_in: loss.retry_in,
            up_for: loss.up_for,
        });
    }

    /// The broker started a new session and the client dropped what it had not
    /// sent: the oldest queued publishes and subscriptions.
    fn on_session_dropped(&mut self, held: crate::Held) {
        let unsent: Vec<_> = self
            .queued
            .drain(..held.unsent_publishes.min(self.queued.len()))
            .collect();
        self.subscribing
            .drain(..held.unsent_subscribes.min(self.subscribing.len()));
        for (id, topic) in unsent {
            self.emit(RunnerEvent::PublishLost { id, topic });
        }
    }

    /// A new session: nothing sent before it will be acknowledged, so the
    /// acknowledgement tables forget it (later acknowledgements then pair with
    /// the right publishes).
    fn forget_sent(&mut self) {
        self.subscribed.clear();
        let mut lost: Vec<_> = self.in_flight.drain().map(|(_, sent)| sent).collect();
        lost.sort_by_key(|(id, _)| id.0);
        for (id, topic) in lost {
            self.emit(RunnerEvent::PublishLost { id, topic });
        }
    }

    fn on_event(&mut self, event: rumqttc::Event) {
        match event {
            rumqttc::Event::Incoming(Incoming::ConnAck(ack)) => {
                let input = if self.first_connect {
                    Input::Connected
                } else {
                    Input::Reconnected {
                        session_present: ack.session_present,
                    }
                };
                self.first_connect = false;
                if !ack.session_present {
                    self.forget_sent();
                }
                self.emit(RunnerEvent::Connected {
                    session_present: ack.session_present,
                });
                self.feed(input, None);
            }
            rumqttc::Event::Incoming(Incoming::Publish(publish)) => {
                self.feed(
                    Input::Received {
                        topic: &publish.topic,
                        payload: &publish.payload,
                    },
                    Some(&publish.topic),
                );
            }
            rumqttc::Event::Incoming(Incoming::PubAck(ack)) => {
                if let Some((id, topic)) = self.in_flight.remove(&ack.pkid) {
                    self.emit(RunnerEvent::Acknowledged { id, topic });
                    self.feed(Input::Acknowledged(id), None);
                }
            }
            rumqttc::Event::Outgoing(Outgoing::Subscribe(pkid)) => {
                if let Some(filters) = self.subscribing.pop_front() {
                    self.subscribed.insert(pkid, filters);
                }
            }
            rumqttc::Event::Incoming(Incoming::SubAck(ack)) => {
                let filters = self.subscribed.remove(&ack.pkid).unwrap_or_default();
                for (filter, code) in filters.into_iter().zip(ack.return_codes) {
                    if code == rumqttc::SubscribeReasonCode::Failure {
                        self.emit(RunnerEvent::SubscriptionRefused { filter });
                    }
                }
            }
            rumqttc::Event::Outgoing(Outgoing::Publish(pkid)) => {
                // A retransmission keeps its packet id; a new publish takes the next
                // queued one (the client sends them in the order they were queued).
                if !self.in_flight.contains_key(&pkid)
                    && let Some(sent) = self.queued.pop_front()
                    && pkid != 0
                {
                    self.in_flight.insert(pkid, sent);
                }
            }
            _ => {}
        }
    }

    /// Feeds an input (a message on `topic`, or a connection event) and applies
    /// the node's output.
    fn feed(&mut self, input: Input<'_>, topic: Option<&str>) {
        match self.node.handle(unix_now(), input) {
            Ok(output) => self.apply(output),
            Err(error) => self.emit(RunnerEvent::Refused {
                topic: topic.map(str::to_owned),
                error,
            }),
        }
    }

    /// Unsubscribes, subscribes, publishes, and reports the events, in that order.
    fn apply(&mut self, output: Output) {
        for filter in output.unsubscribe {
            self.request(Request::Unsubscribe(filter));
        }
        if !output.subscribe.is_empty() {
            self.subscribing.push_back(output.subscribe.clone());
            self.request(Request::Subscribe(output.subscribe));
        }
        for publish in output.publish {
            if let Some(copies) = &self.copies {
                let _ = copies.send(publish.clone());
            }
            self.queued.push_back((publish.id, publish.topic.clone()));
            self.request(Request::Publish {
                topic: publish.topic,
                qos: qos(publish.qos),
                payload: publish.payload,
            });
        }
        for event in output.events {
            self.emit(RunnerEvent::Node(Box::new(event)));
        }
    }

    fn request(&self, request: Request) {
        // The forwarder only stops after a disconnect, and so does the driver.
        let _ = self.requests.send(request);
    }

    fn emit(&mut self, event: RunnerEvent) {
        self.events.emit(event);
    }
}

/// The system clock's time in Unix seconds (0 before 1970): the `now` the runner
/// gives the node.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |now| i64::try_from(now.as_secs()).unwrap_or(i64::MAX))
}

/// Sleeps until `wake`, or forever without one.
async fn sleep_until(wake: Option<tokio::time::Instant>) {
    match wake {
        Some(wake) => tokio::time::sleep_until(wake).await,
        None => std::future::pending().await,
    }
}
