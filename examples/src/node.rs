//! The node side: the demo's `Node` run over MQTT by
//! [`rainmaker_mqtt::NodeRunner`], plus the bits of "firmware" the demo needs
//! (a sensor, an OTA download simulation) and one log line per event.

use std::fmt;
use std::time::Duration;

use rainmaker_mqtt::{Backoff, Broker, NodeRunner, RunnerEvent};
use rainmaker_tlv::{Command, Status};
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::node::Node;
use rainmaker_types::runtime::INGEST_PREFIX;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::devices::TemperatureSensor;
use crate::error::{Error, Result};
use crate::mqtt::{CONNECT_TIMEOUT, Received};
use crate::print::{Direction, Log};

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

/// The running node: the runner's handle, its events, and the firmware tasks.
#[derive(Debug)]
pub struct NodeHandle {
    runner: rainmaker_mqtt::NodeHandle,
    events: mpsc::UnboundedReceiver<NodeEvent>,
    /// The firmware's tasks, stopped when the handle is dropped.
    _tasks: JoinSet<()>,
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

    /// The node's current params (every device), between two inputs.
    pub async fn snapshot(&self) -> Result<serde_json::Value> {
        let read = self
            .runner
            .inspect(|node| serde_json::to_value(node.params()).unwrap_or_default());
        tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .map_err(|_| Error::mqtt("node", "no snapshot within 5 s"))?
            .map_err(|e| Error::mqtt("node", e))
    }

    /// Stops the node: sends what is queued and DISCONNECT (bounded).
    pub async fn stop(self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.runner.shutdown()).await;
    }
}

/// First wait before reconnecting; doubled after each failure.
pub const RECONNECT_MIN: Duration = Duration::from_secs(1);

/// Longest wait before reconnecting.
pub const RECONNECT_MAX: Duration = Duration::from_secs(30);

/// How often the simulated sensor reports.
pub const SENSOR_PERIOD: Duration = Duration::from_secs(1);

/// Starts the demo node (a [`Light`](crate::devices::Light) and a
/// [`TemperatureSensor`]) on `broker` and waits (at most [`CONNECT_TIMEOUT`])
/// for the broker to accept it.
pub async fn start(broker: &Broker, options: NodeOptions, log: Log) -> Result<NodeHandle> {
    let node = crate::wiring::demo_node(&options.node_id, options.ingest)?;
    let mut runner = NodeRunner::new(node, broker.clone())
        .with_backoff(Backoff::new(RECONNECT_MIN, RECONNECT_MAX));
    let mut tasks = JoinSet::new();
    if let Some(tap) = options.ingest_tap {
        let (copies, mut published) = mpsc::unbounded_channel();
        runner = runner.with_publish_copies(copies);
        tasks.spawn(async move {
            while let Some(publish) = published.recv().await {
                if publish.topic.starts_with(INGEST_PREFIX) {
                    let _ = tap.send(Received {
                        topic: publish.topic,
                        payload: publish.payload,
                    });
                }
            }
        });
    }
    let (runner, mut runner_events) = runner.spawn().map_err(|e| Error::mqtt("node", e))?;
    // A refused first connection is an error of `start`, not a silent retry loop.
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, runner_events.recv()).await {
            Ok(Some(RunnerEvent::Connected { .. })) => break,
            Ok(Some(RunnerEvent::Disconnected { error, .. })) => {
                return Err(Error::mqtt(
                    "node",
                    format!("cannot connect to {broker}: {error}"),
                ));
            }
            Ok(Some(_)) => {}
            Ok(None) => return Err(Error::mqtt("node", "the node task ended")),
            Err(_) => {
                return Err(Error::mqtt(
                    "node",
                    format!(
                        "no CONNACK from {broker} within {} s",
                        CONNECT_TIMEOUT.as_secs()
                    ),
                ));
            }
        }
    }
    log.line(
        Direction::Node,
        format!("connected to {broker} as {}", options.node_id),
    );
    let (events_tx, events) = mpsc::unbounded_channel();
    let pump = EventPump {
        node_id: options.node_id,
        runner: runner.clone(),
        log,
        events: events_tx,
    };
    tasks.spawn(pump.run(runner_events));
    tasks.spawn(simulate_sensor(runner.clone()));
    Ok(NodeHandle {
        runner,
        events,
        _tasks: tasks,
    })
}

