//! The whole scripted conversation between the demo node and the simulated
//! cloud over mosquitto with mutual TLS and the per-node ACL, then the
//! robustness checks; and what happens when a node has the wrong
//! certificate.

mod common;

use std::time::{Duration, Instant};

use common::{CLOUD_ID, Mosquitto, TempDir};
use rainmaker_examples::Error;
use rainmaker_examples::demo::{Conversation, Endpoints, converse};
use rainmaker_examples::print::Log;
use rainmaker_examples::script::STEPS;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::run_program;
use rainmaker_types::Channel;

const NODE_ID: &str = "7C9EBD4A1B2C";

fn conversation(ingest: bool, step_timeout: Duration) -> Conversation {
    Conversation {
        node_id: NODE_ID.to_owned(),
        cloud_id: CLOUD_ID.to_owned(),
        ingest,
        ingest_tap: false,
        step_timeout,
        robustness: true,
    }
}

fn endpoints(broker: &Mosquitto, node_cn: &str) -> Endpoints {
    Endpoints {
        node: broker.endpoint_for(node_cn),
        cloud: broker.endpoint_for(CLOUD_ID),
    }
}

/// Runs the conversation and fails with the whole transcript and the
/// broker's log when it does not pass, or when the transcript does not mention
/// each of `mentions`.
async fn passes(broker: &Mosquitto, ingest: bool, mentions: &[&str]) {
    let log = Log::quiet();
    let result = converse(
        &endpoints(broker, NODE_ID),
        &conversation(ingest, Duration::from_secs(10)),
        &log,
    )
    .await;
    let transcript = log.lines();
    match result {
        Ok(summary) => {
            let names: Vec<&str> = summary.steps.iter().map(|s| s.0.as_str()).collect();
            let mut expected = STEPS.to_vec();
            expected.extend([
                "malformed JSON",
                "invalid TLV frame",
                "unknown command",
                "no state change",
                "still working",
            ]);
            assert_eq!(names, expected);
            assert_mentions(&transcript.join("\n"), mentions);
        }
        Err(e) => panic!(
            "{e}\n--- transcript\n{}\n--- mosquitto\n{}",
            transcript.join("\n"),
            broker.log()
        ),
    }
}

