//! Test nodes for `check-node`: a `Node` driven over rumqttc by hand, with hooks
//! that break one rule each (rewriting what the node publishes, or adding
//! publishes when a message reaches it).

use std::time::Duration;

use rainmaker_mqtt::unix_now as now;
use rainmaker_types::node::{Event, Input, Node, Output, WriteSource};
use rumqttc::{AsyncClient, Event as MqttEvent, MqttOptions, Packet, QoS};
use serde_json::Value;
use tokio::task::JoinHandle;

/// One publish, as the node makes it (before a fault rewrites it).
#[derive(Debug, Clone)]
pub struct Out {
    /// The topic.
    pub topic: String,
    /// The payload.
    pub payload: Vec<u8>,
    /// The QoS.
    pub qos: QoS,
}

/// Rewrites one publish of the node into what is sent instead (none, or several).
pub type Rewrite = Box<dyn FnMut(Out) -> Vec<Out> + Send>;

/// Extra publishes when a message reaches the node (topic, payload).
pub type Intercept = Box<dyn FnMut(&str, &[u8]) -> Vec<Out> + Send>;

/// How a test node departs from a well-behaved one.
#[derive(Default)]
pub struct Faults {
    /// Rewrites what the node publishes.
    pub outgoing: Option<Rewrite>,
    /// Adds publishes when a message arrives.
    pub incoming: Option<Intercept>,
    /// Leaves OTA offers unanswered.
    pub ignores_ota: bool,
    /// Echoes a reboot but does not reboot.
    pub ignores_reboot: bool,
    /// Connects without the node's Last Will.
    pub no_will: bool,
    /// Stays offline once its connection drops.
    pub stays_down: bool,
}

/// Rewrites the publishes whose topic ends with `suffix`; the others pass.
pub fn on(
    suffix: &'static str,
    mut rewrite: impl FnMut(Out) -> Vec<Out> + Send + 'static,
) -> Option<Rewrite> {
    Some(Box::new(move |out: Out| {
        if out.topic.ends_with(suffix) {
            rewrite(out)
        } else {
            vec![out]
        }
    }))
}

/// Edits the JSON of the publishes whose topic ends with `suffix`.
pub fn edit_json(
    suffix: &'static str,
    mut edit: impl FnMut(&mut Value) + Send + 'static,
) -> Option<Rewrite> {
    on(suffix, move |mut out| {
        if let Ok(mut value) = serde_json::from_slice::<Value>(&out.payload) {
            edit(&mut value);
            out.payload = value.to_string().into_bytes();
        }
        vec![out]
    })
}

/// Replaces text in the publishes whose topic ends with `suffix`.
pub fn replace(suffix: &'static str, from: &'static str, to: &'static str) -> Option<Rewrite> {
    on(suffix, move |mut out| {
        let text = String::from_utf8_lossy(&out.payload).replacen(from, to, 1);
        out.payload = text.into_bytes();
        vec![out]
    })
}

/// Runs a test node on the broker at `url` until the handle is aborted; a
/// reboot starts a new node from `make`.
pub fn spawn(
    url: &str,
    make: impl Fn() -> Node + Send + 'static,
    faults: Faults,
) -> JoinHandle<()> {
    let url = url.to_owned();
    tokio::spawn(async move {
        let mut faults = faults;
        loop {
            let rebooted = run_once(&url, make(), &mut faults).await;
            if !rebooted {
                return;
            }
        }
    })
}

/// One boot of the node; true when it asked to reboot.
async fn run_once(url: &str, mut node: Node, faults: &mut Faults) -> bool {
    let address = url.trim_start_matches("mqtt://");
    let (host, port) = address.rsplit_once(':').expect("host:port");
    let mut options =
        MqttOptions::new(node.node_id().as_str(), host, port.parse().expect("a port"));
    options.set_keep_alive(Duration::from_secs(30));
    options.set_max_packet_size(1 << 20, 1 << 20);
    if let Some(will) = node.last_will().filter(|_| !faults.no_will) {
        options.set_last_will(rumqttc::LastWill::new(
            will.topic,
            will.payload,
            QoS::AtLeastOnce,
            false,
        ));
    }
    let (client, mut eventloop) = AsyncClient::new(options, 1024);
    let mut reboot_at: Option<tokio::time::Instant> = None;
    loop {
        let timer = node
            .poll_timeout()
            .map(|at| Duration::from_secs(u64::try_from(at - now()).unwrap_or(0)))
            .unwrap_or(Duration::from_secs(3600));
        let reboot_in = reboot_at.map_or(Duration::from_secs(3600), |at| {
            at.saturating_duration_since(tokio::time::Instant::now())
        });
        let output = tokio::select! {
            event = eventloop.poll() => match event {
                Ok(MqttEvent::Incoming(Packet::ConnAck(_))) => node.handle(now(), Input::Connected),
                Ok(MqttEvent::Incoming(Packet::Publish(publish))) => {
                    let mut extra = Vec::new();
                    if let Some(intercept) = faults.incoming.as_mut() {
                        extra = intercept(&publish.topic, &publish.payload);
                    }
                    send(&client, faults, extra, false);
                    node.handle(now(), Input::Received { topic: &publish.topic, payload: &publish.payload })
                }
                Ok(_) => continue,
                Err(_) if faults.stays_down => return false,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            },
            _ = tokio::time::sleep(timer) => node.handle_timeout(now()),
            _ = tokio::time::sleep(reboot_in) => {
                let _ = client.try_disconnect();
                // Let the disconnect out.
                let _ = tokio::time::timeout(Duration::from_millis(300), async { while eventloop.poll().await.is_ok() {} }).await;
                return true;
            }
        };
        let Ok(output) = output else {
            continue;
        };
        let Output {
            subscribe,
            publish,
            events,
            ..
        } = output;
        for filter in subscribe {
            let _ = client.try_subscribe(filter, QoS::AtLeastOnce);
        }
        let publishes = publish
            .into_iter()
            .map(|publish| Out {
                topic: publish.topic,
                payload: publish.payload,
                qos: QoS::AtLeastOnce,
            })
            .collect();
        send(&client, faults, publishes, true);
        for event in events {
            match event {
                Event::OtaOffered(_) if !faults.ignores_ota => {
                    let status = rainmaker_types::messages::OtaJobStatus::Failed;
                    if let Ok(publish) =
                        node.report_ota_status(now(), status, "a test node downloads nothing")
                    {
                        let out = Out {
                            topic: publish.topic,
                            payload: publish.payload,
                            qos: QoS::AtLeastOnce,
                        };
                        send(&client, faults, vec![out], true);
                    }
                }
                Event::ParamsWritten {
                    source: WriteSource::Remote,
                    accepted,
                    ..
                } if !faults.ignores_reboot
                    && accepted
                        .get("System", "Reboot")
                        .and_then(|value| value.as_bool())
                        == Some(true) =>
                {
                    reboot_at = Some(tokio::time::Instant::now() + Duration::from_millis(500));
                }
                _ => {}
            }
        }
    }
}

/// Publishes, through the outgoing fault when `rewrite` is set.
fn send(client: &AsyncClient, faults: &mut Faults, publishes: Vec<Out>, rewrite: bool) {
    for out in publishes {
        let outs = match (rewrite, faults.outgoing.as_mut()) {
            (true, Some(fault)) => fault(out),
            _ => vec![out],
        };
        for out in outs {
            let _ = client.try_publish(out.topic, out.qos, false, out.payload);
        }
    }
}
