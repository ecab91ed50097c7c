//! `rainmaker sim`: a fleet of nodes (each its own connection, driven by
//! `rainmaker_mqtt::NodeRunner`) and a cloud (`rainmaker_mqtt::Consumer`) on one
//! broker. Each round every node reports a counter (up) and the cloud writes one to
//! every node (down: a params write on odd rounds, a cmd-1 request on even ones);
//! everything is counted both ways, with latency.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rainmaker_mqtt::{Backoff, Broker, Consumer, NodeHandle, NodeRunner, RunnerEvent, TlsOptions};
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
    /// How long the nodes get to boot.
    pub boot: Duration,
    /// Whether messages received twice are fine (QoS 1 is at least once: a
    /// broker restart can deliver one again).
    pub allow_duplicates: bool,
    /// Where the nodes' own certificates are, if each node has one.
    pub cert_dir: Option<CertDir>,
}

/// The nodes' certificates: `<node id>.pem` and `<node id>.key` in `dir`; the
/// nodes take the ids of the files, and each connects with its own identity
/// (so that a broker with a per-node ACL can be load-tested).
#[derive(Debug, Clone)]
pub struct CertDir {
    /// The folder.
    pub dir: PathBuf,
    /// The URL of the broker, as given.
    pub url: Broker,
    /// The TLS settings the nodes share (CA, server name, ALPN).
    pub tls: TlsOptions,
}

impl CertDir {
    /// The node ids of the folder's identities (a `.pem` with its `.key`), sorted;
    /// the first `nodes`.
    fn node_ids(&self, nodes: usize) -> Result<Vec<String>, Error> {
        let unreadable = |source| Error::Read {
            path: self.dir.clone(),
            source,
        };
        let mut ids = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path.extension().is_some_and(|ext| ext == "pem")
                && path.with_extension("key").is_file()
                && let Some(id) = path.file_stem().and_then(|stem| stem.to_str())
            {
                ids.push(id.to_owned());
            }
        }
        ids.sort();
        if ids.len() < nodes {
            return Err(Error::CertDir {
                dir: self.dir.clone(),
                found: ids.len(),
                nodes,
            });
        }
        ids.truncate(nodes);
        Ok(ids)
    }

    /// The broker as node `id` reaches it, with its own certificate.
    fn broker_for(&self, id: &str) -> Result<Broker, Error> {
        let tls = TlsOptions {
            cert: Some(self.dir.join(format!("{id}.pem"))),
            key: Some(self.dir.join(format!("{id}.key"))),
            ..self.tls.clone()
        };
        Ok(tls.apply(self.url.clone())?)
    }
}

/// How many rounds a ledger keeps open: a message that arrives after its round
/// left the window is counted late (a failure), and the bookkeeping stays the
/// same size however many rounds the run has.
const WINDOW_ROUNDS: usize = 256;

/// One direction's bookkeeping over a sliding window of rounds: per open round,
/// when each node's message was sent and whether it arrived. A round that leaves
/// the window is settled into the totals.
#[derive(Debug)]
struct Ledger {
    nodes: usize,
    /// Whether a later value stands for the earlier ones that never came: a
    /// node reports its state, and changes made while it was offline go out
    /// merged into one report.
    merges: bool,
    /// The open rounds, the oldest first; the first is `first_round`.
    window: VecDeque<Round>,
    first_round: i64,
    received: usize,
    lost: usize,
    merged: usize,
    duplicates: u64,
    late: u64,
    /// The first few (node, round) pairs lost.
    missing: Vec<(usize, i64)>,
    latency: Histogram,
}

/// One round of one direction.
#[derive(Debug)]
struct Round {
    sent: Vec<Option<Instant>>,
    received: Vec<bool>,
}

impl Ledger {
    fn new(nodes: usize, merges: bool) -> Self {
        Self {
            nodes,
            merges,
            window: VecDeque::new(),
            first_round: 1,
            received: 0,
            lost: 0,
            merged: 0,
            duplicates: 0,
            late: 0,
            missing: Vec::new(),
            latency: Histogram::default(),
        }
    }

    /// Records that `node`'s message of `round` was sent, opening the rounds up
    /// to `round` (and settling those that leave the window).
    fn sent(&mut self, node: usize, round: i64, at: Instant) {
        if round < self.first_round {
            return;
        }
        while self.first_round.saturating_add(self.window.len() as i64) <= round {
            self.window.push_back(Round {
                sent: vec![None; self.nodes],
                received: vec![false; self.nodes],
            });
            if self.window.len() > WINDOW_ROUNDS {
                self.settle_oldest();
            }
        }
        if let Some(slot) = self.open(round).and_then(|open| open.sent.get_mut(node)) {
            *slot = Some(at);
        }
    }

    /// The open round `round`, if it is open.
    fn open(&mut self, round: i64) -> Option<&mut Round> {
        let index = usize::try_from(round.checked_sub(self.first_round)?).ok()?;
        self.window.get_mut(index)
    }