/// Asserts that `text` mentions each of `wanted`.
fn assert_mentions(text: &str, wanted: &[&str]) {
    for wanted in wanted {
        assert!(text.contains(wanted), "no `{wanted}` in\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conversation_passes_over_mutual_tls() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    // The node logged typed errors for the bad input and answered the bad
    // frames with the protocol's statuses.
    passes(
        &broker,
        false,
        &[
            "cannot write Light.Brightness",
            "refused node/7C9EBD4A1B2C/params/remote: invalid",
            "invalid JSON at $.Light.Power",
            "with status invalid",
            "with status not-found",
            "TLV response request_id=",
        ],
    )
    .await;
    // Everything went over the TLS listener, as the node's own identity.
    let log = broker.log();
    assert!(
        log.contains(&format!("as {NODE_ID}")) && log.contains(&format!("as {CLOUD_ID}")),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conversation_passes_on_basic_ingest_topics() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    passes(
        &broker,
        true,
        &[
            "$aws/rules/esp_node_config/node/7C9EBD4A1B2C/config",
            "$aws/rules/esp_init_params/node/7C9EBD4A1B2C/params/local/init",
            "$aws/rules/esp_set_params/node/7C9EBD4A1B2C/params/local",
            "$aws/rules/esp_cmd_resp/node/7C9EBD4A1B2C/from-node",
            "$aws/rules/esp_node_otastatus/node/7C9EBD4A1B2C/otastatus",
            "$aws/rules/esp_ts_ingest/node/7C9EBD4A1B2C/tsdata",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_another_nodes_certificate_gets_nowhere() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    // The node says it is NODE_ID but its certificate is another node's:
    // the ACL drops everything it publishes, so the first step never
    // happens.
    let log = Log::quiet();
    let started = Instant::now();
    let result = converse(
        &endpoints(&broker, "AABBCCDDEEFF"),
        &conversation(false, Duration::from_secs(2)),
        &log,
    )
    .await;
    match result {
        Err(Error::Timeout { step, waited }) => {
            assert_eq!(step, "config");
            assert_eq!(waited, Duration::from_secs(2));
        }
        other => panic!("expected a timeout at config, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(15));
}

fn path_of(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// Runs the demo binary with a bound on its run time.
fn run_demo(args: &[&str]) -> (Option<i32>, String, String) {
    run_program(env!("CARGO_BIN_EXE_demo"), args, Duration::from_secs(60))
}

#[test]
fn the_demo_binary_talks_mutual_tls_to_mosquitto() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let files = TempDir::new("rainmaker-demo-pki");
    let node = broker.ca().client(NODE_ID);
    let cloud = broker.ca().client(CLOUD_ID);
    let ca = files.write("ca.pem", &broker.ca().cert_pem);
    let cert = files.write("node.pem", &node.cert_pem);
    let key = files.write("node.key", &node.key_pem);
    let cloud_cert = files.write("cloud.pem", &cloud.cert_pem);
    let cloud_key = files.write("cloud.key", &cloud.key_pem);
    let other = broker.ca().client("AABBCCDDEEFF");
    let other_cert = path_of(&files.write("other.pem", &other.cert_pem));
    let other_key = path_of(&files.write("other.key", &other.key_pem));
    let url = format!("mqtts://127.0.0.1:{}", broker.port());
    let (ca, cert, key, cloud_cert, cloud_key) = (
        path_of(&ca),
        path_of(&cert),
        path_of(&key),
        path_of(&cloud_cert),
        path_of(&cloud_key),
    );
    let args = [
        "--broker",
        url.as_str(),
        "--ca",
        ca.as_str(),
        "--cert",
        cert.as_str(),
        "--key",
        key.as_str(),
        "--cloud-cert",
        cloud_cert.as_str(),
        "--cloud-key",
        cloud_key.as_str(),
        "--cloud-id",
        CLOUD_ID,
        "--node-id",
        NODE_ID,
    ];
    let (code, stdout, stderr) = run_demo(&args);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains(&format!("{} steps passed", STEPS.len())),
        "{stdout}"
    );
    assert!(stderr.is_empty(), "{stderr}");

    // The same run with the node presenting another node's certificate:
    // one line naming the step that did not happen, exit status 1.
    let mut wrong = args.to_vec();
    wrong[5] = other_cert.as_str();
    wrong[7] = other_key.as_str();
    wrong.extend(["--step-timeout", "2"]);
    let (code, stdout, stderr) = run_demo(&wrong);
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(
        stderr, "error: step \"config\" did not happen within 2.0 s\n",
        "stdout:\n{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_reconnects_announces_itself_to_a_new_session_and_asks_for_pending_commands() {
    use rainmaker_examples::cloud::Cloud;
    use rainmaker_examples::mqtt;
    use rainmaker_examples::node::{self, NodeEvent, NodeOptions};
    use rainmaker_tlv::Frame;

    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let log = Log::quiet();
    let fail = |e: Error| -> ! { panic!("{e}\n--- transcript\n{}", log.lines().join("\n")) };
    let mut cloud = Cloud::connect(
        &broker.endpoint_for(CLOUD_ID),
        CLOUD_ID,
        NODE_ID,
        false,
        log.clone(),
    )
    .await
    .unwrap_or_else(|e| fail(e));
    let options = NodeOptions {
        node_id: NODE_ID.to_owned(),
        ingest: false,
        ingest_tap: None,
    };
    let mut node = node::start(&broker.endpoint_for(NODE_ID), options, log.clone())
        .await
        .unwrap_or_else(|e| fail(e));
    let get_pending = |seen: &rainmaker_examples::cloud::Seen| {
        Ok(Frame::decode(&seen.message.payload).is_ok_and(|f| f.is_get_pending()))
    };
    cloud
        .expect("get pending", Channel::FromNode, get_pending)
        .await
        .unwrap_or_else(|e| fail(e));

    // A second client with the node's certificate takes its session over
    // (the broker makes the certificate's CN the client id).
    let impostor = mqtt::connect(&broker.endpoint_for(NODE_ID), "whatever", "node")
        .await
        .unwrap_or_else(|e| fail(e));
    node.expect_event("disconnect", Duration::from_secs(10), |event| {
        matches!(event, NodeEvent::Disconnected(_))
    })
    .await
    .unwrap_or_else(|e| fail(e));

    // The node comes back by itself; the broker kept no session (the demo
    // connects with clean sessions), so the node announces its config and
    // params again and, as on every connect, asks for pending commands.
    cloud
        .expect(
            "get pending after reconnect",
            Channel::FromNode,
            get_pending,
        )
        .await
        .unwrap_or_else(|e| fail(e));
    cloud
        .send_json(Channel::ParamsRemote, r#"{"Light":{"Power":true}}"#)
        .await
        .unwrap_or_else(|e| fail(e));
    cloud
        .expect("write after reconnect", Channel::ParamsLocal, |seen| {
            Ok(seen.json().is_some_and(|doc| doc["Light"]["Power"] == true))
        })
        .await
        .unwrap_or_else(|e| fail(e));
    let configs = cloud
        .inbox()
        .iter()
        .filter(|seen| seen.channel() == Some(Channel::NodeConfig))
        .count();
    assert_eq!(configs, 2, "{}", log.lines().join("\n"));
    let inits = cloud
        .inbox()
        .iter()
        .filter(|seen| seen.channel() == Some(Channel::ParamsLocalInit))
        .count();
    assert_eq!(inits, 2, "{}", log.lines().join("\n"));
    assert!(
        log.lines().iter().any(|line| line.contains("reconnected")),
        "{}",
        log.lines().join("\n")
    );
    drop(impostor);
    node.stop().await;
    cloud.disconnect().await;
}
