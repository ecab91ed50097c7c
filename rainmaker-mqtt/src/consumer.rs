//! [`Consumer`]: the cloud side over MQTT: every message nodes send, decoded, and
//! writes and commands to nodes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rainmaker_types::runtime::{Direction, Qos};
use rainmaker_types::{Channel, DispatchError, Envelope, EnvelopeRef, ParamsDocument, Topic};
use rumqttc::{AsyncClient, Event, Incoming, Outgoing, QoS, SubscribeFilter, SubscribeReasonCode};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::runner::qos;
use crate::{Backoff, Broker, Error, Polled};

/// How long [`Consumer::connect`] waits for the broker to accept the connection
/// and the subscriptions.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a publish, an acknowledgement or a disconnect waits for the client to
/// take it (it waits while the broker is down) before [`Error::Timeout`].
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How many events wait for the application; past that the consumer stops
/// reading from the broker until the application catches up (the broker holds
/// the messages back, or drops them by its own queue limits).
pub const DELIVERY_CAPACITY: usize = 1024;

/// A message a node sent, as the consumer received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The topic, plain or basic-ingest.
    pub topic: String,
    /// The payload.
    pub payload: Vec<u8>,
    /// When it arrived.
    pub received_at: Instant,
    /// The packet id and QoS it came with, for the acknowledgement.
    receipt: (u16, QoS),
}

/// What the consumer saw: a message, or a change of its connection.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConsumerEvent {
    /// A message a node sent.
    Delivery(Delivery),
    /// The broker accepted a reconnection; without a kept session, messages sent
    /// while the consumer was away may be lost (the consumer subscribes again).
    Reconnected {
        /// The CONNACK's session-present flag.
        session_present: bool,
    },
    /// The connection failed or dropped; the next attempt is in `retry_in`.
    Disconnected {
        /// Why.
        error: Arc<rumqttc::ConnectionError>,
        /// The back-off delay before the next attempt.
        retry_in: Duration,
    },
    /// The broker sent a message over the packet limit. Without `topic`: the
    /// consumer could not read past its header and dropped the connection; the
    /// next connection reads it (up to
    /// [`OVERSIZED_CEILING`](crate::OVERSIZED_CEILING), beyond which it starts a
    /// clean session so that the broker discards it). With `topic`: the message
    /// was read, and is refused and acknowledged, not delivered.
    MessageTooLarge {
        /// Its topic, once read.
        topic: Option<String>,
        /// Its size: the packet's remaining part as its header gave it, or the
        /// payload once read.
        size: usize,
        /// The client's limit ([`Broker::with_max_packet_size`]).
        limit: usize,
    },
    /// The broker refused a subscription (usually its ACL): nothing arrives on
    /// that filter.
    SubscriptionRefused {
        /// The topic filter.
        filter: String,
    },
}

impl std::fmt::Display for ConsumerEvent {
    /// One line for a log; what each connection event means for the traffic.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Delivery(delivery) => {
                write!(f, "{} bytes on {}", delivery.payload.len(), delivery.topic)
            }
            Self::Reconnected { session_present } => f.write_str(if *session_present {
                "back on the broker, session kept: what was sent meanwhile follows"
            } else {
                "back on the broker with a new session: what was sent meanwhile is missed"
            }),
            Self::Disconnected { error, retry_in } => write!(
                f,
                "lost the broker ({error}); reconnecting in {:.1} s",
                retry_in.as_secs_f64()
            ),
            Self::MessageTooLarge {
                topic: None,
                size,
                limit,
            } => write!(
                f,
                "a message of {size} bytes is over the {limit}-byte limit: reconnecting to \
                 refuse it"
            ),
            Self::MessageTooLarge {
                topic: Some(topic),
                size,
                limit,
            } => write!(
                f,
                "refused a message of {size} bytes on {topic} (over the {limit}-byte limit)"
            ),
            Self::SubscriptionRefused { filter } => write!(
                f,
                "the broker refused the subscription to {filter}: nothing arrives on it"
            ),
        }
    }
}

impl Delivery {
    /// The message, decoded.
    ///
    /// # Errors
    ///
    /// The topic or payload error.
    pub fn decode(&self) -> Result<Envelope, DispatchError> {
        Envelope::decode(&self.topic, &self.payload)
    }

