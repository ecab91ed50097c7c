//! Node-to-cloud traffic of a simulated fleet, recorded for the `ingest` benchmark.
//!
//! [`record`] runs sans-IO [`Node`]s (a dimmable light and a time-series temperature
//! sensor each, with the OTA and schedule services, half of them on basic-ingest
//! topics) through boot and a number of rounds in which each node, at random but
//! reproducibly, reports a temperature (a `params/local` delta and a `tsdata`
//! report), reports a light change (a delta), answers a set-params command from
//! the cloud (a `from-node` frame), or stays idle. Every publish the nodes make is
//! kept, in order.
//!
//! The recording the benchmark reads is committed as `data/node-traffic.txt`
//! ([`RECORDING`], read by [`load`]); `cargo run -p rainmaker-benches --bin
//! record-traffic` writes it again. One line per publish: `json <topic> <payload>`
//! or `tlv <topic> <hex frame>`.

use std::error::Error;

use rainmaker_test_support::node::{Light, led_light_info};
use rainmaker_tlv::{Command, Request, UserRole};
use rainmaker_types::node::{Input, Node};
use rainmaker_types::services::{Ota, Schedule};
use rainmaker_types::{Device, NodeId};

/// The recording the `ingest` benchmark reads.
pub const RECORDING: &str = include_str!("../data/node-traffic.txt");

/// How many nodes the committed recording simulates.
pub const NODES: usize = 50;
/// How many rounds after boot it records.
pub const ROUNDS: usize = 40;

/// One publish: its topic and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The topic, plain or basic-ingest.
    pub topic: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// A temperature sensor whose readings are a full time series.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Temperature Sensor", r#type = "esp.device.temperature-sensor")]
struct Sensor {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Temperature, primary, time_series)]
    temperature: f32,
}

/// A small deterministic generator (xorshift64*), so the recording is reproducible.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
    }
}

/// Records the traffic of `nodes` nodes over boot and `rounds` rounds.
///
/// # Errors
///
/// A node's error (none is expected: the inputs are valid).
pub fn record(nodes: usize, rounds: usize) -> Result<Vec<Publish>, Box<dyn Error>> {
    let mut random = Random(0x5EED_CAFE_F00D_0001);
    let mut fleet = Vec::with_capacity(nodes);
    let mut out = Vec::new();
    let start = 1_764_000_000;
    for index in 0..nodes {
        let id = format!("7C9EBD{:06X}", 0x4A_0000 + index);
        let node_id = NodeId::new(id)?;
        let mut node = Node::new(node_id, led_light_info())
            .with_ingest_topics(index % 2 == 0)
            .with_ota_over_topics();
        node.add_device(Light::new(false, 25))?;
        node.add_device(Sensor {
            name: "Temperature Sensor".into(),
            temperature: 21.5,
        })?;
        node.add_service(Ota::new())?;
        node.add_service(Schedule::default())?;
        keep(&mut out, node.handle(start, Input::Connected)?);
        fleet.push(node);
    }
    for round in 1..=rounds {
        let now = start + 60 * i64::try_from(round).unwrap_or(i64::MAX / 120);
        for node in &mut fleet {
            let roll = random.below(100);
            if roll < 25 {
                let tenths = i32::try_from(random.below(150)).unwrap_or(0);
                #[allow(clippy::cast_precision_loss)]
                let reading = 15.0 + tenths as f32 / 10.0;
                if let Some(sensor) = node.device_mut::<Sensor>("Temperature Sensor") {
                    sensor.temperature = reading;
                }
                keep(&mut out, node.report_changes(now)?);
            } else if roll < 47 {
                let flip = random.below(2) == 0;
                let level = i32::try_from(random.below(101)).unwrap_or(0);
                if let Some(light) = node.device_mut::<Light>("Light") {
                    if flip {
                        light.power = !light.power;
                    } else {
                        light.brightness = level;
                    }
                }
                keep(&mut out, node.report_changes(now)?);
            } else if roll < 72 {
                let power = random.below(2) == 0;
                let frame = set_params_request(round, power, now);
                let topic = format!("node/{}/to-node", node.node_id());
                keep(
                    &mut out,
                    node.handle(
                        now,
                        Input::Received {
                            topic: &topic,
                            payload: &frame,
                        },
                    )?,
                );
            }
        }
    }
    Ok(out)
}

