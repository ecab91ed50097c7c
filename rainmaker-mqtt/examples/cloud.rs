//! A cloud consumer: `cargo run -p rainmaker-mqtt --example cloud --
//! mqtt://localhost:1883 [SHARE_GROUP]`. It prints every message nodes send, and
//! turns each node's light on the first time it hears from the node, whether the
//! node started before the cloud or after; what happens to its connection goes
//! to standard error. TLS: `mqtts://... --ca ca.pem [--cert cloud.pem --key
//! cloud.key] [--server-name NAME] [--alpn PROTOCOL]`.

mod common;

use std::collections::HashSet;

use rainmaker_mqtt::{Consumer, ConsumerEvent};
use rainmaker_types::{ParamsDocument, Topic};

/// A cloud consumer: it prints what nodes send and turns each node's light on.
#[derive(Debug, clap::Parser)]
struct Args {
    #[command(flatten)]
    broker: common::BrokerArgs,
    /// Join this shared subscription group.
    share: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = <Args as clap::Parser>::parse();
    let broker = args.broker.broker()?;
    let share = args.share;
    let client_id = format!("cloud-{}", std::process::id());
    let mut consumer = Consumer::connect(&broker, &client_id, share.as_deref()).await?;
    println!("listening on {broker}");
    let mut lit = HashSet::new();

    while let Some(event) = consumer.next_event().await {
        let delivery = match event {
            ConsumerEvent::Delivery(delivery) => delivery,
            other => {
                eprintln!("{other}"); // lost or back, a message too large, a refusal
                continue;
            }
        };
        let envelope = match delivery.decode() {
            Ok(envelope) => envelope,
            Err(error) => {
                eprintln!("{}: {error}", delivery.topic);
                continue;
            }
        };
        println!("{} <- {}", envelope.topic(), envelope.message().name());
        let node_id = envelope.topic().node_id().clone();
        if lit.insert(node_id.clone()) {
            let mut write = ParamsDocument::new();
            write.insert("Light", "Power", true);
            consumer
                .write_params(&Topic::ParamsRemote { node_id }, &write)
                .await?;
        }
    }
    Ok(())
}