    /// The message, decoded without copying what can be borrowed.
    ///
    /// # Errors
    ///
    /// As [`Delivery::decode`].
    pub fn decode_ref(&self) -> Result<EnvelopeRef<'_>, DispatchError> {
        EnvelopeRef::decode(&self.topic, &self.payload)
    }

    /// The QoS it arrived with: the lower of the publisher's and the
    /// consumer's (QoS 1), so a node that publishes at QoS 0 shows here.
    pub fn qos(&self) -> Qos {
        match self.receipt.1 {
            QoS::AtMostOnce => Qos::AtMostOnce,
            QoS::AtLeastOnce => Qos::AtLeastOnce,
            QoS::ExactlyOnce => Qos::ExactlyOnce,
        }
    }

    /// The PUBACK of this delivery, as the client sends it.
    fn ack_request(&self) -> rumqttc::Publish {
        let (pkid, qos) = self.receipt;
        let mut publish = rumqttc::Publish::new(&self.topic, qos, Vec::new());
        publish.pkid = pkid;
        publish
    }
}

/// The topic filters of everything nodes (and the broker, for presence) send, in
/// both topic forms; each prefixed `$share/<group>/` for a shared subscription.
pub fn node_filters(share: Option<&str>) -> Vec<String> {
    let prefix = share.map_or_else(String::new, |group| format!("$share/{group}/"));
    let mut filters = Vec::new();
    for channel in Channel::ALL {
        if channel.direction() == Some(Direction::CloudToNode) {
            continue;
        }
        filters.push(format!("{prefix}{}", channel.filter()));
        if let Some(filter) = channel.ingest_filter() {
            filters.push(format!("{prefix}{filter}"));
        }
    }
    filters
}

/// A cloud-side client: it receives every message nodes send (as one member of a
/// shared subscription group, if asked, so several consumers split the traffic)
/// and publishes params writes and commands to nodes.
///
/// ```no_run
/// # async fn run() -> Result<(), rainmaker_mqtt::Error> {
/// use rainmaker_mqtt::Consumer;
///
/// let broker = "mqtt://localhost".parse()?;
/// let mut consumer = Consumer::connect(&broker, "cloud-1", Some("cloud")).await?;
/// while let Some(delivery) = consumer.next().await {
///     match delivery.decode_ref() {
///         Ok(envelope) => println!("{}: {}", envelope.topic().channel(), envelope.message().name()),
///         Err(error) => eprintln!("{}: {error}", delivery.topic),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Consumer {
    client: AsyncClient,
    events: mpsc::Receiver<ConsumerEvent>,
    at_least_once: bool,
    /// The poller and the task that reads the deliveries, stopped when the
    /// consumer is dropped.
    _tasks: JoinSet<()>,
}

impl Consumer {
    /// Connects as `client_id`, subscribes to everything nodes send (see
    /// [`node_filters`]) and waits for the broker to accept both. Each message is
    /// acknowledged to the broker when the consumer reads it (at most once: a
    /// consumer that stops before handling what it read loses it); see
    /// [`Consumer::connect_at_least_once`].
    ///
    /// # Errors
    ///
    /// [`Error::Connect`] when the broker cannot be reached or refuses,
    /// [`Error::Timeout`] when it accepts nothing within 15 s.
    pub async fn connect(
        broker: &Broker,
        client_id: &str,
        share: Option<&str>,
    ) -> Result<Self, Error> {
        Self::start(broker, client_id, node_filters(share), false).await
    }

    /// As [`Consumer::connect`], subscribed to `filters` instead of everything
    /// nodes send: one node's topics (`node/<id>/#` and
    /// `$aws/rules/+/node/<id>/#`, which also bring back what the consumer
    /// publishes to that node), or any other set.
    ///
    /// # Errors
    ///
    /// As [`Consumer::connect`].
    pub async fn connect_to(
        broker: &Broker,
        client_id: &str,
        filters: Vec<String>,
    ) -> Result<Self, Error> {
        Self::start(broker, client_id, filters, false).await
    }

    /// As [`Consumer::connect`], but a message is acknowledged only when the
    /// application says it handled it ([`Consumer::ack`]): with a persistent
    /// session (the [`Broker`] default), what a consumer read and did not
    /// acknowledge before it stopped is delivered again when it reconnects. The
    /// broker sends at most its in-flight limit of unacknowledged messages
    /// (mosquitto's `max_inflight_messages`, 20 by default), so every delivery
    /// must be acknowledged, including those that do not decode.
    ///
    /// # Errors
    ///
    /// As [`Consumer::connect`].
    pub async fn connect_at_least_once(
        broker: &Broker,
        client_id: &str,
        share: Option<&str>,
    ) -> Result<Self, Error> {
        Self::start(broker, client_id, node_filters(share), true).await
    }

