//! The node side: the sans-IO `Node` of `rainmaker-types` driven over a
//! rumqttc connection, plus the bits of "firmware" the demo needs (an OTA
//! download simulation, a sensor).

use std::fmt;
use std::time::Duration;

use rainmaker_tlv::{Command, Status};
use rumqttc::{AsyncClient, Event, EventLoop, Incoming, QoS};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::mqtt::{CONNECT_TIMEOUT, Received, connection_error};
use crate::print::{Direction, Log};
use crate::transport::Endpoint;

/// How the node is set up.
#[derive(Debug, Clone)]
pub struct NodeOptions {
    /// The node id, also the MQTT client id.
    pub node_id: String,
    /// Publish on basic-ingest topics.
    pub ingest: bool,
    /// Where to hand basic-ingest messages when the broker delivers them to
    /// no subscriber (the embedded broker): the cloud's inbox.
    pub ingest_tap: Option<mpsc::UnboundedSender<Received>>,
}

/// A publish the node asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    /// Full topic (plain or basic-ingest form).
    pub topic: String,
    /// Payload bytes.
    pub payload: Vec<u8>,
}

/// What the driver feeds the sans-IO node.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The broker accepted the connection (every CONNACK).
    Connected,
    /// The connection is gone; the driver reconnects.
    Disconnected,
    /// A message arrived on a subscribed topic.
    Received {
        /// Its topic.
        topic: &'a str,
        /// Its payload.
        payload: &'a [u8],
    },
    /// The firmware reports OTA progress for a job.
    OtaStatus {
        /// The job.
        job_id: &'a str,
        /// `in-progress`, `success`, `failed`, `delayed` or `rejected`.
        status: &'a str,
        /// Free text.
        info: &'a str,
    },
    /// The sensor measured a new temperature.
    Temperature(f32),
}

/// What the sans-IO node answers.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Topics to unsubscribe from, before anything else.
    pub unsubscribe: Vec<String>,
    /// Topics to subscribe to (QoS 1), before the publishes.
    pub subscribe: Vec<String>,
    /// Messages to publish (QoS 1, retain off), in order.
    pub publish: Vec<Outbound>,
    /// Events for the application.
    pub events: Vec<NodeEvent>,
}

/// The sans-IO node as the driver sees it: input in, output out, no I/O.
pub trait Machine: Send + 'static {
    /// Handles one input. An `Err` is input the node refused, with the
    /// typed error as text; the node's state is unchanged.
    fn handle(&mut self, input: Input<'_>) -> Result<Output, String>;

    /// The current value of every param, as a params document.
    fn snapshot(&self) -> serde_json::Value;
}

/// Something the node did or refused, reported to the application.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeEvent {
    /// Input the node refused, in whole or in part, with its typed error;
    /// what was refused changed nothing.
    Rejected {
        /// Topic the input came on.
        topic: String,
        /// The error, as text.
        error: String,
    },
    /// A params write was applied.
    Applied {
        /// Topic the write came on.
        topic: String,
        /// The values stored, as JSON.
        params: String,
    },
    /// A command on `to-node` was answered on `from-node`.
    CommandAnswered {
        /// The command (0 when the frame named none).
        command: Command,
        /// The status sent.
        status: Status,
        /// Why the frame was refused, when it did not decode.
        error: Option<String>,
    },
    /// The cloud offered an OTA job.
    OtaOffered {
        /// The job id.
        job_id: String,
        /// The target firmware version, if given.
        fw_version: Option<String>,
    },
    /// Anything else worth a log line.
    Note(String),
    /// The connection to the broker ended.
    Disconnected(String),
}

