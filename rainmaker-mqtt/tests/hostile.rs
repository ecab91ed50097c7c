//! The runner and the consumer against what a fleet meets in the field, through a
//! real mosquitto: a message too large to read, two nodes with one client id, a
//! refused subscription, a shutdown with the broker gone, and a consumer that
//! crashes mid-stream. Every wait is bounded.

mod common;

use std::time::{Duration, Instant};

use rainmaker_mqtt::{
    Broker, Consumer, ConsumerEvent, MAX_PACKET_SIZE, NodeRunner, RunnerEvent, SHUTDOWN_GRACE,
};
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::node::Light;
use rainmaker_test_support::scripted_broker::{Script, ScriptedBroker};
use rainmaker_types::node::Event;
use rainmaker_types::{Channel, Message, NodeId, ParamValue, ParamsDocument, Topic};
use tokio::sync::mpsc::Receiver;
use tokio::time::timeout;

use common::{WAIT, next_event, node};

fn url(broker: &Mosquitto) -> Broker {
    broker.url().parse().expect("a broker URL")
}

/// Waits until the node has booted: its init acknowledged by the broker.
async fn booted(events: &mut Receiver<RunnerEvent>) {
    next_event(events, |event| match event {
        RunnerEvent::Acknowledged { topic, .. } if topic.ends_with("/params/local/init") => {
            Some(())
        }
        _ => None,
    })
    .await;
}

/// A write of the light's brightness.
fn brightness(value: i64) -> ParamsDocument {
    let mut write = ParamsDocument::new();
    write.insert(Light::NAME, Light::PARAM_BRIGHTNESS, value);
    write
}

fn remote(id: &str) -> Topic {
    Topic::ParamsRemote {
        node_id: NodeId::new(id).expect("id"),
    }
}

