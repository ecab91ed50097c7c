//! The scripted conversation, shared by the firmware and by its build script: the
//! build script runs it on the host (with `std`) to record what every step must
//! produce, and the firmware runs it on the target (with `alloc` only) and compares.
//!
//! Every step feeds the node one input, as an MQTT client would, and renders what
//! the node asks for (unsubscriptions, subscriptions, publishes with their QoS and
//! payload bytes, events) as one transcript.

use alloc::format;
use alloc::string::String;
use core::fmt::Write as _;

use rainmaker_types::clock::PosixTz;
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::node::{Event, Input, Node, Output};
use rainmaker_types::services::Schedule;
use rainmaker_types::{Device, NodeId, sdk_json};

/// The node id of the script.
pub const NODE_ID: &str = "7C9EBD4A1B2C";

pub use rainmaker_example_devices::{Light, led_light_info};

/// A temperature sensor whose readings are reported as a time series.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Temperature Sensor", r#type = "esp.device.temperature-sensor")]
pub struct TemperatureSensor {
    /// The name shown in the phone app.
    #[param(standard = Name)]
    pub name: String,
    /// Degrees Celsius.
    #[param(standard = Temperature, primary, time_series)]
    pub temperature: f32,
}

/// One step of the conversation and what the node asked for.
pub struct Step {
    /// What the step does.
    pub label: &'static str,
    /// The node's output, rendered.
    pub transcript: String,
}

/// Why the script stopped. The errors are read through `Debug` on the host; the
/// firmware only names the variant (formatting them would cost flash it does not
/// otherwise need).
#[derive(Debug)]
#[allow(dead_code)]
pub enum Stop {
    /// The node id was refused.
    Id(rainmaker_types::ids::IdError),
    /// The node refused an input or a call.
    Node(rainmaker_types::node::NodeError),
    /// The time zone was refused.
    Zone(rainmaker_types::clock::TzError),
}

impl From<rainmaker_types::node::NodeError> for Stop {
    fn from(error: rainmaker_types::node::NodeError) -> Self {
        Self::Node(error)
    }
}

/// Runs the whole conversation, handing each step to `step` as it is done (so a
/// run keeps no transcript longer than one step: the heap it peaks at is the
/// node's).
///
/// # Errors
///
/// The first error the node returns.
pub fn run(step: &mut dyn FnMut(Step)) -> Result<(), Stop> {
    let node_id = NodeId::new(NODE_ID).map_err(Stop::Id)?;
    // Schedules run in Berlin time; the script's clock starts on
    // 2025-11-26 10:13:20 UTC and only moves when the script says so.
    let berlin = PosixTz::parse("CET-1CEST,M3.5.0,M10.5.0/3").map_err(Stop::Zone)?;
    let mut node = Node::new(node_id, led_light_info())
        .with_ota_over_topics()
        .with_time_zone(berlin);
    node.add_device(Light::default())?;
    node.add_device(TemperatureSensor {
        name: "Temperature Sensor".into(),
        temperature: 21.5,
    })?;
    node.add_service(Schedule::default())?;
    let mut now: i64 = 1_764_152_000;

    let topic = |suffix: &str| format!("node/{NODE_ID}/{suffix}");
    let mut record = |label: &'static str, output: Result<Output, Stop>| -> Result<(), Stop> {
        step(Step {
            label,
            transcript: render(&output?),
        });
        Ok(())
    };
    let handle =
        |node: &mut Node, now: i64, input: Input<'_>| node.handle(now, input).map_err(Stop::Node);

    record(
        "connect: config, init, time series, otafetch, get pending",
        handle(&mut node, now, Input::Connected),
    )?;
    let remote = topic("params/remote");
    record(
        "remote write and its delta",
        handle(
            &mut node,
            now,
            Input::Received {
                topic: &remote,
                payload: br#"{"Light":{"Power":true,"Brightness":60}}"#,
            },
        ),
    )?;
    record(
        "rejected write (above the maximum)",
        handle(
            &mut node,
            now,
            Input::Received {
                topic: &remote,
                payload: br#"{"Light":{"Brightness":150}}"#,
            },
        ),
    )?;
    let mut request =
        b"\x01\x16EQPf7Rj7HFiBhFhvNMjLaB\x02\x01\x02\x04\x04\xc6\xa8\x3d\x68\x05\x02\x01\x00\x06\x24"
            .to_vec();
    request.extend_from_slice(br#"{"params":{"Light":{"Power":false}}}"#);
    let to_node = topic("to-node");
    record(
        "cmd-1 TLV request and its response",
        handle(
            &mut node,
            now,
            Input::Received {
                topic: &to_node,
                payload: &request,
            },
        ),
    )?;
    let otaurl = topic("otaurl");
    record(
        "OTA offer",
        handle(
            &mut node,
            now,
            Input::Received {
                topic: &otaurl,
                payload: br#"{"ota_job_id":"Fb6ZuZ2WhmqVkH5aPz4tCq","url":"https://example.com/fw.bin","fw_version":"1.1","file_size":1048576}"#,
            },
        ),
    )?;
    let progress = node.report_ota_status(now, OtaJobStatus::InProgress, "Downloading")?;
    record(
        "OTA progress",
        Ok(Output {
            publish: alloc::vec![progress],
            ..Output::default()
        }),
    )?;
    if let Some(sensor) = node.device_mut::<TemperatureSensor>("Temperature Sensor") {
        sensor.temperature = 22.75;
    }
    now += 60;
    record(
        "local change with time series",
        node.report_changes(now).map_err(Stop::Node),
    )?;
    // A schedule from the phone app: the light off at 11:15 Berlin time on
    // weekdays (the script's Wednesday), and a one-shot timer in two minutes.
    record(
        "schedules written, armed and reported",
        handle(
            &mut node,
            now,
            Input::Received {
                topic: &remote,
                payload: br#"{"Schedule":{"Schedules":[{"name":"Off","id":"OFF1","operation":"add","action":{"Light":{"Power":false}},"triggers":[{"m":675,"d":31}]},{"name":"Timer","id":"T1","operation":"add","action":{"Light":{"Brightness":20}},"triggers":[{"rsec":120}]}]}}"#,
            },
        ),
    )?;
    while let Some(due) = node.poll_timeout() {
        now = due;
        record(
            "a schedule fires",
            node.handle_timeout(now).map_err(Stop::Node),
        )?;
        if due > 1_764_152_000 + 3600 {
            break;
        }
    }
    Ok(())
}

