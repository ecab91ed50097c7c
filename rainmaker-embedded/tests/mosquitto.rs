//! The driver over a std TCP stream against a real mosquitto, a `Consumer` as the
//! cloud: the boot sequence, a write and its delta, cmd 1, an OTA offer, a broker
//! restart on a persistent session, and messages larger than the buffers.

mod common;

use std::time::Duration;

use rainmaker_embedded::{Config, Event, LinkError, Lost};
use rainmaker_mqtt::{Broker, Consumer, Delivery};
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::node::Light;
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::node;
use rainmaker_types::services::Connectivity;
use rainmaker_types::tlv::{Command, Frame, Request, Status, UserRole};
use rainmaker_types::{Channel, Message, NodeId, ParamValue, ParamsDocument, Topic};
use tokio::time::timeout;

use common::{Cuttable, Running, WAIT, next_on, node, spawn};

fn params(delivery: &Delivery) -> ParamsDocument {
    match delivery.decode().expect("decodes").into_parts().1 {
        Message::ParamsLocal(doc) | Message::ParamsLocalInit(doc) => doc,
        other => panic!("not a params document: {}", other.name()),
    }
}

fn brightness(delivery: &Delivery) -> Option<i64> {
    params(delivery)
        .get(Light::NAME, Light::PARAM_BRIGHTNESS)
        .and_then(ParamValue::as_i64)
}

fn id(node: &str) -> NodeId {
    NodeId::new(node).expect("a valid node id")
}

async fn consumer(broker: &Mosquitto, client_id: &str) -> Consumer {
    let url: Broker = broker.url().parse().expect("a broker URL");
    Consumer::connect(&url, client_id, None)
        .await
        .expect("the consumer connects")
}

async fn write_brightness(consumer: &Consumer, node: &str, level: i64) {
    let mut write = ParamsDocument::new();
    write.insert(Light::NAME, Light::PARAM_BRIGHTNESS, level);
    consumer
        .write_params(&Topic::ParamsRemote { node_id: id(node) }, &write)
        .await
        .expect("published");
}

/// Waits until the node applied a write.
async fn written(running: &mut Running) {
    running
        .next(|event| matches!(event, Event::Node(event) if matches!(**event, node::Event::ParamsWritten { .. })).then_some(()))
        .await;
}

#[tokio::test]
async fn a_node_boots_takes_a_write_and_a_command_and_answers_an_ota_offer() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut cloud = consumer(&broker, "cloud-e1").await;
    let mut running = spawn(node("E1"), broker.port(), Config::default(), 4096, 4096);

    let connected = running
        .next(|event| match event {
            Event::Connected { session_present } => Some(*session_present),
            _ => None,
        })
        .await;
    assert!(!connected, "a fresh broker has no session for the node");
    assert!(running.link.borrow().connected);
    next_on(&mut cloud, Channel::NodeConfig).await;
    let init = next_on(&mut cloud, Channel::ParamsLocalInit).await;
    assert_eq!(brightness(&init), Some(25));
    next_on(&mut cloud, Channel::OtaFetch).await;
    let pending = next_on(&mut cloud, Channel::FromNode).await;
    assert_eq!(pending.payload.len(), 9, "the get-pending frame");

    // A write is applied and reported.
    write_brightness(&cloud, "E1", 70).await;
    assert_eq!(
        brightness(&next_on(&mut cloud, Channel::ParamsLocal).await),
        Some(70)
    );

    // cmd 1 is answered on from-node.
    let request = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(b"req-1")
        .with_data(&br#"{"params":{"Light":{"Power":false}}}"#[..]);
    cloud
        .publish(
            &Topic::ToNode { node_id: id("E1") },
            request.to_vec().expect("a request encodes"),
        )
        .await
        .expect("published");
    let answer = next_on(&mut cloud, Channel::FromNode).await;
    let Ok(Frame::Response(response)) = Frame::decode(&answer.payload) else {
        panic!("not a TLV response: {:?}", answer.payload);
    };
    assert_eq!(response.status, Status::SUCCESS);
    assert_eq!(response.request_id, Some(&b"req-1"[..]));
    assert_eq!(response.command, Command::SET_PARAMS);

    // An OTA offer reaches the application, which answers it.
    let offer = br#"{"ota_job_id":"job-1","url":"https://example.invalid/fw.bin","file_size":0,"fw_version":"2.0"}"#;
    cloud
        .publish(&Topic::OtaUrl { node_id: id("E1") }, offer.to_vec())
        .await
        .expect("published");
    running
        .next(|event| {
            matches!(event, Event::Node(event) if matches!(**event, node::Event::OtaOffered(_)))
                .then_some(())
        })
        .await;
    running.change(rainmaker_example_devices::decline_ota);
    let status = next_on(&mut cloud, Channel::OtaStatus).await;
    match status.decode().expect("decodes").into_parts().1 {
        Message::OtaStatus(status) => {
            assert_eq!(status.ota_job_id.as_deref(), Some("job-1"));
            assert_eq!(status.status, OtaJobStatus::Failed);
        }
        other => panic!("not an OTA status: {}", other.name()),
    }
}