    /// Records that `node`'s message of `round` arrived at `at`. A message of a
    /// round never sent (no such value was written) is ignored.
    fn receive(&mut self, node: usize, round: i64, at: Instant) {
        if round < self.first_round {
            self.late += 1;
            return;
        }
        let Some(open) = self.open(round) else {
            return;
        };
        let sent = open.sent.get(node).copied().flatten();
        match open.received.get_mut(node) {
            Some(true) => self.duplicates += 1,
            Some(seen) => {
                *seen = true;
                self.received += 1;
                if let Some(sent) = sent {
                    self.latency.record(at.saturating_duration_since(sent));
                }
            }
            None => return,
        }
        if self.merges {
            let index = usize::try_from(round - self.first_round).unwrap_or(0);
            for earlier in self.window.range_mut(..index) {
                if let (Some(Some(_)), Some(seen @ false)) =
                    (earlier.sent.get(node), earlier.received.get_mut(node))
                {
                    *seen = true;
                    self.merged += 1;
                }
            }
        }
    }

    /// Settles the oldest open round: what was sent and never received is lost.
    fn settle_oldest(&mut self) {
        let Some(round) = self.window.pop_front() else {
            return;
        };
        for (node, (sent, received)) in round.sent.iter().zip(&round.received).enumerate() {
            if sent.is_some() && !received {
                self.lost += 1;
                if self.missing.len() < 10 {
                    self.missing.push((node, self.first_round));
                }
            }
        }
        self.first_round += 1;
    }

    /// Settles every open round.
    fn settle(&mut self) {
        while !self.window.is_empty() {
            self.settle_oldest();
        }
    }

    /// How many messages are accounted for: arrived, or merged into a later one.
    fn received(&self) -> usize {
        self.received + self.merged
    }

    /// The first few (node, round) pairs lost, by node id.
    fn missing(&self, ids: &[String]) -> Vec<String> {
        self.missing
            .iter()
            .map(|(node, round)| {
                format!(
                    "{} round {round}",
                    ids.get(*node).map_or("?", String::as_str)
                )
            })
            .collect()
    }

    fn summary(&self, expected: usize) -> DirectionSummary {
        DirectionSummary {
            expected,
            received: self.received,
            merged: self.merged,
            lost: self.lost,
            duplicates: self.duplicates,
            late: self.late,
            latency_ms: Latency {
                p50: self.latency.quantile_ms(0.50),
                p99: self.latency.quantile_ms(0.99),
                max: self.latency.max.as_secs_f64() * 1000.0,
            },
        }
    }
}

/// Latencies in logarithmic buckets 1 % wide, from 1 µs to hours: quantiles to
/// within 1 % in a fixed size.
#[derive(Debug)]
struct Histogram {
    buckets: Vec<u64>,
    count: u64,
    max: Duration,
}

/// The ratio between the bounds of a bucket.
const BUCKET_RATIO: f64 = 1.01;
/// 1.01^2400 µs is about six hours.
const BUCKETS: usize = 2400;

impl Default for Histogram {
    fn default() -> Self {
        Self {
            buckets: vec![0; BUCKETS],
            count: 0,
            max: Duration::ZERO,
        }
    }
}

impl Histogram {
    fn record(&mut self, latency: Duration) {
        #[allow(clippy::cast_precision_loss)]
        let micros = latency.as_micros() as f64;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bucket = ((micros.max(1.0)).ln() / BUCKET_RATIO.ln()) as usize;
        if let Some(slot) = self.buckets.get_mut(bucket.min(BUCKETS - 1)) {
            *slot += 1;
        }
        self.count += 1;
        self.max = self.max.max(latency);
    }

