//! A thin layer over rumqttc: connect with a bounded wait for the CONNACK, then a
//! task that reads what `rainmaker_mqtt::poll` reports and hands messages and
//! acknowledgements to the owner over channels.

use std::time::Duration;

use rumqttc::{AsyncClient, Event, Incoming, QoS, SubscribeReasonCode};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

use crate::error::{Error, Result};
use rainmaker_mqtt::{Backoff, Broker, Polled};

/// How long a client waits for the broker's CONNACK (TLS handshake included).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client waits for a SUBACK or PUBACK.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// A message a client received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Topic it was published on.
    pub topic: String,
    /// Payload bytes.
    pub payload: Vec<u8>,
}

/// An acknowledgement or a change of the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ack {
    /// The broker answered a SUBSCRIBE; one code per filter.
    SubAck(Vec<SubscribeReasonCode>),
    /// The broker acknowledged a QoS 1 publish.
    PubAck,
    /// The connection ended; the text says why.
    Closed(String),
}

/// A connected MQTT 3.1.1 client.
#[derive(Debug)]
pub struct Connection {
    client: AsyncClient,
    messages: mpsc::UnboundedReceiver<Received>,
    acks: mpsc::UnboundedReceiver<Ack>,
    /// The poller and the task that reads the connection's events, stopped when
    /// the connection is dropped.
    _tasks: JoinSet<()>,
    who: &'static str,
}

/// Connects `client_id` to `endpoint` and waits (at most [`CONNECT_TIMEOUT`])
/// for the CONNACK. `who` names the side in errors (`node`, `cloud`).
pub async fn connect(endpoint: &Broker, client_id: &str, who: &'static str) -> Result<Connection> {
    let (client, eventloop) = rainmaker_mqtt::client(endpoint.mqtt_options(client_id)?);
    let (mut polled, poller) = rainmaker_mqtt::poll(eventloop, Backoff::default());
    let mut tasks = JoinSet::new();
    tasks.spawn(poller);
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match timeout_at(deadline, polled.recv()).await {
            Ok(Some(Polled::Event(Event::Incoming(Incoming::ConnAck(_))))) => break,
            Ok(Some(Polled::Event(_) | Polled::SessionDropped(_))) => {}
            Ok(Some(Polled::Lost(loss))) => {
                return Err(Error::mqtt(
                    who,
                    format!("cannot connect to {endpoint}: {}", loss.error),
                ));
            }
            Ok(None) => return Err(Error::mqtt(who, "the connection task ended")),
            Err(_) => {
                return Err(Error::mqtt(
                    who,
                    format!(
                        "no CONNACK from {endpoint} within {} s",
                        CONNECT_TIMEOUT.as_secs()
                    ),
                ));
            }
        }
    }
    let (message_tx, messages) = mpsc::unbounded_channel();
    let (ack_tx, acks) = mpsc::unbounded_channel();
    tasks.spawn(async move {
        while let Some(next) = polled.recv().await {
            match next {
                Polled::Event(Event::Incoming(Incoming::Publish(publish))) => {
                    let received = Received {
                        topic: publish.topic,
                        payload: publish.payload.to_vec(),
                    };
                    if message_tx.send(received).is_err() {
                        return;
                    }
                }
                Polled::Event(Event::Incoming(Incoming::SubAck(suback))) => {
                    let _ = ack_tx.send(Ack::SubAck(suback.return_codes));
                }
                Polled::Event(Event::Incoming(Incoming::PubAck(_))) => {
                    let _ = ack_tx.send(Ack::PubAck);
                }
                Polled::Event(_) | Polled::SessionDropped(_) => {}
                Polled::Lost(loss) => {
                    // Without a reconnect policy the connection's end is final (the
                    // poller stops with this task); the owner sees it on the ack
                    // channel.
                    let _ = ack_tx.send(Ack::Closed(loss.error.to_string()));
                    return;
                }
            }
        }
    });
    Ok(Connection {
        client,
        messages,
        acks,
        _tasks: tasks,
        who,
    })
}