/// A set-params command as the cloud sends it.
fn set_params_request(round: usize, power: bool, now: i64) -> Vec<u8> {
    let request_id = format!("req{round:05}x{}", u8::from(power));
    let data = format!(r#"{{"params":{{"Light":{{"Power":{power}}}}}}}"#);
    Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(request_id.as_bytes())
        .with_timestamp(u32::try_from(now).unwrap_or_default())
        .with_data(data.as_bytes())
        .to_vec()
        .unwrap_or_default()
}

fn keep(out: &mut Vec<Publish>, output: rainmaker_types::node::Output) {
    out.extend(output.publish.into_iter().map(|publish| Publish {
        topic: publish.topic,
        payload: publish.payload,
    }));
}

/// Writes publishes in the recording's line format.
pub fn write(publishes: &[Publish]) -> String {
    let mut text = String::from(
        "# Node-to-cloud traffic of a simulated fleet; see benches/src/traffic.rs.\n\
         # Written by `cargo run -p rainmaker-benches --bin record-traffic`.\n",
    );
    for publish in publishes {
        if publish.topic.ends_with("/from-node") {
            text.push_str("tlv ");
            text.push_str(&publish.topic);
            text.push(' ');
            text.push_str(&hex::encode(&publish.payload));
        } else {
            text.push_str("json ");
            text.push_str(&publish.topic);
            text.push(' ');
            text.push_str(&String::from_utf8_lossy(&publish.payload));
        }
        text.push('\n');
    }
    text
}

/// Reads a recording written by [`write()`].
///
/// # Errors
///
/// The line number (1-based) and what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<Publish>, String> {
    let mut publishes = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = index + 1;
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (Some(kind), Some(topic), Some(payload)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("line {at}: expected `<kind> <topic> <payload>`"));
        };
        let payload = match kind {
            "json" => payload.as_bytes().to_vec(),
            "tlv" => hex::decode(payload).map_err(|error| format!("line {at}: {error}"))?,
            other => return Err(format!("line {at}: unknown kind `{other}`")),
        };
        publishes.push(Publish {
            topic: topic.to_owned(),
            payload,
        });
    }
    Ok(publishes)
}

/// The committed recording.
///
/// # Panics
///
/// If the committed file is malformed (a unit test checks it is not).
pub fn load() -> Vec<Publish> {
    parse(RECORDING).unwrap_or_else(|error| panic!("data/node-traffic.txt: {error}"))
}

#[cfg(test)]
mod tests {
    use rainmaker_types::{Channel, Envelope, EnvelopeRef};

    use super::*;

    #[test]
    fn the_recording_is_what_the_recorder_writes_and_every_publish_decodes() {
        let recorded = record(NODES, ROUNDS).expect("the fleet runs");
        assert!(
            write(&recorded) == RECORDING,
            "the recording is stale: run `cargo run -p rainmaker-benches --bin record-traffic`"
        );
        let mut by_channel = std::collections::BTreeMap::<Channel, usize>::new();
        for publish in load() {
            let owned = Envelope::decode(&publish.topic, &publish.payload)
                .unwrap_or_else(|error| panic!("{}: {error}", publish.topic));
            let view = EnvelopeRef::decode(&publish.topic, &publish.payload)
                .unwrap_or_else(|error| panic!("{}: {error}", publish.topic));
            assert_eq!(view.topic().to_topic(), *owned.topic());
            *by_channel.entry(owned.topic().channel()).or_default() += 1;
        }
        let total: usize = by_channel.values().sum();
        let share = |channel| by_channel.get(&channel).copied().unwrap_or(0) * 100 / total;
        // A realistic mix: mostly deltas, then time series and command answers.
        assert!(
            (40..=50).contains(&share(Channel::ParamsLocal)),
            "{by_channel:?}"
        );
        assert!(
            (18..=30).contains(&share(Channel::TsData)),
            "{by_channel:?}"
        );
        assert!(
            (18..=30).contains(&share(Channel::FromNode)),
            "{by_channel:?}"
        );
        for boot in [
            Channel::NodeConfig,
            Channel::ParamsLocalInit,
            Channel::OtaFetch,
        ] {
            assert_eq!(by_channel.get(&boot), Some(&NODES), "{boot}");
        }
    }

    #[test]
    fn the_line_format_round_trips() {
        let publishes = vec![
            Publish {
                topic: "node/n/params/local".into(),
                payload: br#"{"a":{"b":"c d"}}"#.to_vec(),
            },
            Publish {
                topic: "node/n/from-node".into(),
                payload: vec![0, 1, 0xff],
            },
        ];
        assert_eq!(parse(&write(&publishes)), Ok(publishes));
        assert!(parse("tlv node/n/from-node 0g").is_err());
        assert!(parse("xml a b").is_err());
    }
}