impl fmt::Display for NodeEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeEvent::Rejected { topic, error } => write!(f, "refused {topic}: {error}"),
            NodeEvent::Applied { topic, params } => write!(f, "applied {params} from {topic}"),
            NodeEvent::CommandAnswered {
                command,
                status,
                error,
            } => {
                write!(f, "answered cmd {command} with status {status}")?;
                match error {
                    Some(error) => write!(f, " ({error})"),
                    None => Ok(()),
                }
            }
            NodeEvent::OtaOffered { job_id, fw_version } => write!(
                f,
                "OTA job {job_id} offered (firmware {})",
                fw_version.as_deref().unwrap_or("?")
            ),
            NodeEvent::Note(note) => f.write_str(note),
            NodeEvent::Disconnected(reason) => write!(f, "disconnected: {reason}"),
        }
    }
}

/// The running node: its task and the events it reports.
#[derive(Debug)]
pub struct NodeHandle {
    events: mpsc::UnboundedReceiver<NodeEvent>,
    task: JoinHandle<()>,
    control: mpsc::UnboundedSender<Control>,
}

impl Drop for NodeHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl NodeHandle {
    /// Waits (at most `timeout`) for an event `wanted` accepts; events it
    /// does not accept are skipped. A disconnection ends the wait with an
    /// error.
    pub async fn expect_event(
        &mut self,
        step: &str,
        timeout: Duration,
        mut wanted: impl FnMut(&NodeEvent) -> bool,
    ) -> Result<NodeEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) if wanted(&event) => return Ok(event),
                Ok(Some(NodeEvent::Disconnected(reason))) => {
                    return Err(Error::mqtt("node", format!("disconnected: {reason}")));
                }
                Ok(Some(_)) => {}
                Ok(None) => return Err(Error::mqtt("node", "the node task ended")),
                Err(_) => {
                    return Err(Error::Timeout {
                        step: step.to_owned(),
                        waited: timeout,
                    });
                }
            }
        }
    }
}

impl NodeHandle {
    /// The node's current params (every device), as its driver sees them
    /// between two inputs.
    pub async fn snapshot(&self) -> Result<serde_json::Value> {
        let (reply, answer) = oneshot::channel();
        self.control
            .send(Control::Snapshot(reply))
            .map_err(|_| Error::mqtt("node", "the node task ended"))?;
        tokio::time::timeout(Duration::from_secs(5), answer)
            .await
            .map_err(|_| Error::mqtt("node", "no snapshot within 5 s"))?
            .map_err(|_| Error::mqtt("node", "the node task ended"))
    }

    /// Asks the node to stop: sends DISCONNECT and ends its task (bounded).
    pub async fn stop(mut self) {
        let _ = self.control.send(Control::Stop);
        let task = &mut self.task;
        let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
    }
}

/// Requests from the application (the simulated firmware) to the driver.
#[derive(Debug)]
enum Control {
    Input(OwnedInput),
    Snapshot(oneshot::Sender<serde_json::Value>),
    Stop,
}

#[derive(Debug)]
enum OwnedInput {
    OtaStatus {
        job_id: String,
        status: &'static str,
        info: String,
    },
    Temperature(f32),
}

/// Connects `machine` to the broker and drives it until stopped: every
/// CONNACK, message and firmware report goes through [`Machine::handle`],
/// and what it asks for is subscribed and published. Waits (bounded) for the
/// first CONNACK.
pub async fn drive(
    endpoint: &Endpoint,
    machine: impl Machine,
    options: NodeOptions,
    log: Log,
) -> Result<NodeHandle> {
    let (client, mut eventloop) = AsyncClient::new(endpoint.mqtt_options(&options.node_id), 1024);
    // The first CONNACK is awaited here so that a refused connection is an
    // error of `drive`, not a silent retry loop.
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, eventloop.poll()).await {
            Ok(Ok(Event::Incoming(Incoming::ConnAck(_)))) => break,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                return Err(Error::mqtt(
                    "node",
                    format!("cannot connect to {endpoint}: {}", connection_error(&e)),
                ));
            }
            Err(_) => {
                return Err(Error::mqtt(
                    "node",
                    format!(
                        "no CONNACK from {endpoint} within {} s",
                        CONNECT_TIMEOUT.as_secs()
                    ),
                ));
            }
        }
    }
    log.line(
        Direction::Node,
        format!("connected to {endpoint} as {}", options.node_id),
    );
    let (event_tx, events) = mpsc::unbounded_channel();
    let (control_tx, control_rx) = mpsc::unbounded_channel();
    let driver = Driver {
        machine,
        client,
        log,
        events: event_tx,
        control: control_tx.clone(),
        tap: options.ingest_tap,
    };
    let task = tokio::spawn(driver.run(eventloop, control_rx));
    tokio::spawn(simulate_sensor(control_tx.clone()));
    Ok(NodeHandle {
        events,
        task,
        control: control_tx,
    })
}