#[tokio::test]
async fn a_broker_restart_loses_nothing_on_a_persistent_session() {
    let binary = mosquitto_or_return!();
    let mut broker = Mosquitto::start(&binary, true);
    let url: Broker = broker.url().parse().expect("a broker URL");
    let mut cloud = Consumer::connect_at_least_once(&url, "cloud-e2", None)
        .await
        .expect("the consumer connects");
    let config = Config {
        backoff: rainmaker_embedded::Backoff::new(50, 500, 1),
        ..Config::default()
    };
    let mut running = spawn(node("E2"), broker.port(), config, 4096, 4096);
    next_on(&mut cloud, Channel::ParamsLocalInit).await;
    next_on(&mut cloud, Channel::FromNode).await;
    // Let the broker save the sessions, then kill it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    broker.kill();
    let error = running
        .next(|event| match event {
            Event::Disconnected { error, .. } => Some(*error),
            _ => None,
        })
        .await;
    assert!(
        matches!(error, LinkError::Closed | LinkError::Io(_)),
        "{error:?}"
    );
    assert!(!running.link.borrow().connected);
    // A change while the broker is down is queued and delivered after the restart.
    running.set_brightness(99);
    broker.restart();
    let session_present = running
        .next(|event| match event {
            Event::Connected { session_present } => Some(*session_present),
            _ => None,
        })
        .await;
    assert!(
        session_present,
        "the broker kept the node's session:\n{}",
        broker.log()
    );
    assert_eq!(
        brightness(&next_on(&mut cloud, Channel::ParamsLocal).await),
        Some(99)
    );
    // The link says so, and remembers why it went down.
    let link = *running.link.borrow();
    assert!(link.connected && link.session_present);
    assert!(link.last_error.is_some());
}

#[tokio::test]
async fn a_message_larger_than_the_receive_buffer_is_read_past_acknowledged_and_reported() {
    let binary = mosquitto_or_return!();
    let mut broker = Mosquitto::start(&binary, true);
    let mut cloud = consumer(&broker, "cloud-e3").await;
    let config = Config {
        backoff: rainmaker_embedded::Backoff::new(50, 500, 2),
        ..Config::default()
    };
    let mut running = spawn(node("E3"), broker.port(), config, 1024, 4096);
    next_on(&mut cloud, Channel::FromNode).await;

    let mut huge = ParamsDocument::new();
    huge.insert(Light::NAME, Light::PARAM_NAME, "x".repeat(5000));
    cloud
        .write_params(&Topic::ParamsRemote { node_id: id("E3") }, &huge)
        .await
        .expect("published");
    let (topic, size, limit) = running
        .next(|event| match event {
            Event::MessageTooLarge { topic, size, limit } => Some((topic.clone(), *size, *limit)),
            _ => None,
        })
        .await;
    assert_eq!(topic, "node/E3/params/remote");
    assert!(size > 5000, "{size}");
    assert_eq!(limit, 1024);

    // The node goes on: the next write is applied.
    write_brightness(&cloud, "E3", 40).await;
    assert_eq!(
        brightness(&next_on(&mut cloud, Channel::ParamsLocal).await),
        Some(40)
    );

    // It was acknowledged: a resumed session does not bring it back.
    tokio::time::sleep(Duration::from_millis(300)).await;
    broker.kill();
    broker.restart();
    running
        .next(|event| {
            matches!(
                event,
                Event::Connected {
                    session_present: true
                }
            )
            .then_some(())
        })
        .await;
    write_brightness(&cloud, "E3", 41).await;
    let mut again = Vec::new();
    timeout(WAIT, async {
        loop {
            match running.events.recv().await.expect("the driver runs") {
                Event::Node(event) if matches!(*event, node::Event::ParamsWritten { .. }) => break,
                Event::MessageTooLarge { topic, .. } => again.push(topic),
                _ => {}
            }
        }
    })
    .await
    .expect("the write within the wait");
    assert_eq!(again, Vec::<String>::new(), "redelivered");
}

