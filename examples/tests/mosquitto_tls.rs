//! Mosquitto with mutual TLS and the per-node ACL: who may connect, and what a
//! node may touch. These tests need no RainMaker node, only MQTT clients.

mod common;

use std::time::Duration;

use common::{CLOUD_ID, Ca, Mosquitto};
use rainmaker_examples::Error;
use rainmaker_examples::mqtt::{self, Connection};
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_types::{NodeId, Topic};
use rumqttc::{QoS, SubscribeReasonCode};
use tokio::time::Instant;

const NODE_A: &str = "7C9EBD4A1B2C";
const NODE_B: &str = "Socfz6jwKPv8wDw4AakTts";

/// Waits for the next message, bounded.
async fn next(conn: &mut Connection, within: Duration) -> Option<mqtt::Received> {
    conn.next_message_until(Instant::now() + within)
        .await
        .expect("connection alive")
}

fn assert_refused(result: Result<Connection, Error>, what: &str, broker: &Mosquitto) {
    match result {
        Err(Error::Mqtt { who, reason }) => {
            assert_eq!(who, "node");
            assert!(
                !reason.contains("no CONNACK"),
                "{what}: the broker should refuse the handshake, not stall: {reason}"
            );
            eprintln!("{what}: refused as expected: {reason}");
        }
        Err(other) => panic!("{what}: unexpected error {other}"),
        Ok(_) => panic!("{what}: connected, but must be refused\n{}", broker.log()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_without_certificate_is_refused() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let result = mqtt::connect(&broker.endpoint(None), NODE_A, "node").await;
    assert_refused(result, "no client certificate", &broker);
    // The same broker accepts the node with its certificate.
    let conn = mqtt::connect(&broker.endpoint_for(NODE_A), NODE_A, "node")
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", broker.log()));
    conn.disconnect().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_from_another_ca_is_refused() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let rogue = Ca::new("some other CA").client(NODE_A);
    let result = mqtt::connect(&broker.endpoint(Some(&rogue)), NODE_A, "node").await;
    assert_refused(result, "certificate from another CA", &broker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_cannot_touch_another_nodes_topics() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let mut cloud = mqtt::connect(&broker.endpoint_for(CLOUD_ID), CLOUD_ID, "cloud")
        .await
        .expect("cloud connects");
    cloud
        .subscribe_all(&["node/#".to_owned(), "$aws/rules/+/node/#".to_owned()])
        .await
        .expect("the cloud may read every node");

    // The client id the node asks for does not matter: the broker takes the
    // certificate's CN as its identity.
    let mut node = mqtt::connect(&broker.endpoint_for(NODE_A), NODE_B, "node")
        .await
        .expect("node A connects");

    // Mosquitto's ACL file is enforced when messages are delivered and
    // published, not at SUBSCRIBE time: 2.0 grants these subscriptions in
    // the SUBACK (a failure code would be fine too). What matters, and is
    // checked below, is that nothing of node B's reaches node A.
    let codes = node
        .subscribe(&[
            format!("node/{NODE_A}/params/remote"),
            format!("node/{NODE_B}/params/remote"),
            format!("node/{NODE_B}/#"),
            "node/#".to_owned(),
        ])
        .await
        .expect("SUBACK");
    assert_eq!(codes.len(), 4);
    assert_eq!(
        codes[0],
        SubscribeReasonCode::Success(QoS::AtLeastOnce),
        "a node may subscribe to its own topics"
    );

    // Denied publishes are acknowledged and dropped; the allowed one sent
    // after them must be the first thing the cloud sees.
    for (node_id, power) in [(NODE_B, true), (NODE_A, false)] {
        let delta = format!(r#"{{"Light":{{"Power":{power}}}}}"#);
        let topic = Topic::ParamsLocal {
            node_id: NodeId::new(node_id).expect("a node id"),
        };
        let ingest = topic.ingest().expect("params/local has an ingest form");
        for topic in [topic.to_string(), ingest] {
            node.publish(&topic, delta.clone().into_bytes())
                .await
                .unwrap_or_else(|e| panic!("PUBACK for {topic}: {e}"));
        }
    }
    let first = next(&mut cloud, Duration::from_secs(10))
        .await
        .expect("the allowed publish arrives");
    assert_eq!(first.topic, format!("node/{NODE_A}/params/local"));
    let second = next(&mut cloud, Duration::from_secs(10))
        .await
        .expect("the allowed ingest publish arrives");
    assert_eq!(
        second.topic,
        format!("$aws/rules/esp_set_params/node/{NODE_A}/params/local")
    );

    // The cloud writes to both nodes; node A receives only its own.
    for node_id in [NODE_B, NODE_A] {
        cloud
            .publish(
                &format!("node/{node_id}/params/remote"),
                br#"{"Light":{"Power":true}}"#.to_vec(),
            )
            .await
            .unwrap_or_else(|e| panic!("the cloud publishes to {node_id}: {e}"));
    }
    // Node A's `node/#` also brings back its own publishes; everything it
    // receives must be its own, and the cloud's write to it must arrive.
    let own = format!("node/{NODE_A}/");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let received = node
            .next_message_until(deadline)
            .await
            .expect("connection alive")
            .expect("node A's write arrives");
        assert!(
            received.topic.starts_with(&own),
            "node A received another node's message on {}",
            received.topic
        );
        if received.topic == format!("node/{NODE_A}/params/remote") {
            break;
        }
    }
    while let Some(more) = next(&mut node, Duration::from_millis(300)).await {
        assert!(
            more.topic.starts_with(&own),
            "node A received another node's message on {}",
            more.topic
        );
    }
    // The cloud reads `node/#`, so it sees its own two writes; nothing that
    // node A tried to publish as node B may show up.
    while let Some(more) = next(&mut cloud, Duration::from_millis(300)).await {
        assert!(
            more.topic.ends_with("/params/remote"),
            "unexpected message on {}",
            more.topic
        );
    }
    // The broker knew node A by its certificate, whatever client id it sent.
    let log = broker.log();
    assert!(log.contains(&format!(" as {NODE_A} ")), "{log}");
    assert!(!log.contains(&format!(" as {NODE_B} ")), "{log}");
    node.disconnect().await;
    cloud.disconnect().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_broker_process_and_its_files_are_cleaned_up() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary);
    let dir = broker.dir().to_path_buf();
    let port = broker.port();
    assert!(dir.join("mosquitto.conf").is_file());
    drop(broker);
    assert!(!dir.exists(), "{} is left behind", dir.display());
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    assert!(
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err(),
        "something still listens on {port}"
    );
}