    async fn start(
        broker: &Broker,
        client_id: &str,
        filters: Vec<String>,
        at_least_once: bool,
    ) -> Result<Self, Error> {
        let mut options = broker.mqtt_options(client_id)?;
        options.set_manual_acks(at_least_once);
        let limit = options.max_packet_size();
        let (client, eventloop) = crate::client(options);
        let (mut polled, poller) = crate::poll(eventloop, Backoff::default());
        let mut tasks = JoinSet::new();
        tasks.spawn(poller);
        let (tx, events) = mpsc::channel(DELIVERY_CAPACITY);
        let (ready_tx, ready) = oneshot::channel();
        let subscriber = client.clone();
        tasks.spawn(async move {
            let mut ready = Some(ready_tx);
            // Subscribe requests by packet id, for their SUBACK.
            let mut subscribed = std::collections::HashSet::new();
            while let Some(next) = polled.recv().await {
                let event = match next {
                    Polled::Event(Event::Incoming(Incoming::ConnAck(ack))) => {
                        // A new session has no subscriptions: make them (again).
                        if !ack.session_present || ready.is_some() {
                            // From another task: the request waits for the poller.
                            let subscriber = subscriber.clone();
                            let filters = filters.iter().map(|filter| {
                                SubscribeFilter::new(filter.clone(), QoS::AtLeastOnce)
                            });
                            let filters: Vec<_> = filters.collect();
                            tokio::spawn(async move {
                                let _ = subscriber.subscribe_many(filters).await;
                            });
                        }
                        if ready.is_some() {
                            continue;
                        }
                        ConsumerEvent::Reconnected {
                            session_present: ack.session_present,
                        }
                    }
                    Polled::Event(Event::Outgoing(Outgoing::Subscribe(pkid))) => {
                        subscribed.insert(pkid);
                        continue;
                    }
                    Polled::Event(Event::Incoming(Incoming::SubAck(ack))) => {
                        if !subscribed.remove(&ack.pkid) {
                            continue;
                        }
                        let refused: Vec<String> = filters
                            .iter()
                            .zip(&ack.return_codes)
                            .filter(|(_, code)| **code == SubscribeReasonCode::Failure)
                            .map(|(filter, _)| filter.clone())
                            .collect();
                        if let Some(ready) = ready.take() {
                            let _ = ready.send(Ok(()));
                        }
                        for filter in refused {
                            if tx
                                .send(ConsumerEvent::SubscriptionRefused { filter })
                                .await
                                .is_err()
                            {
                                return;
                            }
                        }
                        continue;
                    }
                    Polled::Event(Event::Incoming(Incoming::Publish(publish))) => {
                        if publish.payload.len() > limit {
                            // Read on a connection with a raised limit: refused,
                            // and acknowledged so that it is not sent again.
                            if at_least_once {
                                // From another task, as the subscriptions: the
                                // request waits for the poller.
                                let acker = subscriber.clone();
                                let publish = publish.clone();
                                tokio::spawn(async move {
                                    let _ = acker.ack(&publish).await;
                                });
                            }
                            ConsumerEvent::MessageTooLarge {
                                topic: Some(publish.topic.clone()),
                                size: publish.payload.len(),
                                limit,
                            }
                        } else {
                            ConsumerEvent::Delivery(Delivery {
                                topic: publish.topic.clone(),
                                payload: publish.payload.to_vec(),
                                received_at: Instant::now(),
                                receipt: (publish.pkid, publish.qos),
                            })
                        }
                    }
                    Polled::Event(_) | Polled::SessionDropped(_) => continue,
                    Polled::Lost(loss) => {
                        if let Some(ready) = ready.take() {
                            let _ = ready.send(Err(loss.error));
                            return;
                        }
                        if let Some(size) = loss.oversized
                            && tx
                                .send(ConsumerEvent::MessageTooLarge {
                                    topic: None,
                                    size,
                                    limit,
                                })
                                .await
                                .is_err()
                        {
                            return;
                        }
                        ConsumerEvent::Disconnected {
                            error: Arc::new(loss.error),
                            retry_in: loss.retry_in,
                        }
                    }
                };
                if tx.send(event).await.is_err() {
                    return;
                }
            }
        });
        // On an error, dropping the tasks stops them.
        match tokio::time::timeout(CONNECT_TIMEOUT, ready).await {
            Ok(Ok(Ok(()))) => Ok(Self {
                client,
                events,
                at_least_once,
                _tasks: tasks,
            }),
            Ok(Ok(Err(source))) => Err(Error::Connect {
                broker: broker.to_string(),
                source: Box::new(source),
            }),
            _ => Err(Error::Timeout {
                broker: broker.to_string(),
                waited: CONNECT_TIMEOUT,
            }),
        }
    }

