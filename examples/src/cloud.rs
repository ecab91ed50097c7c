//! The simulated cloud: an MQTT client subscribed to one node's topics that
//! sends what the RainMaker cloud sends and checks what the node answers.
//!
//! Every message the cloud receives is printed as it arrives and kept in an
//! inbox; a step waits (bounded) for the first message of the inbox that fits
//! it, so steps do not depend on the order of unrelated messages.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rainmaker_tlv::{Command, Frame, Request, Status, UserRole};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::mqtt::{self, Connection, Received};
use crate::print::{Direction, Log, describe_tlv};
use rainmaker_mqtt::Broker;
use rainmaker_types::runtime::{self, INGEST_PREFIX};
use rainmaker_types::{Channel, TopicForm, TopicRef};

/// A message in the inbox.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Arrival number, from 0.
    pub seq: usize,
    /// The message.
    pub message: Received,
    /// When it arrived.
    pub at: Instant,
    consumed: bool,
}

impl Seen {
    /// The channel of the topic, if it is a protocol topic.
    pub fn channel(&self) -> Option<Channel> {
        Channel::of_topic(&self.message.topic).ok()
    }

    /// The payload as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.message.payload).ok()
    }

    /// Whether it came on a basic-ingest topic.
    pub fn is_ingest(&self) -> bool {
        TopicRef::parse_form(&self.message.topic).is_ok_and(|(_, form)| form == TopicForm::Ingest)
    }
}

/// A step that passed.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// The step's name.
    pub name: String,
    /// What was checked.
    pub detail: String,
    /// Time since the cloud connected.
    pub elapsed: Duration,
}

/// The simulated cloud.
#[derive(Debug)]
pub struct Cloud {
    conn: Connection,
    node_id: String,
    log: Log,
    inbox_rx: mpsc::UnboundedReceiver<Received>,
    tap: mpsc::UnboundedSender<Received>,
    inbox: Vec<Seen>,
    started: Instant,
    steps: Vec<StepReport>,
    sent: usize,
    step_timeout: Duration,
    request_seed: u64,
}

