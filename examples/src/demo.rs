//! The demo: options, set-up (broker, cloud, node), the conversation, the
//! summary.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use rainmaker_mqtt::{Broker, TlsFiles, TlsIdentity};
use tokio::time::Instant;

use crate::broker::EmbeddedBroker;
use crate::cloud::Cloud;
use crate::error::{Error, Result};
use crate::node::{self, NodeOptions};
use crate::print::{Direction, Log};
use crate::script;

/// The node id used when none is given: a MAC-derived id as self-claiming
/// makes them.
pub const DEFAULT_NODE_ID: &str = "7C9EBD4A1B2C";

/// A RainMaker node (a lightbulb and a temperature sensor) and a simulated
/// RainMaker cloud talking over MQTT. Without options both use an embedded
/// broker on a free loopback port.
#[derive(Debug, Clone, Parser)]
#[command(name = "demo", version)]
pub struct Options {
    /// External broker, e.g. mqtts://broker.example:8883 (X.509 mutual TLS,
    /// needs --ca, --cert and --key) or mqtt://127.0.0.1:1883 (plain TCP).
    #[arg(long, value_name = "URL")]
    pub broker: Option<Broker>,
    /// CA certificate (PEM) that signed the broker's certificate.
    #[arg(long, value_name = "PEM", requires = "broker")]
    pub ca: Option<PathBuf>,
    /// The node's client certificate (PEM); its identity should be the node id.
    #[arg(long, value_name = "PEM", requires = "broker")]
    pub cert: Option<PathBuf>,
    /// The node's private key (PEM).
    #[arg(long, value_name = "PEM", requires = "broker")]
    pub key: Option<PathBuf>,
    /// Certificate of the simulated cloud's client (default: --cert).
    #[arg(long, value_name = "PEM", requires = "cloud_key")]
    pub cloud_cert: Option<PathBuf>,
    /// Private key of the simulated cloud's client (default: --key).
    #[arg(long, value_name = "PEM", requires = "cloud_cert")]
    pub cloud_key: Option<PathBuf>,
    /// Client id of the simulated cloud.
    #[arg(long, value_name = "ID", default_value = "rainmaker-cloud")]
    pub cloud_id: String,
    /// The node id (also the node's MQTT client id).
    #[arg(long, value_name = "ID", default_value = DEFAULT_NODE_ID)]
    pub node_id: String,
    /// Publish node-to-cloud messages on basic-ingest topics
    /// ($aws/rules/RULE/node/ID/...), as the SDK does by default.
    #[arg(long)]
    pub ingest: bool,
    /// Seconds each step of the conversation may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub step_timeout: u64,
    /// Print long lines whole (by default a line stops after 240 characters).
    #[arg(long)]
    pub full_lines: bool,
}

/// Where the demo cuts a printed line unless `--full-lines` is given.
pub const LINE_WIDTH: usize = 240;

/// What a successful run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Steps passed, in order: name, detail, time since start.
    pub steps: Vec<(String, String, Duration)>,
    /// Messages the cloud received from the node.
    pub received: usize,
    /// Messages the cloud sent to the node.
    pub sent: usize,
    /// Wall time of the whole conversation.
    pub elapsed: Duration,
}

/// The brokers of the node and of the cloud: one broker, each side with its
/// own TLS identity. Both use clean sessions: each conversation starts afresh.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Where the node connects, as what.
    pub node: Broker,
    /// Where the cloud connects, as what.
    pub cloud: Broker,
}

impl Endpoints {
    /// The node and the cloud on `broker`, with clean sessions.
    pub fn new(node: Broker, cloud: Broker) -> Self {
        Self {
            node: node.with_persistent_session(false),
            cloud: cloud.with_persistent_session(false),
        }
    }
}

fn external_endpoints(options: &Options, url: &Broker) -> Result<Endpoints> {
    if !url.is_tls() {
        if options.ca.is_some() || options.cert.is_some() || options.key.is_some() {
            return Err(Error::Config(
                "--ca, --cert and --key need an mqtts:// broker".into(),
            ));
        }
        return Ok(Endpoints::new(url.clone(), url.clone()));
    }
    let (Some(ca), Some(cert), Some(key)) = (&options.ca, &options.cert, &options.key) else {
        return Err(Error::Config(
            "an mqtts:// broker needs --ca, --cert and --key (X.509 mutual TLS)".into(),
        ));
    };
    let node_files = TlsFiles {
        ca: ca.clone(),
        cert: cert.clone(),
        key: key.clone(),
    };
    let cloud_files = TlsFiles {
        ca: ca.clone(),
        cert: options.cloud_cert.clone().unwrap_or_else(|| cert.clone()),
        key: options.cloud_key.clone().unwrap_or_else(|| key.clone()),
    };
    let load = |files: &TlsFiles| TlsIdentity::load(files).map_err(Error::from);
    Ok(Endpoints::new(
        url.clone().with_tls(load(&node_files)?),
        url.clone().with_tls(load(&cloud_files)?),
    ))
}

