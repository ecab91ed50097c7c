//! `rainmaker schedule next`: when a schedule trigger fires next, computed as a
//! node does (the SDK's schedule rules, in a POSIX time zone).

use rainmaker_types::clock::{LocalTime, PosixTz};
use rainmaker_types::schedule::Trigger;
use serde_json::{Value, json};

use crate::Output;
use crate::error::Error;

/// Prints the first time `trigger` (JSON as the phone app writes it) fires after
/// `at` (Unix seconds) in the zone `tz`, or `never`.
pub fn next(trigger: &str, tz: &str, at: i64, output: Output) -> Result<(), Error> {
    let json: Value = serde_json::from_str(trigger).map_err(Error::Trigger)?;
    let zone = PosixTz::parse(tz).map_err(|source| Error::Zone {
        tz: tz.to_owned(),
        source,
    })?;
    let trigger = Trigger::from_json(&json);
    let next = trigger.next_after(at, &zone);
    match output {
        Output::Json => {
            let local = next.map(|next| local_text(&zone.local(next)));
            println!(
                "{}",
                json!({
                    "next": next,
                    "local": local,
                    "trigger": trigger.to_json(next.unwrap_or(0)),
                })
            );
        }
        Output::Human => match next {
            Some(next) => println!("{next} ({} local)", local_text(&zone.local(next))),
            None => println!("never"),
        },
    }
    Ok(())
}

/// `2025-03-30 07:00:00 +02:00`.
fn local_text(local: &LocalTime) -> String {
    let offset = local.offset.unsigned_abs();
    let sign = if local.offset < 0 { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {sign}{:02}:{:02}",
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        offset / 3600,
        offset / 60 % 60
    )
}