    /// The next message a node sent; `None` once the consumer has stopped. The
    /// connection's events are skipped: read them with [`Consumer::next_event`].
    pub async fn next(&mut self) -> Option<Delivery> {
        loop {
            if let ConsumerEvent::Delivery(delivery) = self.next_event().await? {
                return Some(delivery);
            }
        }
    }

    /// The next message or connection event; `None` once the consumer has
    /// stopped.
    pub async fn next_event(&mut self) -> Option<ConsumerEvent> {
        self.events.recv().await
    }

    /// Acknowledges a delivery to the broker, once it is handled. Only a consumer
    /// from [`Consumer::connect_at_least_once`] acknowledges; for the others
    /// (acknowledged on receipt) this does nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Client`] when the client has stopped, [`Error::Timeout`] when it
    /// did not take the acknowledgement within [`REQUEST_TIMEOUT`].
    pub async fn ack(&self, delivery: &Delivery) -> Result<(), Error> {
        if !self.at_least_once || delivery.receipt.1 == QoS::AtMostOnce {
            return Ok(());
        }
        let request = delivery.ack_request();
        within(REQUEST_TIMEOUT, self.client.ack(&request)).await
    }

    /// Publishes a params write to a node (`node/<node_id>/params/remote`).
    ///
    /// # Errors
    ///
    /// [`Error::Client`] when the client refuses it ([`Error::Encode`] for a
    /// document that cannot be written).
    pub async fn write_params(
        &self,
        topic: &Topic,
        document: &ParamsDocument,
    ) -> Result<(), Error> {
        self.publisher().write_params(topic, document).await
    }

    /// Publishes any payload on a topic, at the channel's QoS.
    ///
    /// # Errors
    ///
    /// [`Error::Client`] when the client refuses it ([`Error::Encode`] for a
    /// document that cannot be written), [`Error::NotTaken`] when the client did
    /// not take it within [`REQUEST_TIMEOUT`] (the broker is down).
    pub async fn publish(&self, topic: &Topic, payload: Vec<u8>) -> Result<(), Error> {
        self.publisher().publish(topic, payload).await
    }

    /// A handle that publishes through this consumer's connection, for a task
    /// other than the one reading deliveries.
    pub fn publisher(&self) -> Publisher {
        Publisher {
            client: self.client.clone(),
        }
    }

    /// Disconnects, waiting at most [`REQUEST_TIMEOUT`] for the client to take
    /// the request (with the broker down it cannot; the connection is dropped).
    pub async fn close(self) {
        let _ = within(REQUEST_TIMEOUT, self.client.disconnect()).await;
    }
}

/// Publishes to nodes through a [`Consumer`]'s connection.
#[derive(Debug, Clone)]
pub struct Publisher {
    client: AsyncClient,
}

impl Publisher {
    /// Publishes a params write to a node (`node/<node_id>/params/remote`).
    ///
    /// # Errors
    ///
    /// [`Error::Client`] when the client refuses it ([`Error::Encode`] for a
    /// document that cannot be written).
    pub async fn write_params(
        &self,
        topic: &Topic,
        document: &ParamsDocument,
    ) -> Result<(), Error> {
        let payload = rainmaker_types::runtime::payload::encode_json(document)?;
        self.publish(topic, payload).await
    }

    /// Publishes any payload on a topic, at the channel's QoS.
    ///
    /// # Errors
    ///
    /// [`Error::Client`] when the client refuses it ([`Error::Encode`] for a
    /// document that cannot be written), [`Error::NotTaken`] when the client did
    /// not take it within [`REQUEST_TIMEOUT`] (the broker is down).
    pub async fn publish(&self, topic: &Topic, payload: Vec<u8>) -> Result<(), Error> {
        let publish = self
            .client
            .publish(topic.to_string(), qos(topic.qos()), false, payload);
        within(REQUEST_TIMEOUT, publish).await
    }
}

/// Waits for the client to take a request, at most `limit`.
async fn within(
    limit: Duration,
    request: impl Future<Output = Result<(), rumqttc::ClientError>>,
) -> Result<(), Error> {
    match tokio::time::timeout(limit, request).await {
        Ok(taken) => Ok(taken?),
        Err(_) => Err(Error::NotTaken { waited: limit }),
    }
}
