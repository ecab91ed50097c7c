//! The demo node's make-up: its `rainmaker_types::node::Node` with the demo's
//! devices, and how its events read in the demo's log.

use rainmaker_types::NodeId;
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::{Event, Node, WriteSource};
use rainmaker_types::services::Schedule;

use crate::devices::{Light, TemperatureSensor};
use crate::error::{Error, Result};
use crate::node::NodeEvent;

/// The firmware version the demo node reports.
pub const FIRMWARE_VERSION: &str = "1.0";

/// The demo node `node_id`: a [`Light`], a [`TemperatureSensor`] and the schedule
/// service, on basic-ingest topics when `ingest` is set.
pub fn demo_node(node_id: &str, ingest: bool) -> Result<Node> {
    let node_id =
        NodeId::new(node_id).map_err(|e| Error::Config(format!("node id {node_id:?}: {e}")))?;
    let info = NodeInfo::new(
        "RainMaker demo node",
        FIRMWARE_VERSION,
        "Lightbulb",
        "rainmaker-demo",
        "rainmaker-demo",
        NodeInfoPlatform::Esp32c3,
    );
    let mut node = Node::new(node_id, info)
        .with_ingest_topics(ingest)
        .with_ota_over_topics();
    node.add_device(Light::default())
        .and_then(|node| node.add_device(TemperatureSensor::default()))
        .and_then(|node| node.add_service(Schedule::default()))
        .map_err(|e| Error::Config(e.to_string()))?;
    Ok(node)
}

/// The demo's events for one event of node `node_id`.
pub fn events(node_id: &str, event: Event) -> Vec<NodeEvent> {
    let topic = |suffix: &str| format!("node/{node_id}/{suffix}");
    match event {
        Event::ParamsWritten {
            source,
            accepted,
            rejected,
        } => {
            let topic = match source {
                WriteSource::Remote => topic("params/remote"),
                WriteSource::RemoteGroup => topic("params/remote/<group>"),
                WriteSource::Command => topic("to-node"),
                other => other.to_string(),
            };
            let mut events = Vec::new();
            if !accepted.is_empty() {
                events.push(NodeEvent::Applied {
                    topic: topic.clone(),
                    params: serde_json::to_string(&accepted).unwrap_or_else(|e| format!("<{e}>")),
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
        other => vec![NodeEvent::Note(other.to_string())],
    }
}