struct Driver<M> {
    machine: M,
    client: AsyncClient,
    log: Log,
    events: mpsc::UnboundedSender<NodeEvent>,
    control: mpsc::UnboundedSender<Control>,
    tap: Option<mpsc::UnboundedSender<Received>>,
}

impl<M: Machine> Driver<M> {
    async fn run(
        mut self,
        mut eventloop: EventLoop,
        mut control: mpsc::UnboundedReceiver<Control>,
    ) {
        self.feed(Input::Connected);
        let mut backoff = RECONNECT_MIN;
        loop {
            tokio::select! {
                event = eventloop.poll() => match event {
                    Ok(Event::Incoming(Incoming::ConnAck(_))) => {
                        self.log.line(Direction::Node, "reconnected");
                        backoff = RECONNECT_MIN;
                        self.feed(Input::Connected);
                    }
                    Ok(Event::Incoming(Incoming::Publish(publish))) => {
                        let payload = publish.payload.to_vec();
                        self.feed(Input::Received { topic: &publish.topic, payload: &payload });
                    }
                    Ok(_) => {}
                    Err(e) => {
                        // rumqttc reconnects on the next poll; wait first,
                        // longer after each failure, and keep serving the
                        // firmware (its publishes queue up meanwhile).
                        let reason = connection_error(&e);
                        self.log.line(
                            Direction::Node,
                            format!(
                                "connection lost: {reason}; reconnecting in {} s",
                                backoff.as_secs()
                            ),
                        );
                        let _ = self.events.send(NodeEvent::Disconnected(reason));
                        self.feed(Input::Disconnected);
                        let wake = Instant::now() + backoff;
                        backoff = (backoff * 2).min(RECONNECT_MAX);
                        loop {
                            tokio::select! {
                                () = tokio::time::sleep_until(wake) => break,
                                request = control.recv() => {
                                    if !self.control(request, &mut eventloop).await {
                                        return;
                                    }
                                }
                            }
                        }
                    }
                },
                request = control.recv() => {
                    if !self.control(request, &mut eventloop).await {
                        return;
                    }
                }
            }
        }
    }

