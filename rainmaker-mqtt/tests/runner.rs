//! A node run by `NodeRunner` and a `Consumer` talking through a real mosquitto:
//! the boot sequence, writes both ways, commands, the user mapping acknowledged by
//! the broker's PUBACK, and a broker restart with persistent sessions.

mod common;

use std::time::Duration;

use rainmaker_mqtt::{Broker, Consumer, Delivery, NodeHandle, NodeRunner, RunnerEvent};
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::node::Light;
use rainmaker_types::node::{Event, Node, NodeError};
use rainmaker_types::services::Schedule;
use rainmaker_types::tlv::{Command, Request, UserRole};
use rainmaker_types::{Channel, Message, NodeId, ParamValue, ParamsDocument, Topic};
use tokio::sync::mpsc::Receiver;
use tokio::time::timeout;

use common::{WAIT, next_event};

/// The common node, with OTA over topics.
fn ota_node(id: &str) -> Node {
    common::node(id).with_ota_over_topics()
}

/// The next delivery on `channel`, skipping others.
async fn next_on(consumer: &mut Consumer, channel: Channel) -> Delivery {
    timeout(WAIT, async {
        loop {
            let delivery = consumer.next().await.expect("the consumer runs");
            let envelope = delivery.decode().expect("nodes send what decodes");
            if envelope.topic().channel() == channel {
                return delivery;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("nothing on {channel} within {WAIT:?}"))
}

/// The light's brightness in the next `params/local` delta.
async fn next_brightness(consumer: &mut Consumer) -> Option<i64> {
    let delta = next_on(consumer, Channel::ParamsLocal).await;
    params(&delta)
        .get(Light::NAME, Light::PARAM_BRIGHTNESS)
        .and_then(ParamValue::as_i64)
}

fn params(doc: &Delivery) -> ParamsDocument {
    match doc.decode().expect("decodes").into_parts().1 {
        Message::ParamsLocal(doc) | Message::ParamsLocalInit(doc) => doc,
        other => panic!("not a params document: {}", other.name()),
    }
}

async fn start(
    broker: &Mosquitto,
    node: Node,
    consumer_id: &str,
) -> (Consumer, NodeHandle, Receiver<RunnerEvent>) {
    let url: Broker = broker.url().parse().expect("a broker URL");
    let consumer = Consumer::connect(&url, consumer_id, None)
        .await
        .expect("the consumer connects");
    let (handle, events) = NodeRunner::new(node, url)
        .spawn()
        .expect("the runner starts");
    (consumer, handle, events)
}

#[tokio::test]
async fn a_node_boots_takes_writes_and_commands_and_reports_changes() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let (mut consumer, handle, mut events) = start(&broker, ota_node("N1"), "cloud-a").await;
    next_on(&mut consumer, Channel::NodeConfig).await;
    let init = next_on(&mut consumer, Channel::ParamsLocalInit).await;
    assert_eq!(
        params(&init)
            .get("Light", "Brightness")
            .and_then(|v| v.as_i64()),
        Some(25)
    );
    next_on(&mut consumer, Channel::OtaFetch).await;
    next_on(&mut consumer, Channel::FromNode).await;

    // A write from the cloud is applied and reported.
    let mut write = ParamsDocument::new();
    write.insert("Light", "Power", true);
    let remote = Topic::ParamsRemote {
        node_id: NodeId::new("N1").expect("id"),
    };
    // Give the node's subscription a moment to be in place after its boot.
    next_event(&mut events, |event| {
        matches!(event, RunnerEvent::Acknowledged { .. }).then_some(())
    })
    .await;
    consumer
        .write_params(&remote, &write)
        .await
        .expect("published");
    let delta = next_on(&mut consumer, Channel::ParamsLocal).await;
    assert_eq!(
        params(&delta)
            .get("Light", "Power")
            .and_then(|v| v.as_bool()),
        Some(true)
    );

    // A cmd-1 request is answered, and the event names the request.
    let request = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(b"req-1")
        .with_data(&br#"{"params":{"Light":{"Brightness":70}}}"#[..]);
    let to_node = Topic::ToNode {
        node_id: NodeId::new("N1").expect("id"),
    };
    consumer
        .publish(&to_node, request.to_vec().expect("a request encodes"))
        .await
        .expect("published");
    let answered = next_event(&mut events, |event| match event {
        RunnerEvent::Node(event) => match event.as_ref() {
            Event::CommandAnswered { request_id, .. } => Some(request_id.clone()),
            _ => None,
        },
        _ => None,
    })
    .await;
    assert_eq!(answered, b"req-1");
    next_on(&mut consumer, Channel::FromNode).await;

    // A local change through the handle.
    handle
        .update_device(Light::NAME, |light: &mut Light| light.brightness = 5)
        .await
        .expect("reported");
    assert_eq!(next_brightness(&mut consumer).await, Some(5));
    // A device the node does not have (by name, or by type) is a typed error.
    for name in ["Fan", Light::NAME] {
        let error = handle
            .update_device(name, |_: &mut Fan| {})
            .await
            .expect_err("no such device");
        assert!(
            matches!(&error, rainmaker_mqtt::Error::Node(NodeError::NoSuchDevice(device)) if device == name),
            "{error}"
        );
    }
    handle.shutdown().await.expect("stops");
}

/// A device type the test node does not have.
#[derive(rainmaker_types::Device)]
#[device(name = "Fan", r#type = "esp.device.fan")]
struct Fan {
    #[param(standard = Power, primary)]
    power: bool,
}

#[tokio::test]
async fn params_start_when_the_broker_acknowledges_the_user_mapping() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut mapped = ota_node("N2");
    mapped.set_user_mapping("user-1", "secret-1", false);
    let (mut consumer, handle, mut events) = start(&broker, mapped, "cloud-b").await;
    next_on(&mut consumer, Channel::UserMapping).await;
    // Init comes only after the PUBACK of the mapping publish.
    let acknowledged = next_event(&mut events, |event| match event {
        RunnerEvent::Acknowledged { topic, .. } if topic.ends_with("/user/mapping") => Some(()),
        _ => None,
    })
    .await;
    assert_eq!(acknowledged, ());
    next_on(&mut consumer, Channel::ParamsLocalInit).await;
    handle.shutdown().await.expect("stops");
}

#[tokio::test]
async fn a_broker_restart_loses_nothing_with_persistent_sessions() {
    let binary = mosquitto_or_return!();
    let mut broker = Mosquitto::start(&binary, true);
    let (mut consumer, handle, mut events) = start(&broker, ota_node("N3"), "cloud-c").await;
    next_on(&mut consumer, Channel::ParamsLocalInit).await;
    next_on(&mut consumer, Channel::FromNode).await;
    // Let the broker save the sessions, then kill it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    broker.kill();
    next_event(&mut events, |event| {
        matches!(event, RunnerEvent::Disconnected { .. }).then_some(())
    })
    .await;
    // A change while the broker is down is queued and delivered after the restart.
    handle
        .update_device(Light::NAME, |light: &mut Light| light.brightness = 99)
        .await
        .expect("queued");
    broker.restart();
    let session_present = next_event(&mut events, |event| match event {
        RunnerEvent::Connected { session_present } => Some(*session_present),
        _ => None,
    })
    .await;
    assert!(
        session_present,
        "the broker kept the node's session:\n{}",
        broker.log()
    );
    assert_eq!(next_brightness(&mut consumer).await, Some(99));
    handle.shutdown().await.expect("stops");
}

#[tokio::test]
async fn the_runner_wakes_the_node_for_its_schedules() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut scheduled = ota_node("N4");
    scheduled
        .add_service(Schedule::default())
        .expect("the schedule service");
    let (mut consumer, handle, _events) = start(&broker, scheduled, "cloud-d").await;
    next_on(&mut consumer, Channel::ParamsLocalInit).await;
    // A timer two seconds from now, as the phone app writes it.
    let write: ParamsDocument = serde_json::from_str(
        r#"{"Schedule":{"Schedules":[{"id":"T","operation":"add","name":"Timer","action":{"Light":{"Brightness":7}},"triggers":[{"rsec":2}]}]}}"#,
    )
    .expect("a params document");
    let topic = Topic::ParamsRemote {
        node_id: NodeId::new("N4").expect("valid id"),
    };
    consumer
        .write_params(&topic, &write)
        .await
        .expect("written");
    let listed = next_on(&mut consumer, Channel::ParamsLocal).await;
    let armed = params(&listed);
    let ts = armed
        .get(Schedule::NAME, "Schedules")
        .and_then(|list| list.to_json().pointer("/0/triggers/0/ts")?.as_i64())
        .expect("the timer's next time");
    assert!(ts > 1_700_000_000, "{ts}");
    // The runner wakes the node at that time: the action, then the timer
    // disabled in the list.
    assert_eq!(next_brightness(&mut consumer).await, Some(7));
    let disabled = params(&next_on(&mut consumer, Channel::ParamsLocal).await);
    let entry = disabled
        .get(Schedule::NAME, "Schedules")
        .and_then(|list| list.to_json().pointer("/0").cloned())
        .expect("the list");
    assert_eq!(entry["enabled"], false);
    handle.shutdown().await.expect("stops");
}