#[tokio::test]
async fn a_message_too_large_is_refused_by_its_topic_once_and_the_next_write_applies() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let (_handle, mut events) = NodeRunner::new(node("P1"), url(&broker))
        .spawn()
        .expect("the runner starts");
    booted(&mut events).await;
    // The cloud's own limit is raised so that it can send the poison.
    let cloud = url(&broker).with_max_packet_size(4 * 1024 * 1024);
    let consumer = Consumer::connect(&cloud, "cloud-poison", None)
        .await
        .expect("the consumer connects");
    let poison = vec![b' '; 1024 * 1024];
    consumer
        .publish(&remote("P1"), poison)
        .await
        .expect("published");
    let (size, limit) = next_event(&mut events, |event| match event {
        RunnerEvent::MessageTooLarge { size, limit } => Some((*size, *limit)),
        _ => None,
    })
    .await;
    assert!(size > 1024 * 1024, "{size}");
    assert_eq!(limit, MAX_PACKET_SIZE);
    // The next connection reads it, and the node refuses it by its topic; the
    // session is kept.
    let session_present = next_event(&mut events, |event| match event {
        RunnerEvent::Connected { session_present } => Some(*session_present),
        _ => None,
    })
    .await;
    assert!(session_present);
    let (topic, error) = next_event(&mut events, |event| match event {
        RunnerEvent::Refused { topic, error } => Some((topic.clone(), error.to_string())),
        _ => None,
    })
    .await;
    assert_eq!(topic.as_deref(), Some("node/P1/params/remote"));
    assert!(error.contains("1048576"), "{error}");

    let started = Instant::now();
    consumer
        .write_params(&remote("P1"), &brightness(61))
        .await
        .expect("published");
    let mut reconnects = 0;
    let applied = next_event(&mut events, |event| match event {
        RunnerEvent::Connected { .. } => {
            reconnects += 1;
            None
        }
        RunnerEvent::Node(event) => match event.as_ref() {
            Event::ParamsWritten { accepted, .. } => accepted
                .get(Light::NAME, Light::PARAM_BRIGHTNESS)
                .and_then(ParamValue::as_i64),
            _ => None,
        },
        _ => None,
    })
    .await;
    assert_eq!(applied, 61);
    assert_eq!(reconnects, 0, "the message came back");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_consumer_refuses_a_message_too_large_by_its_topic_and_reads_on() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let mut consumer = Consumer::connect_at_least_once(&url(&broker), "cloud-reader", None)
        .await
        .expect("the consumer connects");
    // Another client, with a higher limit, sends a node's topic 1 MiB, then a
    // message the consumer can read.
    let big = url(&broker).with_max_packet_size(4 * 1024 * 1024);
    let sender = Consumer::connect(&big, "cloud-sender", None)
        .await
        .expect("the sender connects");
    let local = Topic::ParamsLocal {
        node_id: NodeId::new("B1").expect("id"),
    };
    sender
        .publish(&local, vec![b' '; 1024 * 1024])
        .await
        .expect("published");
    sender
        .write_params(&local, &brightness(7))
        .await
        .expect("published");
    // The drop, then the message read on the next connection and refused by its
    // topic, then the next message: the session was kept.
    let mut too_large = Vec::new();
    let delivery = timeout(WAIT, async {
        loop {
            match consumer.next_event().await.expect("the consumer runs") {
                ConsumerEvent::MessageTooLarge { topic, size, .. } => {
                    assert!(size >= 1024 * 1024, "{size}");
                    too_large.push(topic);
                }
                ConsumerEvent::Delivery(delivery) => return delivery,
                _ => {}
            }
        }
    })
    .await
    .expect("the next message within the wait");
    assert_eq!(too_large, [None, Some("node/B1/params/local".to_owned())]);
    assert_eq!(brightness_in(&delivery), Some(7));
    consumer.ack(&delivery).await.expect("acknowledged");
    // Acknowledged: it does not come back.
    assert!(
        timeout(Duration::from_secs(1), consumer.next_event())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn two_nodes_with_one_client_id_back_off_and_say_why() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let (_first, mut first) = NodeRunner::new(node("T1"), url(&broker))
        .spawn()
        .expect("the runner starts");
    let (_second, mut second) = NodeRunner::new(node("T1"), url(&broker))
        .spawn()
        .expect("the runner starts");
    // Each connection of one kicks the other off; count them for a while.
    let window = Duration::from_secs(12);
    let deadline = tokio::time::Instant::now() + window;
    let (mut connects, mut dropped) = (0, 0);
    loop {
        let next = tokio::select! {
            event = first.recv() => event,
            event = second.recv() => event,
            () = tokio::time::sleep_until(deadline) => break,
        };
        match next.expect("the runners run") {
            RunnerEvent::Connected { .. } => connects += 1,
            RunnerEvent::DroppedByBroker { in_a_row, .. } => {
                assert!(in_a_row >= 1);
                dropped += 1;
            }
            _ => {}
        }
    }
    eprintln!(
        "two nodes with one client id: {connects} connections, {dropped} drops in {window:?}"
    );
    assert!(dropped >= 2, "{dropped} drops reported");
    // With the back-off reset by every CONNACK they made 62 connections in this
    // window here; with it growing, 11 or 12.
    assert!(connects <= 20, "{connects} connections in {window:?}");
}

#[tokio::test]
async fn a_refused_subscription_is_reported() {
    // mosquitto's ACL file filters deliveries but grants every subscription; the
    // scripted broker refuses as AWS IoT does for a topic outside the policy.
    let broker = ScriptedBroker::start(Script {
        refuse: vec!["node/R1/to-node".to_owned(), "node/+/config".to_owned()],
        ..Script::default()
    });
    let url: Broker = broker.url().parse().expect("a broker URL");
    let (_handle, mut events) = NodeRunner::new(node("R1"), url.clone())
        .spawn()
        .expect("the runner starts");
    let refused = next_event(&mut events, |event| match event {
        RunnerEvent::SubscriptionRefused { filter } => Some(filter.clone()),
        _ => None,
    })
    .await;
    assert_eq!(refused, "node/R1/to-node");

    // The consumer says which of its filters the broker refused.
    let consumer = Consumer::connect(&url, "cloud-acl", None).await;
    let mut consumer = consumer.expect("the consumer connects");
    let event = timeout(WAIT, consumer.next_event())
        .await
        .expect("an event within the wait");
    assert!(
        matches!(&event, Some(ConsumerEvent::SubscriptionRefused { filter }) if filter == "node/+/config"),
        "{event:?}"
    );
}