    /// Serves one request of the firmware; `false` once the node is to stop.
    async fn control(&mut self, request: Option<Control>, eventloop: &mut EventLoop) -> bool {
        match request {
            Some(Control::Input(OwnedInput::OtaStatus {
                job_id,
                status,
                info,
            })) => {
                self.feed(Input::OtaStatus {
                    job_id: &job_id,
                    status,
                    info: &info,
                });
                true
            }
            Some(Control::Input(OwnedInput::Temperature(t))) => {
                self.feed(Input::Temperature(t));
                true
            }
            Some(Control::Snapshot(reply)) => {
                let _ = reply.send(self.machine.snapshot());
                true
            }
            Some(Control::Stop) | None => {
                let _ = self.client.try_disconnect();
                // Flush the DISCONNECT, bounded.
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    while eventloop.poll().await.is_ok() {}
                })
                .await;
                false
            }
        }
    }

    /// One input through the machine; its output onto the wire.
    fn feed(&mut self, input: Input<'_>) {
        let topic = match input {
            Input::Received { topic, .. } => topic.to_owned(),
            Input::Connected => "connect".to_owned(),
            Input::Disconnected => "disconnect".to_owned(),
            Input::OtaStatus { .. } => "OTA status report".to_owned(),
            Input::Temperature(_) => "sensor reading".to_owned(),
        };
        match self.machine.handle(input) {
            Ok(output) => self.apply(output),
            Err(error) => {
                let event = NodeEvent::Rejected { topic, error };
                self.log.line(Direction::Node, event.to_string());
                let _ = self.events.send(event);
            }
        }
    }

    fn apply(&mut self, output: Output) {
        for filter in output.unsubscribe {
            if let Err(e) = self.client.try_unsubscribe(filter.as_str()) {
                self.log.line(
                    Direction::Node,
                    format!("cannot unsubscribe from {filter}: {e}"),
                );
            }
        }
        for filter in output.subscribe {
            if let Err(e) = self.client.try_subscribe(filter.as_str(), QoS::AtLeastOnce) {
                self.log.line(
                    Direction::Node,
                    format!("cannot subscribe to {filter}: {e}"),
                );
            }
        }
        for message in output.publish {
            if let Some(tap) = &self.tap
                && message.topic.starts_with("$aws/rules/")
            {
                let _ = tap.send(Received {
                    topic: message.topic.clone(),
                    payload: message.payload.clone(),
                });
            }
            if let Err(e) = self.client.try_publish(
                message.topic.as_str(),
                QoS::AtLeastOnce,
                false,
                message.payload,
            ) {
                self.log.line(
                    Direction::Node,
                    format!("cannot publish to {}: {e}", message.topic),
                );
            }
        }
        for event in output.events {
            self.log.line(Direction::Node, event.to_string());
            if let NodeEvent::OtaOffered { job_id, .. } = &event {
                tokio::spawn(simulate_ota(job_id.clone(), self.control.clone()));
            }
            let _ = self.events.send(event);
        }
    }
}

/// The firmware's sensor: a new temperature every [`SENSOR_PERIOD`], a
/// slow drift around 21.5 °C. Ends when the node stops.
async fn simulate_sensor(control: mpsc::UnboundedSender<Control>) {
    let mut interval = tokio::time::interval(SENSOR_PERIOD);
    interval.tick().await; // The first tick is immediate; boot reports the initial value.
    for step in 1u32.. {
        interval.tick().await;
        let temperature = 21.5 + ((step % 8) as f32 - 4.0) * 0.25;
        if control
            .send(Control::Input(OwnedInput::Temperature(temperature)))
            .is_err()
        {
            return;
        }
    }
}

/// First wait before reconnecting; doubled after each failure.
pub const RECONNECT_MIN: Duration = Duration::from_secs(1);

/// Longest wait before reconnecting.
pub const RECONNECT_MAX: Duration = Duration::from_secs(30);

/// How often the simulated sensor reports.
pub const SENSOR_PERIOD: Duration = Duration::from_secs(1);

/// The firmware's OTA: a simulated download reported step by step, then
/// success. The delays stand for the download; nothing waits on them.
async fn simulate_ota(job_id: String, control: mpsc::UnboundedSender<Control>) {
    let steps: [(&'static str, &str); 5] = [
        ("in-progress", "Starting OTA Upgrade (HTTPS attempt 1/3)"),
        ("in-progress", "Downloaded 50% Firmware Image"),
        ("in-progress", "Firmware Image download complete"),
        (
            "in-progress",
            "Rebooting into new firmware (after 1 HTTPS attempt)",
        ),
        ("success", "OTA Upgrade finished and verified successfully"),
    ];
    for (status, info) in steps {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let request = Control::Input(OwnedInput::OtaStatus {
            job_id: job_id.clone(),
            status,
            info: info.to_owned(),
        });
        if control.send(request).is_err() {
            return;
        }
    }
}

/// Starts the demo node (a [`Light`](crate::devices::Light) and a
/// [`TemperatureSensor`](crate::devices::TemperatureSensor)) on `endpoint`.
pub async fn start(endpoint: &Endpoint, options: NodeOptions, log: Log) -> Result<NodeHandle> {
    let machine = crate::wiring::demo_node(&options)?;
    drive(endpoint, machine, options, log).await
}