/// Runs the demo: starts the embedded broker unless `--broker` is given,
/// then [`converse`].
pub async fn run(options: Options, log: Log) -> Result<Summary> {
    if options.step_timeout == 0 {
        return Err(Error::Config("--step-timeout must be at least 1".into()));
    }
    // Refuse a bad node id before anything starts.
    rainmaker_types::NodeId::new(&options.node_id)
        .map_err(|e| Error::Config(format!("--node-id {:?}: {e}", options.node_id)))?;
    let (endpoints, embedded) = match &options.broker {
        Some(url) => (external_endpoints(&options, url)?, false),
        None => {
            log.line(Direction::Cloud, "starting the embedded broker (rumqttd)");
            let broker = EmbeddedBroker::start()?;
            let addr = broker.addr();
            log.line(
                Direction::Cloud,
                format!("embedded broker listening on {addr}"),
            );
            let broker = Broker::plain(addr.ip().to_string(), addr.port());
            (Endpoints::new(broker.clone(), broker), true)
        }
    };
    let conversation = Conversation {
        node_id: options.node_id.clone(),
        cloud_id: options.cloud_id.clone(),
        ingest: options.ingest,
        // rumqttd delivers no `$` topic to any subscriber (as AWS IoT hands
        // basic-ingest messages to rules only): the node passes what the
        // broker acknowledged on to the cloud instead.
        ingest_tap: options.ingest && embedded,
        step_timeout: Duration::from_secs(options.step_timeout),
        robustness: false,
    };
    let summary = converse(&endpoints, &conversation, &log).await?;
    print_summary(&log, &summary);
    Ok(summary)
}

/// Who talks, and what the conversation includes.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// The node id (and client id of the node).
    pub node_id: String,
    /// The cloud's client id.
    pub cloud_id: String,
    /// Whether the node uses basic-ingest topics.
    pub ingest: bool,
    /// Whether ingest messages reach the cloud from the node's side rather
    /// than through a subscription (brokers that deliver no `$` topics).
    pub ingest_tap: bool,
    /// How long each step may take.
    pub step_timeout: Duration,
    /// Whether to run the robustness checks after the script.
    pub robustness: bool,
}

/// Connects the cloud, starts the node, and runs the script (and, if asked,
/// the robustness checks).
pub async fn converse(
    endpoints: &Endpoints,
    conversation: &Conversation,
    log: &Log,
) -> Result<Summary> {
    let started = Instant::now();
    let subscribe_ingest = conversation.ingest && !conversation.ingest_tap;
    let mut cloud = Cloud::connect(
        &endpoints.cloud,
        &conversation.cloud_id,
        &conversation.node_id,
        subscribe_ingest,
        log.clone(),
    )
    .await?;
    cloud.set_step_timeout(conversation.step_timeout);
    let node_options = NodeOptions {
        node_id: conversation.node_id.clone(),
        ingest: conversation.ingest,
        ingest_tap: conversation.ingest_tap.then(|| cloud.inbox_sender()),
    };
    if conversation.ingest_tap {
        log.line(
            Direction::Cloud,
            "basic-ingest messages reach the cloud in-process: the broker, like AWS IoT, \
             delivers $aws/rules/ topics to no subscriber",
        );
    }
    let mut node = node::start(&endpoints.node, node_options, log.clone()).await?;
    let mut outcome = script::run(&mut cloud, &mut node).await;
    if outcome.is_ok() && conversation.robustness {
        outcome = script::robustness(&mut cloud, &mut node).await;
    }
    if let Err(error) = outcome {
        // What did happen, before the error says what did not.
        log.raw(String::new());
        log.raw(format!(
            "{} steps passed before the failure",
            cloud.steps().len()
        ));
        for step in cloud.steps() {
            log.raw(step_line(&step.name, &step.detail, step.elapsed));
        }
        node.stop().await;
        cloud.disconnect().await;
        return Err(error);
    }
    let summary = Summary {
        steps: cloud
            .steps()
            .iter()
            .map(|s| (s.name.clone(), s.detail.clone(), s.elapsed))
            .collect(),
        received: cloud.inbox().len(),
        sent: cloud.sent(),
        elapsed: started.elapsed(),
    };
    node.stop().await;
    cloud.disconnect().await;
    Ok(summary)
}

/// One passed step of a summary: time since the start, name, what was seen.
fn step_line(name: &str, detail: &str, at: Duration) -> String {
    format!("  ok  {:>7.3} s  {name:<18} {detail}", at.as_secs_f64())
}

fn print_summary(log: &Log, summary: &Summary) {
    log.raw(String::new());
    log.raw("summary".to_owned());
    for (name, detail, at) in &summary.steps {
        log.raw(step_line(name, detail, *at));
    }
    log.raw(format!(
        "{} steps passed in {:.2} s; {} messages node -> cloud, {} cloud -> node",
        summary.steps.len(),
        summary.elapsed.as_secs_f64(),
        summary.received,
        summary.sent
    ));
}
