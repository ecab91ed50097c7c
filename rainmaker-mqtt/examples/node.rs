//! A lightbulb node on a broker: `cargo run -p rainmaker-mqtt --example node --
//! mqtt://localhost:1883 MY_NODE_ID`. It takes writes from the cloud, reports a
//! brightness change every 10 s, and answers OTA offers with a `failed` status (it
//! downloads no firmware). TLS: `mqtts://... --ca ca.pem [--cert node.pem
//! --key node.key] [--server-name NAME] [--alpn PROTOCOL]`.

mod common;

use std::time::Duration;

use rainmaker_mqtt::{NodeRunner, RunnerEvent};
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform, OtaJobStatus};
use rainmaker_types::node::{Event, Node, Output};
use rainmaker_types::{Device, NodeId};

#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Light", r#type = "esp.device.lightbulb")]
struct Light {
    #[param(standard = Power, primary)]
    power: bool,
    #[param(standard = Brightness)]
    brightness: i32,
}

/// A lightbulb node: it takes writes and reports a brightness change every 10 s.
#[derive(Debug, clap::Parser)]
struct Args {
    #[command(flatten)]
    broker: common::BrokerArgs,
    /// The node id (and MQTT client id).
    #[arg(default_value = "7C9EBD4A1B2C")]
    node_id: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = <Args as clap::Parser>::parse();
    let broker = args.broker.broker()?;
    let node_id = args.node_id;
    let info = NodeInfo::new(
        "Lamp",
        "1.0",
        "Lightbulb",
        "lamp",
        "lamp",
        NodeInfoPlatform::Esp32,
    );
    let mut node = Node::new(NodeId::new(node_id)?, info).with_ota_over_topics();
    node.add_device(Light {
        power: false,
        brightness: 50,
    })?;

    let (handle, mut events) = NodeRunner::new(node, broker).spawn()?;
    let ticker = handle.clone();
    tokio::spawn(async move {
        let mut level = 0;
        loop {
            tokio::time::sleep(Duration::from_secs(10)).await;
            level = (level + 10) % 100;
            let _ = ticker
                .update_device(Light::NAME, move |light: &mut Light| {
                    light.brightness = level
                })
                .await;
        }
    });
    while let Some(event) = events.recv().await {
        match event {
            RunnerEvent::Node(event) => {
                println!("{event}"); // a write applied, a command answered...
                if let Event::OtaOffered(_) = *event {
                    // Every offer gets a status, as on an SDK node.
                    handle
                        .update(|node: &mut Node, now| {
                            let info = "this example downloads no firmware";
                            node.report_ota_status(now, OtaJobStatus::Failed, info)
                                .map(Output::from)
                        })
                        .await?;
                }
            }
            other => println!("{other}"), // connected, disconnected, acknowledged, refused
        }
    }
    Ok(())
}