#[tokio::test]
async fn a_publish_larger_than_the_send_buffer_is_lost_with_its_size_and_the_rest_goes_out() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut cloud = consumer(&broker, "cloud-e4").await;
    // Room for init and the get-pending frame, not for the config.
    let mut running = spawn(node("E4"), broker.port(), Config::default(), 1024, 300);
    let (topic, size, limit) = running
        .next(|event| match event {
            Event::PublishLost {
                topic,
                reason: Lost::TooLarge { size, limit },
                ..
            } => Some((topic.clone(), *size, *limit)),
            _ => None,
        })
        .await;
    assert_eq!(topic, "node/E4/config");
    assert!(size > 300, "{size}");
    assert_eq!(limit, 300);
    assert_eq!(
        brightness(&next_on(&mut cloud, Channel::ParamsLocalInit).await),
        Some(25)
    );
    next_on(&mut cloud, Channel::FromNode).await;
    // Writes still work.
    write_brightness(&cloud, "E4", 5).await;
    written(&mut running).await;
}

#[tokio::test]
async fn params_start_when_the_broker_acknowledges_the_user_mapping() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut cloud = consumer(&broker, "cloud-e5").await;
    let mut mapped = node("E5");
    mapped.set_user_mapping("user-1", "secret-1", false);
    let mut running = spawn(mapped, broker.port(), Config::default(), 4096, 4096);
    next_on(&mut cloud, Channel::UserMapping).await;
    // The broker's PUBACK is matched to the mapping publish, which starts params.
    running
        .next(|event| matches!(event, Event::Acknowledged(_)).then_some(()))
        .await;
    assert_eq!(
        brightness(&next_on(&mut cloud, Channel::ParamsLocalInit).await),
        Some(25)
    );
}

#[tokio::test]
async fn two_nodes_with_one_id_back_off_instead_of_taking_turns_in_a_tight_loop() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let config = || Config {
        backoff: rainmaker_embedded::Backoff::new(100, 800, 3),
        ..Config::default()
    };
    let mut first = spawn(node("E6"), broker.port(), config(), 4096, 4096);
    first
        .next(|event| matches!(event, Event::Connected { .. }).then_some(()))
        .await;
    // A second device with the same id: the broker drops whichever was first.
    let _second = spawn(node("E6"), broker.port(), config(), 4096, 4096);
    let mut delays = Vec::new();
    let mut dropped = 0;
    timeout(WAIT, async {
        while delays.len() < 4 {
            match first.events.recv().await.expect("the driver runs") {
                Event::DroppedByBroker { in_a_row, .. } => dropped = in_a_row,
                Event::Disconnected { retry_in_ms, .. } => delays.push(retry_in_ms),
                _ => {}
            }
        }
    })
    .await
    .expect("four losses within the wait");
    assert!(dropped >= 2, "the losses are counted in a row: {dropped}");
    // The back-off grows (each delay is jittered within half of its ceiling).
    assert!(delays[3] >= 400, "{delays:?}");
    assert!(delays.iter().all(|delay| *delay <= 800), "{delays:?}");
}

#[tokio::test]
async fn a_node_that_drops_off_the_network_is_reported_disconnected_by_its_last_will() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut cloud = consumer(&broker, "cloud-e8").await;
    let mut node = node("E8");
    node.add_service(Connectivity::new())
        .expect("the connectivity service");
    let (transport, cutter) = Cuttable::new(broker.port());
    let mut running = common::spawn_over(node, move || transport, Config::default(), 4096, 4096);
    next_on(&mut cloud, Channel::FromNode).await;
    running
        .next(|event| matches!(event, Event::Connected { .. }).then_some(()))
        .await;
    // The network goes: no DISCONNECT reaches the broker, which publishes the will.
    cutter.cut();
    let will = next_on(&mut cloud, Channel::ParamsLocal).await;
    assert_eq!(will.payload, Connectivity::LAST_WILL_PAYLOAD.as_bytes());
    let error = running
        .next(|event| match event {
            Event::Disconnected { error, .. } => Some(*error),
            _ => None,
        })
        .await;
    assert_eq!(
        error,
        LinkError::Io(embedded_io_async::ErrorKind::ConnectionAborted)
    );
}