/// The transcript of one output: one line per unsubscription, subscription,
/// publish (topic, QoS, payload as text or hex) and event (the fields a firmware
/// reacts to, written without `Debug` so the transcript costs little flash).
pub fn render(output: &Output) -> String {
    let mut text = String::new();
    for filter in &output.unsubscribe {
        let _ = writeln!(text, "unsubscribe {filter}");
    }
    for filter in &output.subscribe {
        let _ = writeln!(text, "subscribe {filter}");
    }
    for publish in &output.publish {
        let _ = write!(
            text,
            "publish {} qos {} ",
            publish.topic,
            publish.qos.as_u8()
        );
        match core::str::from_utf8(&publish.payload) {
            Ok(payload) if !payload.contains('\0') && payload.starts_with('{') => {
                let _ = writeln!(text, "{payload}");
            }
            _ => {
                for byte in &publish.payload {
                    let _ = write!(text, "{byte:02x}");
                }
                text.push('\n');
            }
        }
    }
    for event in &output.events {
        match event {
            Event::ParamsWritten {
                accepted, rejected, ..
            } => {
                let accepted = sdk_json::to_vec(accepted).unwrap_or_default();
                let _ = write!(
                    text,
                    "event params written {}",
                    core::str::from_utf8(&accepted).unwrap_or("?")
                );
                for error in rejected {
                    let _ = write!(text, " refused {}.{}", error.device, error.param);
                }
                text.push('\n');
            }
            Event::CommandAnswered {
                command, status, ..
            } => {
                let _ = writeln!(text, "event command {} answered {}", command.0, status.0);
            }
            Event::OtaOffered(job) => {
                let _ = writeln!(text, "event ota offered {}", job.ota_job_id);
            }
            Event::OtaIgnored(job) => {
                let _ = writeln!(text, "event ota ignored {}", job.ota_job_id);
            }
            Event::CommandDeferred(_) => text.push_str("event command deferred\n"),
            Event::ScheduleFired { id, .. } => {
                let _ = writeln!(text, "event schedule {id} fired");
            }
            _ => text.push_str("event\n"),
        }
    }
    text
}
