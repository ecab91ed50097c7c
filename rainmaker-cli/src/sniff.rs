//! `rainmaker sniff`: every message nodes send through a broker, decoded as it
//! arrives.

use std::io::Write as _;
use std::time::Duration;

use rainmaker_mqtt::{Broker, Consumer, ConsumerEvent};
use rainmaker_types::{DecodeOptions, Envelope};

use crate::Output;
use crate::error::Error;
use crate::show::Shown;

/// Subscribes (as one member of `share` when given) and prints each message: one
/// line each, or one JSON object per line with `--json`. Stops after `count`
/// messages, after `duration`, or on Ctrl-C. Payloads the C SDK sends that are not
/// JSON are repaired (the lenient mode), and each line says what was repaired.
///
/// # Errors
///
/// [`Error::Broker`] when the broker cannot be reached.
pub async fn run(
    broker: Broker,
    share: Option<String>,
    count: Option<u64>,
    duration: Option<Duration>,
    output: Output,
) -> Result<(), Error> {
    let client_id = format!("rainmaker-sniff-{}", std::process::id());
    // A sniffer keeps no state: a clean session, so the broker keeps nothing for it.
    let broker = broker.with_persistent_session(false);
    let mut consumer = Consumer::connect(&broker, &client_id, share.as_deref()).await?;
    eprintln!(
        "listening on {broker}{}",
        share.map_or_else(String::new, |group| format!(" (shared group {group})"))
    );
    let deadline = duration.map(|duration| tokio::time::Instant::now() + duration);
    let mut seen = 0;
    let mut stdout = std::io::stdout();
    while count.is_none_or(|count| seen < count) {
        let next = async {
            tokio::select! {
                event = consumer.next_event() => event,
                _ = tokio::signal::ctrl_c() => None,
            }
        };
        let event = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, next).await {
                Ok(event) => event,
                Err(_) => break,
            },
            None => next.await,
        };
        let delivery = match event {
            None => break,
            Some(ConsumerEvent::Delivery(delivery)) => delivery,
            // What the connection went through goes to stderr: the user can tell
            // when traffic may have been missed.
            Some(other) => {
                eprintln!("rainmaker sniff: {other}");
                continue;
            }
        };
        seen += 1;
        let line = match Envelope::decode_with(
            &delivery.topic,
            &delivery.payload,
            &DecodeOptions::sdk_lenient(),
        ) {
            Ok(decoded) => {
                let shown = Shown {
                    topic: delivery.topic.clone(),
                    envelope: decoded.value,
                    repairs: decoded.repairs,
                };
                match output {
                    Output::Human => shown.line(),
                    Output::Json => shown.json().to_string(),
                }
            }
            Err(error) => match output {
                Output::Human => format!("{}  undecodable: {error}", delivery.topic),
                Output::Json => serde_json::json!({
                    "topic": delivery.topic,
                    "error": error.to_string(),
                    "payload_hex": hex::encode(&delivery.payload),
                })
                .to_string(),
            },
        };
        // One line at a time, flushed: a pipe sees each message as it comes.
        if writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    consumer.close().await;
    Ok(())
}