impl Cloud {
    /// Connects as `client_id` and subscribes to everything `node_id`
    /// publishes: the plain topics of every node-to-cloud channel and, when
    /// `ingest` is set, the basic-ingest ones (`$aws/rules/+/node/<id>/#`).
    pub async fn connect(
        endpoint: &Broker,
        client_id: &str,
        node_id: &str,
        ingest: bool,
        log: Log,
    ) -> Result<Self> {
        let mut conn = mqtt::connect(endpoint, client_id, "cloud").await?;
        let mut filters: Vec<String> = Channel::ALL
            .into_iter()
            .filter(|channel| channel.direction() == Some(runtime::Direction::NodeToCloud))
            .map(|channel| channel.filter().replacen('+', node_id, 1))
            .collect();
        if ingest {
            filters.push(format!("{INGEST_PREFIX}+/node/{node_id}/#"));
        }
        conn.subscribe_all(&filters).await?;
        log.line(
            Direction::Cloud,
            format!(
                "connected to {endpoint} as {client_id}, subscribed to {} topics of node {node_id}",
                filters.len()
            ),
        );
        // Print each message the moment it arrives, then queue it for the
        // steps. `tap` feeds the same path from outside the broker (see
        // `inbox_sender`).
        let (tap, mut arrivals) = mpsc::unbounded_channel::<Received>();
        let (inbox_tx, inbox_rx) = mpsc::unbounded_channel();
        let mut messages = conn.take_messages();
        let from_broker = tap.clone();
        tokio::spawn(async move {
            while let Some(message) = messages.recv().await {
                if from_broker.send(message).is_err() {
                    break;
                }
            }
        });
        let printer = log.clone();
        tokio::spawn(async move {
            while let Some(message) = arrivals.recv().await {
                printer.message(Direction::NodeToCloud, &message.topic, &message.payload);
                if inbox_tx.send(message).is_err() {
                    break;
                }
            }
        });
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed);
        Ok(Self {
            conn,
            node_id: node_id.to_owned(),
            log,
            inbox_rx,
            tap,
            inbox: Vec::new(),
            started: Instant::now(),
            steps: Vec::new(),
            sent: 0,
            step_timeout: Duration::from_secs(10),
            request_seed: seed | 1,
        })
    }

    /// Sets how long each step may take (default 10 s).
    pub fn set_step_timeout(&mut self, timeout: Duration) {
        self.step_timeout = timeout;
    }

    /// How long each step may take.
    pub fn step_timeout(&self) -> Duration {
        self.step_timeout
    }

    /// The node this cloud talks to.
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// A sender whose messages the cloud prints and takes as received: the
    /// stand-in for an IoT rule when the broker delivers basic-ingest
    /// messages to no subscriber.
    pub fn inbox_sender(&self) -> mpsc::UnboundedSender<Received> {
        self.tap.clone()
    }

    /// The log the cloud writes to.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// Steps passed so far.
    pub fn steps(&self) -> &[StepReport] {
        &self.steps
    }

    /// Messages received so far (consumed by a step or not).
    pub fn inbox(&self) -> &[Seen] {
        &self.inbox
    }

    /// Number of messages the cloud published.
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// Publishes on `channel`'s topic for the node (QoS 1) and waits for the PUBACK.
    pub async fn send(&mut self, channel: Channel, payload: Vec<u8>) -> Result<()> {
        let topic = channel
            .topic(&[&self.node_id])
            .map_err(|e| Error::step("send", e.to_string()))?
            .to_string();
        self.log.message(Direction::CloudToNode, &topic, &payload);
        self.conn.publish(&topic, payload).await?;
        self.sent += 1;
        Ok(())
    }

    /// Sends JSON text as written (key order kept, as the cloud writes it).
    pub async fn send_json(&mut self, channel: Channel, json: &str) -> Result<()> {
        debug_assert!(serde_json::from_str::<Value>(json).is_ok(), "{json}");
        self.send(channel, json.as_bytes().to_vec()).await
    }

    /// A fresh 22-character base62 request id, like the cloud's.
    pub fn new_request_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..22)
            .map(|_| {
                // xorshift64: ids only need to differ between requests.
                let mut x = self.request_seed;
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.request_seed = x;
                ALPHABET[(x % 62) as usize] as char
            })
            .collect()
    }

    /// Sends a command on `to-node` as the given role, with the current time.
    pub async fn send_command(
        &mut self,
        request_id: &str,
        role: UserRole,
        command: Command,
        data: &[u8],
    ) -> Result<()> {
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(0);
        let frame = Request::new(command, role)
            .with_request_id(request_id.as_bytes())
            .with_timestamp(ts)
            .with_data(data)
            .to_vec()
            .map_err(|e| Error::step("command", format!("cannot encode the request: {e}")))?;
        self.send(Channel::ToNode, frame).await
    }

    /// Number of messages received so far; a mark for [`Cloud::since`].
    pub fn mark(&self) -> usize {
        self.inbox.len() + self.inbox_rx.len()
    }

    /// Messages received after a mark, in order (pulls what is queued).
    pub fn since(&mut self, mark: usize) -> Vec<Seen> {
        self.drain();
        self.inbox.iter().skip(mark).cloned().collect()
    }

    fn drain(&mut self) {
        while let Ok(message) = self.inbox_rx.try_recv() {
            self.push(message);
        }
    }

    fn push(&mut self, message: Received) {
        self.inbox.push(Seen {
            seq: self.inbox.len(),
            message,
            at: Instant::now(),
            consumed: false,
        });
    }

    /// Waits (at most the step timeout) for the first unconsumed message
    /// on `channel` that `check` accepts, and consumes it. `check` returns
    /// `Ok(true)` to accept, `Ok(false)` to keep waiting, and `Err` when
    /// the message proves the step failed.
    pub async fn expect(
        &mut self,
        step: &str,
        channel: Channel,
        mut check: impl FnMut(&Seen) -> Result<bool, String>,
    ) -> Result<Seen> {
        let deadline = Instant::now() + self.step_timeout;
        let mut next = 0;
        loop {
            self.drain();
            while next < self.inbox.len() {
                let seen = &self.inbox[next];
                next += 1;
                if seen.consumed || seen.channel() != Some(channel) {
                    continue;
                }
                match check(seen) {
                    Ok(true) => {
                        let index = next - 1;
                        self.inbox[index].consumed = true;
                        return Ok(self.inbox[index].clone());
                    }
                    Ok(false) => {}
                    Err(reason) => return Err(Error::step(step, reason)),
                }
            }
            match tokio::time::timeout_at(deadline, self.inbox_rx.recv()).await {
                Ok(Some(message)) => self.push(message),
                Ok(None) => return Err(Error::mqtt("cloud", "connection task ended")),
                Err(_) => {
                    return Err(Error::Timeout {
                        step: step.to_owned(),
                        waited: self.step_timeout,
                    });
                }
            }
        }
    }

    /// Waits for the `from-node` response to `request_id` and returns its
    /// status and data.
    pub async fn expect_response(
        &mut self,
        step: &str,
        request_id: &str,
        command: Command,
    ) -> Result<(Status, Vec<u8>)> {
        let seen = self
            .expect(step, Channel::FromNode, |seen| {
                match Frame::decode(&seen.message.payload) {
                    Ok(Frame::Response(response)) => {
                        if response.request_id != Some(request_id.as_bytes()) {
                            return Ok(false);
                        }
                        if response.command != command {
                            return Err(format!(
                                "response to {request_id} names command {}, not {command}",
                                response.command
                            ));
                        }
                        Ok(true)
                    }
                    Ok(Frame::Request(_)) => Ok(false),
                    Err(e) => Err(format!("undecodable from-node frame: {e}")),
                }
            })
            .await?;
        let response = rainmaker_tlv::Response::decode(&seen.message.payload)
            .map_err(|e| Error::step(step, e))?;
        Ok((response.status, response.data.to_vec()))
    }

    /// Records a passed step and prints it.
    pub fn pass(&mut self, name: &str, detail: impl Into<String>) {
        let detail = detail.into();
        let elapsed = self.started.elapsed();
        self.log
            .line(Direction::Cloud, format!("ok  {name}: {detail}"));
        self.steps.push(StepReport {
            name: name.to_owned(),
            detail,
            elapsed,
        });
    }

    /// Disconnects cleanly.
    pub async fn disconnect(self) {
        self.conn.disconnect().await;
    }
}

/// A TLV response's data as JSON, for the checks.
pub fn response_json(step: &str, data: &[u8]) -> Result<Value> {
    serde_json::from_slice(data).map_err(|e| {
        Error::step(
            step,
            format!(
                "response data is not JSON ({e}): {}",
                String::from_utf8_lossy(data)
            ),
        )
    })
}

/// A short description of a frame for step details.
pub fn frame_summary(payload: &[u8]) -> String {
    describe_tlv(payload)
}
