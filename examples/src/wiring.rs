//! The demo node: `rainmaker_types::node::Node` with the demo's devices,
//! behind the driver's [`Machine`] interface.

use std::time::{SystemTime, UNIX_EPOCH};

use rainmaker_types::NodeId;
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform, OtaJobStatus};
use rainmaker_types::node::{self, Event, Node, WriteSource};

use crate::devices::{Light, TemperatureSensor};
use crate::error::{Error, Result};
use crate::node::{Input, Machine, NodeEvent, NodeOptions, Outbound, Output};

/// The firmware version the demo node reports.
pub const FIRMWARE_VERSION: &str = "1.0";

/// The demo node: a [`Node`] holding a [`Light`] and a [`TemperatureSensor`].
#[derive(Debug)]
pub struct DemoNode {
    node: Node,
}

/// Builds the demo node for `options.node_id`.
pub fn demo_node(options: &NodeOptions) -> Result<DemoNode> {
    let node_id = NodeId::new(&options.node_id)
        .map_err(|e| Error::Config(format!("node id {:?}: {e}", options.node_id)))?;
    let info = NodeInfo {
        name: "RainMaker demo node".into(),
        fw_version: FIRMWARE_VERSION.into(),
        r#type: "Lightbulb".into(),
        subtype: None,
        readme: None,
        model: "rainmaker-demo".into(),
        project_name: "rainmaker-demo".into(),
        platform: NodeInfoPlatform::Esp32c3,
        secure_boot_digest: None,
        extra: Default::default(),
    };
    let mut node = Node::new(node_id, info)
        .with_ingest_topics(options.ingest)
        .with_ota_over_topics();
    node.add_device(Light::default())
        .and_then(|node| node.add_device(TemperatureSensor::default()))
        .map_err(|e| Error::Config(e.to_string()))?;
    Ok(DemoNode { node })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl DemoNode {
    fn topic(&self, suffix: &str) -> String {
        format!("node/{}/{suffix}", self.node.node_id())
    }

    fn convert(&self, output: node::Output) -> Output {
        let publish = output
            .publish
            .into_iter()
            .map(|p| Outbound {
                topic: p.topic,
                payload: p.payload,
            })
            .collect();
        let events = output
            .events
            .into_iter()
            .flat_map(|event| self.events(event))
            .collect();
        Output {
            unsubscribe: output.unsubscribe,
            subscribe: output.subscribe,
            publish,
            events,
        }
    }

    fn events(&self, event: Event) -> Vec<NodeEvent> {
        match event {
            Event::ParamsWritten {
                source,
                accepted,
                rejected,
            } => {
                let topic = match source {
                    WriteSource::Remote => self.topic("params/remote"),
                    WriteSource::RemoteGroup => self.topic("params/remote/<group>"),
                    WriteSource::Command => self.topic("to-node"),
                };
                let mut events = Vec::new();
                if !accepted.is_empty() {
                    events.push(NodeEvent::Applied {
                        topic: topic.clone(),
                        params: serde_json::to_string(&accepted)
                            .unwrap_or_else(|e| format!("<{e}>")),
                    });
                }
                if !rejected.is_empty() {
                    let error = rejected
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ");
                    events.push(NodeEvent::Rejected { topic, error });
                }
                events
            }
            Event::OtaOffered(job) => vec![NodeEvent::OtaOffered {
                job_id: job.ota_job_id,
                fw_version: job.fw_version,
            }],
            Event::OtaIgnored(job) => vec![NodeEvent::Note(format!(
                "OTA job {} ignored: another job is running",
                job.ota_job_id
            ))],
            Event::CommandAnswered {
                command,
                request_id: _,
                status,
                error,
            } => vec![NodeEvent::CommandAnswered {
                command,
                status,
                error: error.map(|e| e.to_string()),
            }],
            Event::CommandDeferred(_) => {
                vec![NodeEvent::Note("a command answer was deferred".into())]
            }
        }
    }
}

impl Machine for DemoNode {
    fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(self.node.params()).unwrap_or_default()
    }

    fn handle(&mut self, input: Input<'_>) -> Result<Output, String> {
        self.node.set_time(now());
        let output = match input {
            Input::Connected => self.node.handle(node::Input::Connected),
            Input::Disconnected => self.node.handle(node::Input::Disconnected),
            Input::Received { topic, payload } => {
                self.node.handle(node::Input::Received { topic, payload })
            }
            Input::OtaStatus {
                job_id: _,
                status,
                info,
            } => {
                let status = match status {
                    "in-progress" => OtaJobStatus::InProgress,
                    "success" => OtaJobStatus::Success,
                    "failed" => OtaJobStatus::Failed,
                    "delayed" => OtaJobStatus::Delayed,
                    "rejected" => OtaJobStatus::Rejected,
                    other => return Err(format!("unknown OTA status {other:?}")),
                };
                self.node
                    .report_ota_status(status, info)
                    .map(|publish| node::Output {
                        publish: vec![publish],
                        ..node::Output::default()
                    })
            }
            Input::Temperature(celsius) => {
                let Some(sensor) = self
                    .node
                    .device_mut::<TemperatureSensor>("Temperature Sensor")
                else {
                    return Err("no temperature sensor".into());
                };
                sensor.temperature = celsius;
                self.node.report_changes()
            }
        };
        output
            .map(|output| self.convert(output))
            .map_err(|e| e.to_string())
    }
}
