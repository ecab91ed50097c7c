//! Criterion benchmarks for the RainMaker crates; see `benches/` and the README's
//! performance section. This library holds the inputs the benchmarks share, so a
//! unit test can check that each is valid.

pub mod baseline;
pub mod traffic;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};

/// The settings every benchmark here runs with: short warm-up and measurement,
/// enough for stable ratios on a shared machine.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

/// One benchmark of `group`, `name`: `run` on every item of `items`, per iteration
/// (the items and results black-boxed).
pub fn bench_each<T, R>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    items: &[T],
    run: impl Fn(&T) -> R,
) {
    group.bench_function(name, |b| {
        b.iter(|| {
            for item in items {
                black_box(run(black_box(item)));
            }
        });
    });
}

pub mod inputs {
    //! Realistic inputs for the `types` benchmarks.

    use rainmaker_types::Channel;

    /// The node id in every topic.
    pub const NODE_ID: &str = "7C9EBD4A1B2C";
    /// The group id in the group topics.
    pub const GROUP_ID: &str = "kitchen";

    /// Every channel's topic in its plain form, and the basic-ingest forms that exist.
    pub fn topics() -> (Vec<String>, Vec<String>) {
        let plain: Vec<String> = Channel::ALL
            .iter()
            .map(|channel| {
                channel
                    .address()
                    .replace("{node_id}", NODE_ID)
                    .replace("{group_id}", GROUP_ID)
            })
            .collect();
        let ingest = plain
            .iter()
            .filter_map(|topic| rainmaker_types::Topic::parse(topic).ok()?.ingest())
            .collect();
        (plain, ingest)
    }

    /// A `params/local/init` document as a light, a sensor and the standard services
    /// report it (about 330 bytes).
    pub const PARAMS: &str = r#"{"Light":{"Name":"Light","Power":true,"Brightness":25,"Hue":180,"Saturation":100,"CCT":4000},"Temperature Sensor":{"Name":"Temperature Sensor","Temperature":25.50000},"Time":{"TZ":"Asia/Shanghai","TZ-POSIX":"CST-8"},"Schedule":{"Schedules":[]},"System":{"Reboot":false,"Factory-Reset":false,"Wi-Fi-Reset":false}}"#;

    /// The node config of docs/protocol.md (about 900 bytes).
    pub const CONFIG: &str = r#"{"node_id":"7C9EBD4A1B2C","config_version":"2020-03-20","info":{"name":"ESP RainMaker Device","fw_version":"1.0","type":"Lightbulb","model":"led_light","project_name":"led_light","platform":"esp32c3"},"attributes":[{"name":"cmd-resp","value":"1"}],"devices":[{"name":"Light","type":"esp.device.lightbulb","primary":"Power","params":[{"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},{"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"},{"name":"Brightness","type":"esp.param.brightness","data_type":"int","properties":["read","write"],"bounds":{"min":0,"max":100,"step":1},"ui_type":"esp.ui.slider"}]}],"services":[{"name":"Schedule","type":"esp.service.schedule","attributes":[{"name":"daylight_support","value":"yes"}],"params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array","properties":["read","write"],"bounds":{"max":10}}]}]}"#;

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn every_input_is_valid() {
            let (plain, ingest) = topics();
            assert_eq!(plain.len(), Channel::ALL.len());
            assert!(!ingest.is_empty());
            for topic in plain.iter().chain(&ingest) {
                assert!(rainmaker_types::Topic::parse(topic).is_ok(), "{topic}");
            }
            assert!(serde_json::from_str::<rainmaker_types::ParamsDocument>(PARAMS).is_ok());
            assert!(serde_json::from_str::<rainmaker_types::messages::NodeConfig>(CONFIG).is_ok());
        }
    }
}