    /// The latency at `rank` (0 to 1), in milliseconds: the lower bound of its
    /// bucket; 0 without samples.
    fn quantile_ms(&self, rank: f64) -> f64 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let target = ((self.count.saturating_sub(1)) as f64 * rank).round() as u64;
        let mut seen = 0;
        for (bucket, count) in self.buckets.iter().enumerate() {
            seen += count;
            if seen > target {
                #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                let micros = BUCKET_RATIO.powi(bucket as i32);
                return (micros / 1000.0).min(self.max.as_secs_f64() * 1000.0);
            }
        }
        0.0
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
    /// Never received, but stood for by a later value of the same node
    /// (node to cloud only: changes made while a node was offline go out merged
    /// into one report, as on an SDK node).
    pub merged: usize,
    /// Sent and never received (nor merged into a later value).
    pub lost: usize,
    /// Received more than once.
    pub duplicates: u64,
    /// Received after their round had been settled as lost (more than
    /// 256 rounds late).
    pub late: u64,
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

/// Everything counted during the run.
#[derive(Debug)]
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
        up: Ledger::new(settings.nodes, true),
        down: Ledger::new(settings.nodes, false),
        decode_errors: 0,
        booted: vec![false; settings.nodes],
        answers: 0,
        reconnects: 0,
        refused: 0,
        first_refusal: None,
        down_since: HashMap::new(),
        longest_outage: Duration::ZERO,
    }));
    let run_id = format!("{:x}", std::process::id());
    let ids: Vec<String> = match &settings.cert_dir {
        Some(certs) => certs.node_ids(settings.nodes)?,
        None => (0..settings.nodes)
            .map(|index| format!("SIM{run_id}N{index:05}"))
            .collect(),
    };
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
                            tally.up.receive(node, up, delivery.received_at);
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
        let broker = match &settings.cert_dir {
            Some(certs) => certs.broker_for(id)?,
            None => settings.broker.clone(),
        };
        let runner = NodeRunner::new(node, broker).with_backoff(Backoff::new(
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
                            tally.down.receive(index, down, Instant::now());
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
    let boot_deadline = Instant::now() + settings.boot;
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
                waited: settings.boot,
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    progress.set_message("rounds");
    for round in 1..=settings.rounds {
        let value = i64::try_from(round).unwrap_or(i64::MAX);
        for (index, handle) in handles.iter().enumerate() {
            if let Ok(mut tally) = tally.lock() {
                tally.up.sent(index, value, Instant::now());
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
                tally.down.sent(index, value, Instant::now());
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
            .map(|tally| tally.up.received() >= expected && tally.down.received() >= expected)
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

    let mut tally = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tally.up.settle();
    tally.down.settle();
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
    let duplicates = summary.up.duplicates + summary.down.duplicates;
    let late = summary.up.late + summary.down.late;
    let counted_duplicates = if settings.allow_duplicates {
        0
    } else {
        duplicates
    };
    if lost > 0 || late > 0 || counted_duplicates > 0 || tally.decode_errors > 0 {
        return Err(Error::Lost {
            lost: lost as u64,
            late,
            duplicates,
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
    text.push_str(
        "direction  expected  received  merged  lost  late  duplicates  p50 ms  p99 ms\n",
    );
    for (direction, d) in [("up", &summary.up), ("down", &summary.down)] {
        text.push_str(&format!(
            "{direction:<9}  {:>8}  {:>8}  {:>6}  {:>4}  {:>4}  {:>10}  {:>6.1}  {:>6.1}\n",
            d.expected,
            d.received,
            d.merged,
            d.lost,
            d.late,
            d.duplicates,
            d.latency_ms.p50,
            d.latency_ms.p99,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_settles_rounds_that_leave_its_window() {
        let start = Instant::now();
        let mut ledger = Ledger::new(2, false);
        let rounds = i64::try_from(WINDOW_ROUNDS).unwrap_or(i64::MAX) + 10;
        for round in 1..=rounds {
            ledger.sent(0, round, start);
            ledger.sent(1, round, start);
            // Node 1's first message never comes; node 0's all do, once.
            ledger.receive(0, round, start + Duration::from_millis(5));
            if round > 1 {
                ledger.receive(1, round, start + Duration::from_millis(5));
            }
        }
        // The window stays its size, however many rounds ran.
        assert_eq!(ledger.window.len(), WINDOW_ROUNDS);
        // Round 1 was settled: node 1's message of it is lost, and arrives late.
        ledger.receive(1, 1, start + Duration::from_secs(60));
        ledger.receive(0, rounds, start);
        ledger.receive(0, rounds + 1, start);
        ledger.settle();
        let summary = ledger.summary(2 * WINDOW_ROUNDS + 20);
        assert_eq!(summary.lost, 1);
        assert_eq!(summary.late, 1);
        assert_eq!(summary.duplicates, 1);
        assert_eq!(summary.received, 2 * WINDOW_ROUNDS + 19);
        assert_eq!(ledger.missing(&["a".into(), "b".into()]), ["b round 1"]);
    }

    #[test]
    fn a_node_report_stands_for_the_earlier_ones_it_merged() {
        let start = Instant::now();
        let mut ledger = Ledger::new(1, true);
        for round in 1..=4 {
            ledger.sent(0, round, start);
        }
        // Offline for rounds 2 and 3: round 4's report carries the state.
        ledger.receive(0, 1, start);
        ledger.receive(0, 4, start);
        ledger.settle();
        let summary = ledger.summary(4);
        assert_eq!((summary.received, summary.merged, summary.lost), (2, 2, 0));
        // Cloud writes are events: none stands for another.
        let mut writes = Ledger::new(1, false);
        for round in 1..=2 {
            writes.sent(0, round, start);
        }
        writes.receive(0, 2, start);
        writes.settle();
        assert_eq!(writes.summary(2).lost, 1);
    }

    #[test]
    fn latency_quantiles_are_within_one_percent() {
        let mut histogram = Histogram::default();
        for millis in 1..=1000 {
            histogram.record(Duration::from_millis(millis));
        }
        for (rank, expected) in [(0.5, 500.0), (0.99, 990.0)] {
            let got = histogram.quantile_ms(rank);
            assert!((got - expected).abs() <= expected * 0.011, "{rank}: {got}");
        }
        assert_eq!(histogram.max, Duration::from_secs(1));
        assert_eq!(Histogram::default().quantile_ms(0.5), 0.0);
    }
}
