//! [`Consumer`]: the cloud side over MQTT: every message nodes send, decoded, and
//! writes and commands to nodes.

use std::time::{Duration, Instant};

use rainmaker_types::runtime::Direction;
use rainmaker_types::{Channel, DispatchError, Envelope, EnvelopeRef, ParamsDocument, Topic};
use rumqttc::{AsyncClient, Event, Incoming, QoS, SubscribeFilter};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::runner::qos;
use crate::{Backoff, Broker, Error, Polled};

/// How long [`Consumer::connect`] waits for the broker to accept the connection
/// and the subscriptions.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A message a node sent, as the consumer received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The topic, plain or basic-ingest.
    pub topic: String,
    /// The payload.
    pub payload: Vec<u8>,
    /// When it arrived.
    pub received_at: Instant,
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
    deliveries: mpsc::UnboundedReceiver<Delivery>,
    /// The poller and the task that reads the deliveries, stopped when the
    /// consumer is dropped.
    _tasks: JoinSet<()>,
}

impl Consumer {
    /// Connects as `client_id`, subscribes to everything nodes send (see
    /// [`node_filters`]) and waits for the broker to accept both.
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
        let options = broker.mqtt_options(client_id)?;
        let (client, eventloop) = crate::client(options);
        let (mut polled, poller) = crate::poll(eventloop, Backoff::default());
        let mut tasks = JoinSet::new();
        tasks.spawn(poller);
        let filters: Vec<SubscribeFilter> = node_filters(share)
            .into_iter()
            .map(|filter| SubscribeFilter::new(filter, QoS::AtLeastOnce))
            .collect();
        let (tx, deliveries) = mpsc::unbounded_channel();
        let (ready_tx, ready) = oneshot::channel();
        let subscriber = client.clone();
        tasks.spawn(async move {
            let mut ready = Some(ready_tx);
            while let Some(next) = polled.recv().await {
                match next {
                    Polled::Event(Event::Incoming(Incoming::ConnAck(ack))) => {
                        // A new session has no subscriptions: make them (again).
                        if !ack.session_present || ready.is_some() {
                            // From another task: the request waits for the poller.
                            let subscriber = subscriber.clone();
                            let filters = filters.clone();
                            tokio::spawn(async move {
                                let _ = subscriber.subscribe_many(filters).await;
                            });
                        }
                    }
                    Polled::Event(Event::Incoming(Incoming::SubAck(_))) => {
                        if let Some(ready) = ready.take() {
                            let _ = ready.send(Ok(()));
                        }
                    }
                    Polled::Event(Event::Incoming(Incoming::Publish(publish))) => {
                        let delivery = Delivery {
                            topic: publish.topic.clone(),
                            payload: publish.payload.to_vec(),
                            received_at: Instant::now(),
                        };
                        if tx.send(delivery).is_err() {
                            return;
                        }
                    }
                    Polled::Event(_) => {}
                    Polled::Lost { error, .. } => {
                        if let Some(ready) = ready.take() {
                            let _ = ready.send(Err(error));
                            return;
                        }
                    }
                }
            }
        });
        // On an error, dropping the tasks stops them.
        match tokio::time::timeout(CONNECT_TIMEOUT, ready).await {
            Ok(Ok(Ok(()))) => Ok(Self {
                client,
                deliveries,
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

    /// The next message a node sent; `None` once the consumer has stopped.
    pub async fn next(&mut self) -> Option<Delivery> {
        self.deliveries.recv().await
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
    /// document that cannot be written).
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

    /// Disconnects.
    pub async fn close(self) {
        let _ = self.client.disconnect().await;
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
    /// document that cannot be written).
    pub async fn publish(&self, topic: &Topic, payload: Vec<u8>) -> Result<(), Error> {
        Ok(self
            .client
            .publish(topic.to_string(), qos(topic.qos()), false, payload)
            .await?)
    }
}
