//! `rainmaker sim --cert-dir` against mosquitto with mutual TLS and a per-node
//! ACL: each node connects with its own certificate (its CN is its node id, which
//! the broker takes as its client id) and may touch only its own topics; the cloud
//! connects with its own. Nothing is lost, and a node whose certificate names
//! another node is held to that node's topics.

use std::path::Path;
use std::process::{Command, Output};

use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::tls::Ca;
use serde_json::Value;

/// The cloud may touch every node's topics; each node only its own.
const ACL: &str = "user cloud\n\
                   topic readwrite node/#\n\
                   topic read $aws/rules/#\n\
                   \n\
                   pattern readwrite node/%u/#\n\
                   pattern write $aws/rules/+/node/%u/#\n";

/// Writes the CA, the cloud's identity and one per node id (`<id>.pem`,
/// `<id>.key` in `nodes/`), each certificate's CN as `cn_of` says.
fn write_identities(ca: &Ca, dir: &Path, ids: &[&str], cn_of: impl Fn(&str) -> String) {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("written");
    write("ca.pem", &ca.cert_pem);
    let cloud = ca.client("cloud");
    write("cloud.pem", &cloud.cert_pem);
    write("cloud.key", &cloud.key_pem);
    std::fs::create_dir_all(dir.join("nodes")).expect("a folder");
    for id in ids {
        let node = ca.client(&cn_of(id));
        write(&format!("nodes/{id}.pem"), &node.cert_pem);
        write(&format!("nodes/{id}.key"), &node.key_pem);
    }
}

fn sim(url: &str, dir: &Path, nodes: usize) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rainmaker"));
    command
        .args(["sim", "--broker", url])
        .arg("--ca")
        .arg(dir.join("ca.pem"))
        .arg("--cert")
        .arg(dir.join("cloud.pem"))
        .arg("--key")
        .arg(dir.join("cloud.key"))
        .arg("--cert-dir")
        .arg(dir.join("nodes"))
        .args(["--nodes", &nodes.to_string(), "--rounds", "4"])
        .args([
            "--interval-ms",
            "50",
            "--settle-s",
            "5",
            "--boot-s",
            "5",
            "--json",
        ]);
    command
}

/// Runs `rainmaker sim --json` with `count` nodes, each with a certificate
/// whose CN `cn_of` gives for its id, under a broker with [`ACL`]; the output and
/// the broker's log.
fn run_fleet(mosquitto: &Path, count: usize, cn_of: impl Fn(&str) -> String) -> (Output, String) {
    let ca = Ca::new("fleet CA");
    let broker = ca.start_broker(mosquitto, ACL);
    let dir = rainmaker_test_support::unique_temp_path("rainmaker-fleet-tls");
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let ids: Vec<String> = (0..count)
        .map(|index| format!("TLSNODE{index:04}"))
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    write_identities(&ca, &dir, &ids, cn_of);
    let output = sim(&broker.url(), &dir, count).output().expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    (output, broker.log())
}

#[test]
fn a_fleet_with_one_certificate_per_node_loses_nothing_under_a_per_node_acl() {
    let binary = mosquitto_or_return!();
    let (output, log) = run_fleet(&binary, 20, str::to_owned);
    let summary: Value = serde_json::from_slice(&output.stdout).expect("a JSON summary");
    assert!(output.status.success(), "{summary}\n{log}");
    for direction in ["up", "down"] {
        assert_eq!(summary[direction]["received"], 80, "{summary}");
        assert_eq!(summary[direction]["lost"], 0, "{summary}");
    }
}

#[test]
fn a_node_with_another_nodes_certificate_is_held_to_that_nodes_topics() {
    let binary = mosquitto_or_return!();
    // The second node's certificate names the first.
    let (output, _) = run_fleet(&binary, 2, |_| "TLSNODE0000".to_owned());
    // The second node may not publish on its own topics: it never boots.
    let error: Value = serde_json::from_slice(&output.stdout).expect("a JSON error");
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error["error"]["kind"], "lost", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("1 of 2")),
        "{error}"
    );
}
