//! `rainmaker sim`: a fleet of nodes (each its own connection, driven by
//! `rainmaker_mqtt::NodeRunner`) and a cloud (`rainmaker_mqtt::Consumer`) on one
//! broker. Each round every node reports a counter (up) and the cloud writes one to
//! every node (down: a params write on odd rounds, a cmd-1 request on even ones);
//! everything is counted both ways, with latency.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rainmaker_mqtt::{Backoff, Broker, Consumer, NodeHandle, NodeRunner, RunnerEvent};
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::{Event, Node};
use rainmaker_types::tlv::UserRole;
use rainmaker_types::{Device, Message, NodeId, ParamsDocument, ToNodeFrame, Topic};
use serde::Serialize;

use crate::Output;
use crate::error::Error;

/// What a simulated node is: one counter the node reports, one the cloud writes.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Sim", r#type = "esp.device.other")]
struct Counters {
    #[param(name = "Up", r#type = "esp.param.counter", read_only, primary)]
    up: i64,
    #[param(name = "Down", r#type = "esp.param.counter")]
    down: i64,
}

/// The run's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The broker.
    pub broker: Broker,
    /// How many nodes.
    pub nodes: usize,
    /// How many rounds.
    pub rounds: usize,
    /// The pause between rounds.
    pub interval: Duration,
    /// How long to wait for what is still in flight after the last round.
    pub settle: Duration,
    /// Where to write the JSON summary.
    pub json: Option<PathBuf>,
}

/// One direction's bookkeeping: when each (node, round) was sent and received.
#[derive(Debug, Default)]
struct Ledger {
    sent: HashMap<(usize, i64), Instant>,
    received: HashMap<(usize, i64), Instant>,
    duplicates: u64,
}

impl Ledger {
    fn receive(&mut self, key: (usize, i64), at: Instant) {
        if self.received.insert(key, at).is_some() {
            self.duplicates += 1;
        }
    }

    /// The first few (node, round) pairs sent and never received.
    fn missing(&self, ids: &[String]) -> Vec<String> {
        let mut missing: Vec<&(usize, i64)> = self
            .sent
            .keys()
            .filter(|key| !self.received.contains_key(key))
            .collect();
        missing.sort();
        missing
            .into_iter()
            .take(10)
            .map(|(node, round)| {
                format!(
                    "{} round {round}",
                    ids.get(*node).map_or("?", String::as_str)
                )
            })
            .collect()
    }

    fn summary(&self, expected: usize) -> DirectionSummary {
        let mut latencies: Vec<f64> = self
            .received
            .iter()
            .filter_map(|(key, at)| {
                let sent = self.sent.get(key)?;
                Some(at.saturating_duration_since(*sent).as_secs_f64() * 1000.0)
            })
            .collect();
        latencies.sort_by(f64::total_cmp);
        let received = self.received.len();
        DirectionSummary {
            expected,
            received,
            lost: expected.saturating_sub(received),
            duplicates: self.duplicates,
            latency_ms: Latency {
                p50: percentile(&latencies, 0.50),
                p99: percentile(&latencies, 0.99),
                max: latencies.last().copied().unwrap_or(0.0),
            },
        }
    }
}

/// What a run counted, as `--summary FILE` and `--json` write it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// How many nodes.
    pub nodes: usize,
    /// How many rounds.
    pub rounds: usize,
    /// The broker.
    pub broker: String,
    /// The run's duration.
    pub elapsed_s: f64,
    /// Node to cloud.
    pub up: DirectionSummary,
    /// Cloud to node.
    pub down: DirectionSummary,
    /// `from-node` answers the cloud received.
    pub command_answers: u64,
    /// Messages the cloud could not decode.
    pub decode_errors: u64,
    /// Reconnections of the nodes.
    pub reconnects: u64,
    /// Inputs the nodes refused.
    pub refused: u64,
    /// Why the first one was refused.
    pub first_refusal: Option<String>,
    /// The longest time a node was offline.
    pub longest_outage_ms: f64,
}

/// One direction of a run.
#[derive(Debug, Clone, Serialize)]
pub struct DirectionSummary {
    /// Messages sent.
    pub expected: usize,
    /// Distinct messages received.
    pub received: usize,
    /// Sent and never received.
    pub lost: usize,
    /// Received more than once.
    pub duplicates: u64,
    /// Delivery latency.
    pub latency_ms: Latency,
}

/// Latency percentiles, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// The median.
    pub p50: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The slowest.
    pub max: f64,
}

fn percentile(sorted: &[f64], rank: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * rank).round() as usize;
    sorted.get(index).copied().unwrap_or(0.0)
}

