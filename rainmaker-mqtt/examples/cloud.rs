//! A cloud consumer: `cargo run -p rainmaker-mqtt --example cloud --
//! mqtt://localhost:1883 [SHARE_GROUP]`. It prints every message nodes send, and
//! turns each node's light on the first time it hears from the node, whether the
//! node started before the cloud or after.

use std::collections::HashSet;

use rainmaker_mqtt::Consumer;
use rainmaker_types::{ParamsDocument, Topic};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let broker = args
        .next()
        .unwrap_or_else(|| "mqtt://localhost:1883".into())
        .parse()?;
    let share = args.next();
    let client_id = format!("cloud-{}", std::process::id());
    let mut consumer = Consumer::connect(&broker, &client_id, share.as_deref()).await?;
    println!("listening on {broker}");
    let mut lit = HashSet::new();

    while let Some(delivery) = consumer.next().await {
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