#[tokio::test]
async fn publishes_lost_with_a_session_are_reported_and_acknowledgements_stay_paired() {
    // The first connection takes two publishes without acknowledging them and
    // closes; the next starts a new session.
    let broker = ScriptedBroker::start(Script {
        drop_first_after: Some(2),
        ..Script::default()
    });
    let url: Broker = broker.url().parse().expect("a broker URL");
    let (_handle, mut events) = NodeRunner::new(node("L1"), url)
        .spawn()
        .expect("the runner starts");
    let mut lost = Vec::new();
    let mut acknowledged = Vec::new();
    // After the new session the node announces itself again: config, init and
    // the get-pending request, each acknowledged.
    next_event(&mut events, |event| {
        match event {
            RunnerEvent::PublishLost { topic, .. } => lost.push(topic.clone()),
            RunnerEvent::Acknowledged { topic, .. } => acknowledged.push(topic.clone()),
            _ => {}
        }
        (acknowledged.len() == 3).then_some(())
    })
    .await;
    assert_eq!(
        lost,
        [
            "node/L1/config",
            "node/L1/params/local/init",
            "node/L1/from-node"
        ],
        "the first connection's publishes"
    );
    // Each acknowledgement names the publish the broker acknowledged.
    assert_eq!(acknowledged, broker.acknowledged());
    assert_eq!(
        acknowledged,
        [
            "node/L1/config",
            "node/L1/params/local/init",
            "node/L1/from-node"
        ]
    );
}

#[tokio::test]
async fn shutdown_with_the_broker_down_ends_within_its_grace() {
    let binary = mosquitto_or_return!();
    let mut broker = Mosquitto::start(&binary, false);
    let (handle, mut events) = NodeRunner::new(node("S1"), url(&broker))
        .spawn()
        .expect("the runner starts");
    booted(&mut events).await;
    broker.kill();
    next_event(&mut events, |event| {
        matches!(event, RunnerEvent::Disconnected { .. }).then_some(())
    })
    .await;
    // Changes made now wait for the broker (the node holds the delta).
    handle
        .update_device(Light::NAME, |light: &mut Light| light.brightness = 9)
        .await
        .expect("changed");
    let started = Instant::now();
    timeout(SHUTDOWN_GRACE + Duration::from_secs(3), handle.shutdown())
        .await
        .expect("the shutdown ends")
        .expect("it was running");
    assert!(started.elapsed() <= SHUTDOWN_GRACE + Duration::from_secs(2));
}

#[tokio::test]
async fn an_at_least_once_consumer_that_crashes_loses_nothing() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let url = url(&broker);
    let mut consumer = Consumer::connect_at_least_once(&url, "cloud-durable", None)
        .await
        .expect("the consumer connects");
    let (handle, mut events) = NodeRunner::new(node("C1"), url.clone())
        .spawn()
        .expect("the runner starts");
    booted(&mut events).await;
    const SENT: i64 = 30;
    for value in 1..=SENT {
        handle
            .update_device(Light::NAME, move |light: &mut Light| {
                light.brightness = i32::try_from(value).unwrap_or_default();
            })
            .await
            .expect("changed");
    }
    // Handles ten deltas (acknowledging them), reads two more, then crashes.
    let mut handled = Vec::new();
    let mut read = 0;
    while read < 12 {
        let delivery = timeout(WAIT, consumer.next())
            .await
            .expect("a delivery within the wait")
            .expect("the consumer runs");
        if let Some(value) = brightness_in(&delivery) {
            read += 1;
            if read <= 10 {
                handled.push(value);
            }
        }
        if read <= 10 {
            consumer.ack(&delivery).await.expect("acknowledged");
        }
    }
    drop(consumer);
    // Restarted with the same id, it gets the rest, the unacknowledged included.
    let mut consumer = Consumer::connect_at_least_once(&url, "cloud-durable", None)
        .await
        .expect("the consumer reconnects");
    while handled.last() != Some(&SENT) {
        let delivery = timeout(WAIT, consumer.next())
            .await
            .unwrap_or_else(|_| panic!("the rest within the wait; handled {handled:?}"))
            .expect("the consumer runs");
        if let Some(value) = brightness_in(&delivery)
            && !handled.contains(&value)
        {
            handled.push(value);
        }
        consumer.ack(&delivery).await.expect("acknowledged");
    }
    handled.sort_unstable();
    assert_eq!(handled, (1..=SENT).collect::<Vec<_>>());
}