/// Everything counted during the run.
#[derive(Debug, Default)]
struct Tally {
    up: Ledger,
    down: Ledger,
    decode_errors: u64,
    booted: Vec<bool>,
    answers: u64,
    reconnects: u64,
    /// Inputs the nodes refused, and the first reason.
    refused: u64,
    first_refusal: Option<String>,
    /// Per node: when its connection dropped, while it is down.
    down_since: HashMap<usize, Instant>,
    longest_outage: Duration,
}

/// Runs the simulation and reports; fails when anything was lost.
///
/// # Errors
///
/// [`Error::Broker`] when the broker cannot be reached, [`Error::Boot`] when nodes do
/// not boot, [`Error::Lost`] when messages were lost or undecodable.
pub async fn run(settings: Settings, output: Output) -> Result<(), Error> {
    let started = Instant::now();
    let tally = Arc::new(Mutex::new(Tally {
        booted: vec![false; settings.nodes],
        ..Tally::default()
    }));
    let run_id = format!("{:x}", std::process::id());
    let ids: Vec<String> = (0..settings.nodes)
        .map(|index| format!("SIM{run_id}N{index:05}"))
        .collect();
    let index_of: Arc<HashMap<String, usize>> = Arc::new(
        ids.iter()
            .enumerate()
            .map(|(index, id)| (id.clone(), index))
            .collect(),
    );

    let consumer = Consumer::connect(
        &settings.broker,
        &format!("rainmaker-sim-cloud-{run_id}"),
        None,
    )
    .await?;
    let publisher = consumer.publisher();
    let mut consumer = consumer;
    {
        let tally = tally.clone();
        let index_of = index_of.clone();
        tokio::spawn(async move {
            while let Some(delivery) = consumer.next().await {
                let mut tally = tally
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let envelope = match delivery.decode() {
                    Ok(envelope) => envelope,
                    Err(_) => {
                        tally.decode_errors += 1;
                        continue;
                    }
                };
                let Some(&node) = index_of.get(envelope.topic().node_id().as_str()) else {
                    continue;
                };
                match envelope.message() {
                    Message::ParamsLocalInit(_) => {
                        if let Some(booted) = tally.booted.get_mut(node) {
                            *booted = true;
                        }
                    }
                    Message::ParamsLocal(doc) => {
                        if let Some(up) = doc
                            .get(Counters::NAME, Counters::PARAM_UP)
                            .and_then(|v| v.as_i64())
                        {
                            tally.up.receive((node, up), delivery.received_at);
                        }
                    }
                    Message::FromNode(_) => tally.answers += 1,
                    _ => {}
                }
            }
        });
    }

    let progress = ProgressBar::new((settings.nodes * settings.rounds) as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_message("starting nodes");
    let mut handles: Vec<NodeHandle> = Vec::with_capacity(settings.nodes);
    let mut node_ids: Vec<NodeId> = Vec::with_capacity(settings.nodes);
    for (index, id) in ids.iter().enumerate() {
        let info = NodeInfo::new("Sim", "1.0", "Sim", "sim", "sim", NodeInfoPlatform::Esp32);
        let node_id = NodeId::new(id.clone()).map_err(|source| Error::SimNodeId {
            id: id.clone(),
            source,
        })?;
        node_ids.push(node_id.clone());
        let mut node = Node::new(node_id, info);
        node.add_device(Counters { up: 0, down: 0 })
            .map_err(|source| Error::SimNode {
                node: id.clone(),
                source,
            })?;
        let runner = NodeRunner::new(node, settings.broker.clone()).with_backoff(Backoff::new(
            Duration::from_millis(100),
            Duration::from_secs(2),
        ));
        let (handle, mut events) = runner.spawn()?;
        handles.push(handle);
        let tally = tally.clone();
        tokio::spawn(async move {
            let mut connected_once = false;
            while let Some(event) = events.recv().await {
                let mut tally = tally
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match event {
                    RunnerEvent::Node(event) => {
                        if let Event::ParamsWritten { accepted, .. } = event.as_ref()
                            && let Some(down) = accepted
                                .get(Counters::NAME, Counters::PARAM_DOWN)
                                .and_then(|v| v.as_i64())
                        {
                            tally.down.receive((index, down), Instant::now());
                        }
                    }
                    RunnerEvent::Connected { .. } => {
                        if connected_once {
                            tally.reconnects += 1;
                        }
                        connected_once = true;
                        if let Some(since) = tally.down_since.remove(&index) {
                            tally.longest_outage = tally.longest_outage.max(since.elapsed());
                        }
                    }
                    RunnerEvent::Disconnected { .. } => {
                        tally.down_since.entry(index).or_insert_with(Instant::now);
                    }
                    RunnerEvent::Refused { error, .. } => {
                        tally.refused += 1;
                        if tally.first_refusal.is_none() {
                            tally.first_refusal = Some(error.to_string());
                        }
                    }
                    _ => {}
                }
            }
        });
    }

    // Every node has booted when the cloud has its init.
    progress.set_message("waiting for every node to boot");
    let boot_deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let booted = tally
            .lock()
            .map(|tally| tally.booted.iter().filter(|booted| **booted).count())
            .unwrap_or(0);
        if booted == settings.nodes {
            break;
        }
        if Instant::now() > boot_deadline {
            progress.finish_and_clear();
            return Err(Error::Boot {
                booted,
                nodes: settings.nodes,
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    progress.set_message("rounds");
    for round in 1..=settings.rounds {
        let value = i64::try_from(round).unwrap_or(i64::MAX);
        for (index, handle) in handles.iter().enumerate() {
            if let Ok(mut tally) = tally.lock() {
                tally.up.sent.insert((index, value), Instant::now());
            }
            let _ = handle
                .update_device(Counters::NAME, move |counters: &mut Counters| {
                    counters.up = value;
                })
                .await;
            progress.inc(1);
        }
        // The same write for every node this round.
        let mut write = ParamsDocument::new();
        write.insert(Counters::NAME, Counters::PARAM_DOWN, value);
        for (index, node_id) in node_ids.iter().enumerate() {
            let node_id = node_id.clone();
            if let Ok(mut tally) = tally.lock() {
                tally.down.sent.insert((index, value), Instant::now());
            }
            let sent = if round % 2 == 1 {
                publisher
                    .write_params(&Topic::ParamsRemote { node_id }, &write)
                    .await
            } else {
                let request_id = format!("r{round}n{index}");
                match ToNodeFrame::set_params(request_id, UserRole::PRIMARY_USER, &write) {
                    Ok(frame) => {
                        publisher
                            .publish(&Topic::ToNode { node_id }, frame.as_bytes().to_vec())
                            .await
                    }
                    Err(error) => {
                        progress.println(format!("cloud: cannot encode cmd 1: {error}"));
                        Ok(())
                    }
                }
            };
            if let Err(error) = sent {
                progress.println(format!("cloud: {error}"));
            }
        }
        tokio::time::sleep(settings.interval).await;
    }

    // What is still in flight.
    progress.set_message("settling");
    let expected = settings.nodes * settings.rounds;
    let settle_deadline = Instant::now() + settings.settle;
    loop {
        let done = tally
            .lock()
            .map(|tally| {
                tally.up.received.len() >= expected && tally.down.received.len() >= expected
            })
            .unwrap_or(false);
        if done || Instant::now() > settle_deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    progress.finish_and_clear();
    for handle in &handles {
        let _ = handle.shutdown().await;
    }

    let tally = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let summary = Summary {
        nodes: settings.nodes,
        rounds: settings.rounds,
        broker: settings.broker.to_string(),
        elapsed_s: started.elapsed().as_secs_f64(),
        up: tally.up.summary(expected),
        down: tally.down.summary(expected),
        command_answers: tally.answers,
        decode_errors: tally.decode_errors,
        reconnects: tally.reconnects,
        refused: tally.refused,
        first_refusal: tally.first_refusal.clone(),
        longest_outage_ms: tally.longest_outage.as_secs_f64() * 1000.0,
    };
    if let Some(path) = &settings.json {
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        std::fs::write(path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    match output {
        Output::Json => println!("{}", serde_json::to_string(&summary).unwrap_or_default()),
        Output::Human => print!("{}", human(&summary)),
    }
    for (direction, ledger) in [("up", &tally.up), ("down", &tally.down)] {
        let missing = ledger.missing(&ids);
        if !missing.is_empty() {
            eprintln!(
                "rainmaker: {direction} never arrived: {}",
                missing.join(", ")
            );
        }
    }
    let lost = summary.up.lost + summary.down.lost;
    if lost > 0 || tally.decode_errors > 0 {
        return Err(Error::Lost {
            lost: lost as u64,
            duplicates: summary.up.duplicates + summary.down.duplicates,
            undecodable: tally.decode_errors,
        });
    }
    Ok(())
}

/// The summary as a small table.
fn human(summary: &Summary) -> String {
    let mut text = format!(
        "{} nodes, {} rounds on {} in {:.1} s\n",
        summary.nodes, summary.rounds, summary.broker, summary.elapsed_s
    );
    text.push_str("direction  expected  received  lost  duplicates  p50 ms  p99 ms\n");
    for (direction, d) in [("up", &summary.up), ("down", &summary.down)] {
        text.push_str(&format!(
            "{direction:<9}  {:>8}  {:>8}  {:>4}  {:>10}  {:>6.1}  {:>6.1}\n",
            d.expected, d.received, d.lost, d.duplicates, d.latency_ms.p50, d.latency_ms.p99,
        ));
    }
    text.push_str(&format!(
        "command answers {}, undecodable {}, reconnects {}, longest outage {:.0} ms\n",
        summary.command_answers,
        summary.decode_errors,
        summary.reconnects,
        summary.longest_outage_ms
    ));
    text
}
