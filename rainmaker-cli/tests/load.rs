//! Load and fault tests on loopback: `rainmaker sim` with 200 nodes against a
//! mosquitto the test starts loses nothing; with the broker stopped and restarted
//! mid-run (persistent sessions, broker persistence on) it still loses nothing (the
//! reports a node could not send while the broker was down go out merged into its
//! next one, as on an SDK node) and every node is back within 5 s of the restart. (A SIGKILL instead of a stop loses
//! what mosquitto had acknowledged but not yet saved: that is the broker's
//! durability, not the clients'.)

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use serde_json::Value;

fn summary_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rainmaker-load-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir.join("summary.json")
}

fn sim(url: &str, nodes: usize, rounds: usize, interval_ms: u64, summary: &PathBuf) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rainmaker"));
    command
        .args(["sim", "--broker", url])
        .args([
            "--nodes",
            &nodes.to_string(),
            "--rounds",
            &rounds.to_string(),
        ])
        .args([
            "--interval-ms",
            &interval_ms.to_string(),
            "--settle-s",
            "60",
        ])
        .arg("--summary")
        .arg(summary);
    command
}

fn read(summary: &PathBuf) -> Value {
    let value = serde_json::from_slice(&std::fs::read(summary).expect("a summary")).expect("JSON");
    if let Some(dir) = summary.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    value
}

fn assert_nothing_lost(summary: &Value) {
    for direction in ["up", "down"] {
        let d = &summary[direction];
        assert_eq!(d["lost"], 0, "{direction}: {summary}");
        assert_eq!(d["late"], 0, "{direction}: {summary}");
        let accounted = d["received"].as_u64().unwrap_or(0) + d["merged"].as_u64().unwrap_or(0);
        assert_eq!(
            Some(accounted),
            d["expected"].as_u64(),
            "{direction}: {summary}"
        );
    }
    assert_eq!(summary["decode_errors"], 0, "{summary}");
}

#[test]
fn two_hundred_nodes_lose_nothing() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let summary = summary_path("plain");
    let output = sim(&broker.url(), 200, 5, 50, &summary)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert_nothing_lost(&read(&summary));
}

#[test]
fn a_broker_restart_mid_run_loses_nothing() {
    let binary = mosquitto_or_return!();
    let mut broker = Mosquitto::start(&binary, true);
    let summary = summary_path("restart");
    // QoS 1 is at least once: a restart may deliver a message twice.
    let mut child = sim(&broker.url(), 200, 40, 100, &summary)
        .arg("--allow-duplicates")
        .spawn()
        .expect("runs");
    // Into the rounds (200 nodes boot in about a second here), then an outage.
    std::thread::sleep(Duration::from_secs(3));
    broker.stop();
    let downtime = Duration::from_secs(1);
    std::thread::sleep(downtime);
    let restarted = Instant::now();
    broker.restart();
    let status = child.wait().expect("the simulation ends");
    let summary = read(&summary);
    assert!(status.success(), "{summary}");
    assert_nothing_lost(&summary);
    assert!(
        summary["reconnects"].as_u64().unwrap_or(0) >= 200,
        "every node reconnected: {summary}"
    );
    // Each node's outage: the broker's downtime plus its own way back.
    let outage = summary["longest_outage_ms"].as_f64().unwrap_or(f64::MAX);
    let allowed = (downtime + Duration::from_secs(5)).as_secs_f64() * 1000.0
        + restarted.elapsed().min(Duration::ZERO).as_secs_f64();
    assert!(outage <= allowed, "longest outage {outage} ms: {summary}");
}