/// The brightness a `params/local` delivery reports.
fn brightness_in(delivery: &rainmaker_mqtt::Delivery) -> Option<i64> {
    let envelope = delivery.decode().ok()?;
    if envelope.topic().channel() != Channel::ParamsLocal {
        return None;
    }
    match envelope.into_parts().1 {
        Message::ParamsLocal(doc) => doc
            .get(Light::NAME, Light::PARAM_BRIGHTNESS)
            .and_then(ParamValue::as_i64),
        _ => None,
    }
}

#[tokio::test]
async fn events_the_application_does_not_read_are_dropped_and_counted() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let (handle, mut events) = NodeRunner::new(node("E1"), url(&broker))
        .spawn()
        .expect("the runner starts");
    booted(&mut events).await;
    // Each change is published and acknowledged: one event each, more than the
    // channel holds while nobody reads.
    let changes = rainmaker_mqtt::EVENT_CAPACITY + 200;
    for value in 0..changes {
        let value = i32::try_from(value % 100).unwrap_or_default();
        handle
            .update_device(Light::NAME, move |light: &mut Light| {
                light.brightness = if light.brightness == value {
                    value + 1
                } else {
                    value
                };
            })
            .await
            .expect("changed");
    }
    // The runner went on; once the application reads again, an event says how
    // many it missed. Read until the acknowledgements stop coming.
    let deadline = Instant::now() + WAIT;
    let (mut read, mut missed) = (0u64, 0u64);
    while Instant::now() < deadline {
        match timeout(Duration::from_secs(1), events.recv()).await {
            Ok(Some(RunnerEvent::Lagged { missed: count })) => missed += count,
            Ok(Some(_)) => read += 1,
            Ok(None) => panic!("the runner stopped"),
            Err(_) if missed > 0 => break,
            // Drained before a count came: one more change makes an event, and
            // the count comes first.
            Err(_) => handle
                .update_device(Light::NAME, |light: &mut Light| light.power = !light.power)
                .await
                .expect("changed"),
        }
    }
    assert!(missed > 0, "no Lagged event after {read} events");
    assert!(
        read + missed >= u64::try_from(changes).unwrap_or(0),
        "{read} + {missed}"
    );
}

#[tokio::test]
async fn a_slow_consumer_holds_the_broker_back_and_loses_nothing() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let url = url(&broker);
    let mut consumer = Consumer::connect(&url, "cloud-slow", None)
        .await
        .expect("the consumer connects");
    let (handle, mut events) = NodeRunner::new(node("W1"), url)
        .spawn()
        .expect("the runner starts");
    booted(&mut events).await;
    // More than the consumer's channel holds, sent while it does not read.
    let sent = i64::try_from(rainmaker_mqtt::DELIVERY_CAPACITY).unwrap_or(0) + 500;
    let reader = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut seen = Vec::new();
        while seen.last() != Some(&sent) {
            let delivery = timeout(WAIT, consumer.next())
                .await
                .unwrap_or_else(|_| panic!("a delivery within the wait; {} seen", seen.len()))
                .expect("the consumer runs");
            if let Some(value) = brightness_in(&delivery) {
                seen.push(value);
            }
        }
        seen
    });
    for value in 1..=sent {
        let value = i32::try_from(value).unwrap_or_default();
        handle
            .update_device(Light::NAME, move |light: &mut Light| {
                light.brightness = value
            })
            .await
            .expect("changed");
    }
    let seen = reader.await.expect("the reader ends");
    assert_eq!(seen, (1..=sent).collect::<Vec<_>>());
}
