//! The node against the C SDK corpus (`tests/data/c-sdk-json`): the SDK examples'
//! devices declared with `#[derive(Device)]`, driven through the same scenarios,
//! publish the SDK's bytes on the SDK's topics.

#![cfg(feature = "derive")]

use std::path::PathBuf;

use rainmaker_test_support::node::{LedLight as Light, NODE_ID, node_id, temperature_sensor_info};
use rainmaker_types::Device;
use rainmaker_types::device::WriteRejection;
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::{Input, Node, NodeError, Publish};
use rainmaker_types::services::{Scenes, Schedule, System, SystemFlags, Time};

/// The time the SDK's recordings were made at, as far as the node knew: before
/// its clock was synchronised (so no time series, and schedules wait).
const UNSYNCED: i64 = 0;

/// The bytes of a corpus file.
fn corpus(file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/c-sdk-json")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Asserts that `publish` is the corpus file, topic included.
fn assert_published(publish: &Publish, file: &str, topic_suffix: &str) {
    assert!(
        publish.topic.ends_with(topic_suffix),
        "{file}: published on {}",
        publish.topic
    );
    assert_eq!(
        String::from_utf8_lossy(&publish.payload),
        String::from_utf8_lossy(&corpus(file)),
        "{file}"
    );
}

fn led_light_info() -> NodeInfo {
    let mut info = NodeInfo::new(
        "ESP RainMaker Device",
        "1.0",
        "Lightbulb",
        "led_light",
        "led_light",
        NodeInfoPlatform::Esp32,
    );
    info.readme = Some(
        "https://raw.githubusercontent.com/espressif/esp-rainmaker/master/examples/led_light/README.md"
            .into(),
    );
    info
}

/// The node of the `led_light` scenario, booted.
fn led_light() -> (Node, Vec<Publish>) {
    let mut node = Node::new(node_id(), led_light_info())
        .with_ingest_topics(true)
        .with_ota_over_topics();
    node.add_device(Light {
        name: "Light".into(),
        power: true,
        brightness: 25,
        hue: 180,
        saturation: 100,
    })
    .expect("the light");
    node.add_service(Time::new()).expect("time");
    node.add_service(Schedule::default()).expect("schedule");
    node.add_service(Scenes::default()).expect("scenes");
    node.add_service(System::new(SystemFlags::ALL))
        .expect("system");
    let boot = node.handle(UNSYNCED, Input::Connected).expect("boots");
    (node, boot.publish)
}

fn remote(node: &mut Node, write: &[u8]) -> Vec<Publish> {
    node.handle(
        UNSYNCED,
        Input::Received {
            topic: &format!("node/{NODE_ID}/params/remote"),
            payload: write,
        },
    )
    .expect("a valid write")
    .publish
}

#[test]
fn led_light_boots_as_the_sdk() {
    let (_, boot) = led_light();
    assert_published(&boot[0], "led_light.boot.config.json", "/config");
    assert_published(
        &boot[1],
        "led_light.boot.params-local-init.json",
        "/params/local/init",
    );
    assert_published(&boot[2], "led_light.otafetch.otafetch.json", "/otafetch");
    assert_published(&boot[3], "led_light.boot.from-node.bin", "/from-node");
    assert_eq!(boot.len(), 4);
    assert_eq!(
        boot[0].topic,
        format!("$aws/rules/esp_node_config/node/{NODE_ID}/config")
    );
}

#[test]
fn led_light_writes_are_reported_as_the_sdk_reports_them() {
    let (mut node, _) = led_light();
    let out = remote(&mut node, br#"{"Light":{"Power":false,"Brightness":60}}"#);
    assert_published(
        &out[0],
        "led_light.remote-power-brightness.params-local.json",
        "/params/local",
    );
    // Written in another order, reported in the device's param order.
    let out = remote(&mut node, br#"{"Light":{"Saturation":50,"Hue":270}}"#);
    assert_published(
        &out[0],
        "led_light.remote-hue-saturation.params-local.json",
        "/params/local",
    );
    let out = remote(&mut node, br#"{"Light":{"Name":"Living Room"}}"#);
    assert_published(
        &out[0],
        "led_light.remote-name.params-local.json",
        "/params/local",
    );
    let out = remote(&mut node, br#"{"System":{"Reboot":true}}"#);
    assert_published(
        &out[0],
        "led_light.system-reboot.params-local.json",
        "/params/local",
    );
}

#[test]
fn a_time_zone_write_reports_its_posix_string_first() {
    let (mut node, _) = led_light();
    let out = remote(&mut node, br#"{"Time":{"TZ":"Asia/Kolkata"}}"#);
    assert_eq!(out.len(), 2, "{out:?}");
    assert_published(
        &out[0],
        "led_light.time-tz.params-local.json",
        "/params/local",
    );
    assert_published(
        &out[1],
        "led_light.time-tz.params-local-2.json",
        "/params/local",
    );
    let time = node.device::<Time>("Time").expect("time service");
    assert_eq!((time.tz(), time.tz_posix()), ("Asia/Kolkata", "IST-5:30"));
}

#[test]
fn a_local_change_is_reported_as_the_sdk_reports_it() {
    let (mut node, _) = led_light();
    remote(&mut node, br#"{"Light":{"Power":false}}"#);
    if let Some(light) = node.device_mut::<Light>("Light") {
        light.power = true;
    }
    let out = node.report_changes(UNSYNCED).expect("reports");
    assert_published(
        &out.publish[0],
        "led_light.local-power.params-local.json",
        "/params/local",
    );
}

/// The temperature sensor of `examples/temperature_sensor`.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Temperature Sensor", r#type = "esp.device.temperature-sensor")]
struct TemperatureSensor {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Temperature, primary, time_series)]
    temperature: f32,
}

#[test]
fn temperature_sensor_reports_time_series_as_the_sdk() {
    let info = temperature_sensor_info();
    let mut node = Node::new(node_id(), info)
        .with_ingest_topics(true)
        .with_ota_over_topics();
    node.add_device(TemperatureSensor {
        name: "Temperature Sensor".into(),
        temperature: 25.0,
    })
    .expect("the sensor");
    let start = 1_700_000_000;
    let boot = node.handle(start, Input::Connected).expect("boots").publish;
    assert_published(
        &boot[1],
        "temperature_sensor.boot.params-local-init.json",
        "/params/local/init",
    );
    assert_published(&boot[2], "temperature_sensor.boot.tsdata.json", "/tsdata");
    for (reading, at, name) in [
        (25.5, 60, "update-25.5"),
        (0.1, 120, "update-0.1"),
        (-12.75, 180, "update-negative"),
    ] {
        if let Some(sensor) = node.device_mut::<TemperatureSensor>("Temperature Sensor") {
            sensor.temperature = reading;
        }
        let out = node.report_changes(start + at).expect("reports").publish;
        assert_published(
            &out[0],
            &format!("temperature_sensor.{name}.params-local.json"),
            "/params/local",
        );
        assert_published(
            &out[1],
            &format!("temperature_sensor.{name}.tsdata.json"),
            "/tsdata",
        );
    }
}

#[test]
fn long_group_ids_and_large_configs_are_valid() {
    // Group ids over 32 bytes work on the group topics (the SDK's limit is its last
    // will's only).
    let group = "g".repeat(33);
    let topic = rainmaker_types::Topic::parse(&format!("node/{NODE_ID}/params/remote/{group}"))
        .expect("a 33-byte group id");
    assert_eq!(topic.channel(), rainmaker_types::Channel::ParamsRemoteGroup);
    let id = rainmaker_types::GroupId::new(group).expect("valid");
    assert!(!id.fits_last_will());
    // A device with 300 params decodes.
    let params: Vec<String> = (0..300)
        .map(|n| format!(r#"{{"name":"p{n}","data_type":"int","properties":["read"]}}"#))
        .collect();
    let config = format!(
        r#"{{"node_id":"{NODE_ID}","config_version":"2020-03-20","info":{{"name":"n","fw_version":"1","type":"t","model":"m","project_name":"p","platform":"esp32"}},"devices":[{{"name":"D","params":[{}]}}]}}"#,
        params.join(",")
    );
    let decoded =
        rainmaker_types::Message::decode(rainmaker_types::Channel::NodeConfig, config.as_bytes())
            .expect("300 params");
    assert_eq!(decoded.kind(), rainmaker_types::MessageKind::NodeConfig);
}

/// A params write before the connection is up is refused with a typed error; so
/// are initial values outside the declared bounds.
#[test]
fn inputs_before_connecting_and_bad_initial_values_are_refused() {
    let mut node = Node::new(node_id(), led_light_info());
    let early = node.handle(
        UNSYNCED,
        Input::Received {
            topic: &format!("node/{NODE_ID}/params/remote"),
            payload: br#"{"Light":{"Power":false}}"#,
        },
    );
    assert_eq!(early.map(|_| ()), Err(NodeError::NotConnected));
    let error = node
        .add_device(Light {
            name: "Light".into(),
            power: true,
            brightness: 150,
            hue: 0,
            saturation: 0,
        })
        .map(|_| ())
        .expect_err("brightness over its maximum");
    assert!(
        matches!(
            &error,
            NodeError::InvalidInitialValue { device, param, reason: WriteRejection::AboveMax { .. } }
                if device == "Light" && param == "Brightness"
        ),
        "{error}"
    );
}

/// OTA over topics is opt-in, as in the SDK: without it there is no `otafetch`.
#[test]
fn without_ota_over_topics_there_is_no_otafetch() {
    let mut node = Node::new(node_id(), led_light_info());
    node.add_service(Time::new()).expect("time");
    let boot = node
        .handle(UNSYNCED, Input::Connected)
        .expect("boots")
        .publish;
    assert!(
        boot.iter()
            .all(|publish| !publish.topic.ends_with("/otafetch"))
    );
    let offer = node.handle(
        UNSYNCED,
        Input::Received {
            topic: &format!("node/{NODE_ID}/otaurl"),
            payload: br#"{"ota_job_id":"j","url":"https://x/fw.bin","fw_version":"2"}"#,
        },
    );
    assert!(offer.is_err(), "{offer:?}");
}

#[test]
fn schedules_and_scenes_are_reported_as_the_sdk_reports_them() {
    let (mut node, _) = led_light();
    let out = remote(
        &mut node,
        br#"{"Schedule":{"Schedules":[{"id":"8D3A","operation":"add","name":"Evening","triggers":[{"m":1110,"d":31}],"action":{"Light":{"Power":true,"Brightness":80}}}]}}"#,
    );
    assert_published(
        &out[0],
        "led_light.schedule-add.params-local.json",
        "/params/local",
    );
    let out = remote(
        &mut node,
        br#"{"Schedule":{"Schedules":[{"id":"SR01","operation":"add","name":"Sunrise","info":"wake up","flags":3,"validity":{"start":1700000000,"end":1800000000},"triggers":[{"sr":-15,"lat":18.52040,"lon":73.85670,"d":127,"loc":"Pune","ts":1700003600}],"action":{"Light":{"Power":true}}}]}}"#,
    );
    assert_published(
        &out[0],
        "led_light.schedule-add-sunrise.params-local.json",
        "/params/local",
    );
    let out = remote(
        &mut node,
        br#"{"Schedule":{"Schedules":[{"id":"8D3A","operation":"disable"}]}}"#,
    );
    assert_published(
        &out[0],
        "led_light.schedule-disable.params-local.json",
        "/params/local",
    );
    let out = remote(
        &mut node,
        br#"{"Scenes":{"Scenes":[{"id":"S1","operation":"add","name":"Movie","info":"dim lights","action":{"Light":{"Power":true,"Brightness":10}}}]}}"#,
    );
    assert_published(
        &out[0],
        "led_light.scene-add.params-local.json",
        "/params/local",
    );
}