/// Turns the runner's events into the demo's: a log line each, an OTA
/// simulation for each offer.
struct EventPump {
    node_id: String,
    runner: rainmaker_mqtt::NodeHandle,
    log: Log,
    events: mpsc::UnboundedSender<NodeEvent>,
}

impl EventPump {
    async fn run(self, mut runner_events: mpsc::Receiver<RunnerEvent>) {
        while let Some(event) = runner_events.recv().await {
            match event {
                RunnerEvent::Connected { .. } => self.log.line(Direction::Node, "reconnected"),
                RunnerEvent::Disconnected { ref error, .. } => {
                    self.log.line(Direction::Node, event.to_string());
                    let _ = self.events.send(NodeEvent::Disconnected(error.to_string()));
                }
                RunnerEvent::Node(event) => {
                    for event in crate::wiring::events(&self.node_id, *event) {
                        self.emit(event);
                    }
                }
                RunnerEvent::Refused { topic, error } => self.emit(NodeEvent::Rejected {
                    topic: topic.unwrap_or_else(|| "a connection event".to_owned()),
                    error: error.to_string(),
                }),
                RunnerEvent::Acknowledged { .. } => {}
                other => self.log.line(Direction::Node, other.to_string()),
            }
        }
    }

    fn emit(&self, event: NodeEvent) {
        self.log.line(Direction::Node, event.to_string());
        if let NodeEvent::OtaOffered { .. } = &event {
            tokio::spawn(simulate_ota(self.runner.clone()));
        }
        let _ = self.events.send(event);
    }
}

/// The firmware's sensor: a new temperature every [`SENSOR_PERIOD`], a
/// slow drift around 21.5 °C. Ends when the node stops.
async fn simulate_sensor(runner: rainmaker_mqtt::NodeHandle) {
    let mut interval = tokio::time::interval(SENSOR_PERIOD);
    interval.tick().await; // The first tick is immediate; boot reports the initial value.
    for step in 1u32.. {
        interval.tick().await;
        let temperature = 21.5 + ((step % 8) as f32 - 4.0) * 0.25;
        let reported = runner
            .update(move |node: &mut Node, now| {
                if let Some(sensor) = node.device_mut::<TemperatureSensor>(TemperatureSensor::NAME)
                {
                    sensor.temperature = temperature;
                }
                node.report_changes(now)
            })
            .await;
        if matches!(reported, Err(rainmaker_mqtt::Error::Stopped)) {
            return;
        }
    }
}

/// The firmware's OTA: a simulated download reported step by step, then
/// success, for the node's current job. The delays stand for the download;
/// nothing waits on them.
async fn simulate_ota(runner: rainmaker_mqtt::NodeHandle) {
    let steps = [
        (
            OtaJobStatus::InProgress,
            "Starting OTA Upgrade (HTTPS attempt 1/3)",
        ),
        (OtaJobStatus::InProgress, "Downloaded 50% Firmware Image"),
        (OtaJobStatus::InProgress, "Firmware Image download complete"),
        (
            OtaJobStatus::InProgress,
            "Rebooting into new firmware (after 1 HTTPS attempt)",
        ),
        (
            OtaJobStatus::Success,
            "OTA Upgrade finished and verified successfully",
        ),
    ];
    for (status, info) in steps {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let reported = runner
            .update(move |node: &mut Node, now| {
                node.report_ota_status(now, status, info)
                    .map(rainmaker_types::node::Output::from)
            })
            .await;
        if reported.is_err() {
            // The node stopped, or another job replaced this one.
            return;
        }
    }
}