impl Connection {
    /// The rumqttc handle, for publishes that need no acknowledgement wait.
    pub fn client(&self) -> &AsyncClient {
        &self.client
    }

    /// Subscribes to filters at QoS 1 (the SDK's QoS) and waits (at most
    /// [`ACK_TIMEOUT`]) for the SUBACK; returns its codes, failures included.
    /// Only one subscribe may wait at a time.
    pub async fn subscribe(&mut self, filters: &[String]) -> Result<Vec<SubscribeReasonCode>> {
        let request = filters
            .iter()
            .map(|filter| rumqttc::SubscribeFilter::new(filter.clone(), QoS::AtLeastOnce));
        self.client
            .subscribe_many(request)
            .await
            .map_err(|e| Error::mqtt(self.who, format!("subscribe: {e}")))?;
        match self.next_ack().await? {
            Ack::SubAck(codes) => Ok(codes),
            other => Err(Error::mqtt(
                self.who,
                format!("expected a SUBACK, got {other:?}"),
            )),
        }
    }

    /// Subscribes and fails unless the broker granted every filter.
    pub async fn subscribe_all(&mut self, filters: &[String]) -> Result<()> {
        let codes = self.subscribe(filters).await?;
        for (filter, code) in filters.iter().zip(&codes) {
            if *code == SubscribeReasonCode::Failure {
                return Err(Error::mqtt(
                    self.who,
                    format!("the broker refused the subscription to {filter}"),
                ));
            }
        }
        Ok(())
    }

    /// Publishes at QoS 1, retain off (as the SDK does), and waits (at most
    /// [`ACK_TIMEOUT`]) for the PUBACK. Only one publish may wait at a time.
    pub async fn publish(&mut self, topic: &str, payload: Vec<u8>) -> Result<()> {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload)
            .await
            .map_err(|e| Error::mqtt(self.who, format!("publish to {topic}: {e}")))?;
        match self.next_ack().await? {
            Ack::PubAck => Ok(()),
            other => Err(Error::mqtt(
                self.who,
                format!("expected a PUBACK for {topic}, got {other:?}"),
            )),
        }
    }

    async fn next_ack(&mut self) -> Result<Ack> {
        match tokio::time::timeout(ACK_TIMEOUT, self.acks.recv()).await {
            Ok(Some(Ack::Closed(reason))) => {
                Err(Error::mqtt(self.who, format!("connection lost: {reason}")))
            }
            Ok(Some(ack)) => Ok(ack),
            Ok(None) => Err(Error::mqtt(self.who, "connection task ended")),
            Err(_) => Err(Error::mqtt(
                self.who,
                format!("no acknowledgement within {} s", ACK_TIMEOUT.as_secs()),
            )),
        }
    }

    /// The next message, waiting at most until `deadline`; `None` when the
    /// deadline passes.
    pub async fn next_message_until(&mut self, deadline: Instant) -> Result<Option<Received>> {
        match timeout_at(deadline, self.messages.recv()).await {
            Ok(Some(message)) => Ok(Some(message)),
            Ok(None) => Err(Error::mqtt(self.who, "connection task ended")),
            Err(_) => Ok(None),
        }
    }

    /// Takes the message receiver, leaving the connection to publish and
    /// subscribe only.
    pub fn take_messages(&mut self) -> mpsc::UnboundedReceiver<Received> {
        let (_, empty) = mpsc::unbounded_channel();
        std::mem::replace(&mut self.messages, empty)
    }

    /// Sends DISCONNECT, then stops the event loop.
    pub async fn disconnect(mut self) {
        let _ = self.client.disconnect().await;
        // Give the event loop the chance to write the DISCONNECT packet.
        let acks = &mut self.acks;
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(ack) = acks.recv().await {
                if matches!(ack, Ack::Closed(_)) {
                    break;
                }
            }
        })
        .await;
    }
}
