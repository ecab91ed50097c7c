//! `check-node` against nodes on a mosquitto the test starts: our own nodes
//! (the demo node, the SDK example nodes, both topic forms) are conformant, and
//! each deliberately broken node is reported with the rule it breaks and the
//! topic where it broke it.

mod harness;

use std::time::Duration;

use harness::{Faults, Out, edit_json, on, replace};
use rainmaker_cli::check::rules::{self, Rule};
use rainmaker_cli::check::{Checker, Report, Settings};
use rainmaker_example_devices::{LedLight, Light};
use rainmaker_examples::devices::TemperatureSensor;
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::Node;
use rainmaker_types::services::{
    Connectivity, Groups, Scenes, Schedule, System, SystemFlags, Time,
};
use rainmaker_types::tlv::{OwnedFrame, Status};
use rainmaker_types::{GroupId, NodeId};
use rumqttc::QoS;
use serde_json::{Value, json};

/// How long a test node may take to answer (generous: the checks run side by side).
const ANSWER: Duration = Duration::from_secs(3);

/// How many checks run at once.
const AT_ONCE: usize = 20;

/// The test node: the SDK example's light, the time, schedule and system
/// services, OTA over topics.
fn light_node(id: &str, ingest: bool) -> Node {
    let info = NodeInfo::new(
        "Harness",
        "1.0",
        "Lightbulb",
        "harness",
        "harness",
        NodeInfoPlatform::Esp32c3,
    );
    let mut node = Node::new(NodeId::new(id).expect("an id"), info)
        .with_ota_over_topics()
        .with_ingest_topics(ingest);
    node.add_device(Light::default())
        .and_then(|node| node.add_service(Time::new()))
        .and_then(|node| node.add_service(Schedule::default()))
        .and_then(|node| {
            node.add_service(System::new(SystemFlags {
                reboot: true,
                ..SystemFlags::default()
            }))
        })
        .expect("the devices");
    node
}

/// The SDK's `led_light` example node as it boots: its light, the time,
/// schedule, scenes and system services, basic-ingest topics (the SDK's
/// default), OTA over topics.
fn led_light_node(id: &str) -> Node {
    let mut node = Node::new(
        NodeId::new(id).expect("an id"),
        rainmaker_example_devices::led_light_info(),
    )
    .with_ota_over_topics()
    .with_ingest_topics(true);
    node.add_device(LedLight::default())
        .and_then(|node| node.add_service(Time::new()))
        .and_then(|node| node.add_service(Schedule::default()))
        .and_then(|node| node.add_service(Scenes::default()))
        .and_then(|node| node.add_service(System::new(SystemFlags::ALL)))
        .expect("the devices");
    node
}

/// A temperature sensor node as the SDK's `temperature_sensor` example boots:
/// a read-only sensor, no writable device param.
fn temperature_sensor_node(id: &str) -> Node {
    let info = rainmaker_example_devices::temperature_sensor_info();
    let mut node = Node::new(NodeId::new(id).expect("an id"), info)
        .with_ota_over_topics()
        .with_ingest_topics(true);
    node.add_device(TemperatureSensor::default())
        .and_then(|node| node.add_service(Time::new()))
        .and_then(|node| node.add_service(Schedule::default()))
        .expect("the devices");
    node
}

/// The test node with the connectivity service (and so a Last Will).
fn connectivity_node(id: &str) -> Node {
    let mut node = light_node(id, false);
    node.add_service(Connectivity::new()).expect("connectivity");
    node
}

/// The test node in group `G1`.
fn group_node(id: &str) -> Node {
    let group = GroupId::new("G1").expect("a group id");
    let mut node = light_node(id, false).with_group(group.clone());
    node.add_service(Groups::with_group(&group))
        .expect("groups");
    node
}

/// Settings for a check of `id` on `url`.
fn settings(url: &str, id: &str, destructive: bool) -> Settings {
    let mut settings = Settings::new(url.parse().expect("a broker url"), id);
    settings.boot_timeout = Duration::from_secs(15);
    settings.answer_timeout = ANSWER;
    settings.destructive = destructive;
    settings
}

/// One node to check.
struct Case {
    /// The rule it breaks (`None`: it breaks none).
    rule: Option<&'static Rule>,
    /// Where the deviation must be seen: the topic's end.
    topic: &'static str,
    make: fn(&str) -> Node,
    faults: Faults,
    destructive: bool,
}

fn broken(rule: &'static Rule, topic: &'static str, faults: Faults) -> Case {
    Case {
        rule: Some(rule),
        topic,
        make: |id| light_node(id, false),
        faults,
        destructive: false,
    }
}

fn plain(id: &str) -> Node {
    light_node(id, false)
}

/// What a check found for one case.
struct Checked {
    rule: Option<&'static Rule>,
    topic: &'static str,
    id: String,
    report: Report,
}

/// Checks every case side by side, a few at a time.
fn check_all(url: &str, cases: Vec<Case>) -> Vec<Checked> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut done = Vec::new();
        let mut cases = cases.into_iter().enumerate().peekable();
        while cases.peek().is_some() {
            let mut running = Vec::new();
            for (index, case) in cases.by_ref().take(AT_ONCE) {
                let Case {
                    rule,
                    topic,
                    make,
                    faults,
                    destructive,
                } = case;
                let id = format!("C4EC0000{index:04X}");
                let url = url.to_owned();
                let node_id = id.clone();
                let task = tokio::spawn(async move {
                    let checker = Checker::connect(settings(&url, &node_id, destructive))
                        .await
                        .expect("the broker");
                    let node = harness::spawn(&url, move || make(&node_id), faults);
                    let report = checker.run().await;
                    node.abort();
                    report
                });
                running.push((rule, topic, id, task));
            }
            for (rule, topic, id, task) in running {
                let report = task.await.expect("the check ran");
                let report = report.unwrap_or_else(|error| panic!("{id}: {error}"));
                done.push(Checked {
                    rule,
                    topic,
                    id,
                    report,
                });
            }
        }
        done
    })
}

/// The from-node answers, rewritten by `edit` (decoded, then encoded again).
fn edit_answers(
    mut edit: impl FnMut(&mut rainmaker_types::tlv::OwnedResponse) + Send + 'static,
) -> Faults {
    Faults {
        outgoing: on("/from-node", move |mut out| {
            if let Ok(OwnedFrame::Response(mut response)) = OwnedFrame::decode(&out.payload) {
                edit(&mut response);
                if let Ok(bytes) = response.to_vec() {
                    out.payload = bytes;
                }
            }
            vec![out]
        }),
        ..Faults::default()
    }
}

/// Extra reports when a write on `params/remote` matches `echo`: the node
/// reports what it should have ignored.
fn echo_writes(echo: fn(&Value) -> bool) -> Faults {
    Faults {
        incoming: Some(Box::new(move |topic: &str, payload: &[u8]| {
            let write: Value = serde_json::from_slice(payload).unwrap_or_default();
            if topic.ends_with("/params/remote") && echo(&write) {
                let topic = topic.replace("/params/remote", "/params/local");
                vec![Out {
                    topic,
                    payload: payload.to_vec(),
                    qos: QoS::AtLeastOnce,
                }]
            } else {
                Vec::new()
            }
        })),
        ..Faults::default()
    }
}

fn faults(outgoing: Option<harness::Rewrite>) -> Faults {
    Faults {
        outgoing,
        ..Faults::default()
    }
}

/// One broken node per rule.
fn broken_nodes() -> Vec<Case> {
    vec![
        broken(
            &rules::QOS,
            "/config",
            faults(on("", |mut out| {
                out.qos = QoS::AtMostOnce;
                vec![out]
            })),
        ),
        broken(
            &rules::TOPIC,
            "/params/locale",
            faults(on("/params/local/init", |out| {
                let stray = Out {
                    topic: out.topic.replace("/params/local/init", "/params/locale"),
                    ..out.clone()
                };
                vec![out, stray]
            })),
        ),
        broken(
            &rules::JSON,
            "/config",
            faults(replace("/config", "\"Harness\"", "\"Har\tness\"")),
        ),
        broken(
            &rules::SCHEMA,
            "/otafetch",
            faults(edit_json("/otafetch", |fetch| {
                if let Some(fetch) = fetch.as_object_mut() {
                    fetch.remove("fw_version");
                }
            })),
        ),
        broken(&rules::ORDER, "/config", {
            let mut held = None;
            faults(on("", move |out| {
                if out.topic.ends_with("/config") {
                    held = Some(out);
                    Vec::new()
                } else if out.topic.ends_with("/params/local/init") {
                    let mut outs = vec![out];
                    outs.extend(held.take());
                    outs
                } else {
                    vec![out]
                }
            }))
        }),
        broken(
            &rules::INIT,
            "/params/local/init",
            faults(on("/params/local/init", |_| Vec::new())),
        ),
        broken(
            &rules::GET_PENDING,
            "/from-node",
            faults(on("/from-node", |out| {
                if out.payload == rainmaker_types::tlv::GET_PENDING_FRAME {
                    Vec::new()
                } else {
                    vec![out]
                }
            })),
        ),
        broken(
            &rules::NODE_ID,
            "/config",
            faults(edit_json("/config", |config| {
                config["node_id"] = json!("ANOTHERNODE1");
            })),
        ),
        broken(
            &rules::UNIQUE_NAMES,
            "/config",
            faults(edit_json("/config", |config| {
                let light = config["devices"][0].clone();
                if let Some(devices) = config["devices"].as_array_mut() {
                    devices.push(light);
                }
            })),
        ),
        broken(
            &rules::STANDARD_TYPES,
            "/config",
            faults(replace(
                "/config",
                "esp.device.lightbulb",
                "esp.device.lightbulb2",
            )),
        ),
        broken(
            &rules::STANDARD_PARAMS,
            "/config",
            faults(replace(
                "/config",
                "esp.param.brightness",
                "esp.param.power",
            )),
        ),
        broken(
            &rules::BOUNDS,
            "/config",
            faults(replace(
                "/config",
                "\"min\":0,\"max\":100",
                "\"min\":100,\"max\":0",
            )),
        ),
        broken(
            &rules::PROPERTIES,
            "/config",
            faults(edit_json("/config", |config| {
                config["devices"][0]["params"][2]["properties"] =
                    json!(["read", "write", "time_series", "simple_ts"]);
            })),
        ),
        broken(
            &rules::PRIMARY,
            "/config",
            faults(replace(
                "/config",
                "\"primary\":\"Power\"",
                "\"primary\":\"Nope\"",
            )),
        ),
        broken(
            &rules::SERVICE_PARAMS,
            "/config",
            faults(edit_json("/config", |config| {
                let zone = json!({"name": "Zone", "data_type": "string", "properties": ["read"]});
                if let Some(params) = config["services"][0]["params"].as_array_mut() {
                    params.push(zone);
                }
            })),
        ),
        broken(
            &rules::COMPLETE,
            "/params/local/init",
            faults(edit_json("/params/local/init", |init| {
                if let Some(light) = init.get_mut("Light").and_then(Value::as_object_mut) {
                    light.remove("Brightness");
                }
            })),
        ),
        broken(
            &rules::DECLARED,
            "/params/local/init",
            faults(edit_json("/params/local/init", |init| {
                init["Light"]["Colour"] = json!(1);
            })),
        ),
        broken(
            &rules::TYPES,
            "/params/local/init",
            faults(edit_json("/params/local/init", |init| {
                init["Light"]["Brightness"] = json!("25");
            })),
        ),
        broken(
            &rules::IN_BOUNDS,
            "/params/local/init",
            faults(edit_json("/params/local/init", |init| {
                init["Light"]["Brightness"] = json!(150);
            })),
        ),
        broken(
            &rules::REPORTED,
            "/params/local",
            faults(on("/params/local", |_| Vec::new())),
        ),
        broken(
            &rules::VALUE,
            "/params/local",
            faults(edit_json("/params/local", |report| {
                if let Some(level) = report["Light"]["Brightness"].as_i64() {
                    report["Light"]["Brightness"] = json!(if level > 0 { level - 1 } else { 1 });
                }
            })),
        ),
        broken(
            &rules::IGNORED,
            "/params/local",
            echo_writes(|write| {
                write.get("check-node-unknown").is_some()
                    || write["Light"].get("check-node-unknown").is_some()
            }),
        ),
        broken(
            &rules::OUT_OF_RANGE,
            "/params/local",
            echo_writes(|write| {
                write["Light"]["Brightness"]
                    .as_i64()
                    .is_some_and(|level| level > 100)
            }),
        ),
        Case {
            rule: Some(&rules::GROUP),
            topic: "/params/local",
            make: group_node,
            faults: faults(on("/params/local/G1", |mut out| {
                out.topic = out.topic.replace("/params/local/G1", "/params/local");
                vec![out]
            })),
            destructive: false,
        },
        broken(
            &rules::SET,
            "/from-node",
            edit_answers(|answer| {
                if answer.status == Status::SUCCESS && !answer.data.is_empty() {
                    answer.data = br#"{"status":"success"}"#.to_vec();
                }
            }),
        ),
        broken(
            &rules::ECHO,
            "/from-node",
            edit_answers(|answer| {
                if answer
                    .request_id
                    .as_deref()
                    .is_some_and(|id| !id.is_empty())
                {
                    answer.request_id = Some(b"another".to_vec());
                }
            }),
        ),
        broken(
            &rules::NO_DELTA,
            "/params/local",
            faults(on("/from-node", |out| {
                let mut outs = vec![out.clone()];
                if let Ok(OwnedFrame::Response(answer)) = OwnedFrame::decode(&out.payload) {
                    let data: Value = serde_json::from_slice(&answer.data).unwrap_or_default();
                    if let Some(params) = data.get("params") {
                        let topic = out.topic.replace("/from-node", "/params/local");
                        outs.push(Out {
                            topic,
                            payload: params.to_string().into_bytes(),
                            qos: QoS::AtLeastOnce,
                        });
                    }
                }
                outs
            })),
        ),
        broken(
            &rules::FAILED,
            "/from-node",
            edit_answers(|answer| {
                if answer.status == Status::FAILED {
                    answer.status = Status::SUCCESS;
                }
            }),
        ),
        broken(
            &rules::AUTH,
            "/from-node",
            edit_answers(|answer| {
                if answer.status == Status::AUTH_FAILED {
                    answer.status = Status::SUCCESS;
                }
            }),
        ),
        broken(
            &rules::UNKNOWN,
            "/from-node",
            edit_answers(|answer| {
                if answer.status == Status::NOT_FOUND {
                    answer.status = Status::INVALID;
                }
            }),
        ),
        broken(
            &rules::INVALID,
            "/from-node",
            faults(on("/from-node", |out| {
                match OwnedFrame::decode(&out.payload) {
                    Ok(OwnedFrame::Response(answer)) if answer.status == Status::INVALID => {
                        Vec::new()
                    }
                    _ => vec![out],
                }
            })),
        ),
        broken(
            &rules::TIME_ZONE,
            "/params/local",
            faults(edit_json("/params/local", |report| {
                if let Some(time) = report.get_mut("Time").and_then(Value::as_object_mut) {
                    time.remove("TZ-POSIX");
                }
            })),
        ),
        broken(
            &rules::SCHEDULES,
            "/params/local",
            faults(edit_json("/params/local", |report| {
                if let Some(schedule) = report.get_mut("Schedule").and_then(Value::as_object_mut) {
                    schedule.remove("Schedules");
                }
            })),
        ),
        broken(
            &rules::OTA_FETCH,
            "/otafetch",
            faults(edit_json("/otafetch", |fetch| {
                fetch["fw_version"] = json!("9.9");
            })),
        ),
        broken(
            &rules::OTA_STATUS,
            "/otastatus",
            Faults {
                ignores_ota: true,
                ..Faults::default()
            },
        ),
        Case {
            rule: Some(&rules::CONNECTED),
            topic: "/params/local",
            make: connectivity_node,
            faults: faults(on("/params/local", |out| {
                if out.payload == br#"{"Connectivity":{"Connected":true}}"# {
                    Vec::new()
                } else {
                    vec![out]
                }
            })),
            destructive: false,
        },
        Case {
            rule: Some(&rules::LAST_WILL),
            topic: "/params/local",
            make: connectivity_node,
            faults: Faults {
                no_will: true,
                ..Faults::default()
            },
            destructive: true,
        },
        Case {
            rule: Some(&rules::RECONNECT),
            topic: "/from-node",
            make: plain,
            faults: Faults {
                stays_down: true,
                ..Faults::default()
            },
            destructive: true,
        },
        Case {
            rule: Some(&rules::REBOOT),
            topic: "/config",
            make: plain,
            faults: Faults {
                ignores_reboot: true,
                ..Faults::default()
            },
            destructive: true,
        },
    ]
}

/// Our own nodes, which break no rule.
fn conformant_nodes() -> Vec<Case> {
    let good = |make: fn(&str) -> Node, destructive| Case {
        rule: None,
        topic: "",
        make,
        faults: Faults::default(),
        destructive,
    };
    vec![
        good(plain, false),
        good(|id| light_node(id, true), false),
        good(group_node, false),
        good(plain, true),
        good(led_light_node, true),
        good(connectivity_node, true),
        good(temperature_sensor_node, false),
    ]
}

#[test]
fn each_broken_node_is_reported_with_its_rule_and_topic() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let cases = broken_nodes();
    // Every rule has its broken node.
    for rule in rules::ALL {
        assert!(
            cases.iter().any(|case| case.rule == Some(*rule)),
            "no broken node for {}",
            rule.id
        );
    }
    let mut failures = Vec::new();
    for checked in check_all(&broker.url(), cases) {
        eprint!("{}", checked.report.human());
        let rule = checked.rule.expect("a broken rule");
        let found = checked
            .report
            .deviations_from(rule)
            .any(|deviation| deviation.topic.ends_with(checked.topic));
        if !found {
            failures.push(format!(
                "{} ({}): no {} deviation on a topic ending {:?}:\n{}",
                checked.id,
                rule.id,
                rule.id,
                checked.topic,
                checked.report.human()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn our_own_nodes_are_conformant() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    for checked in check_all(&broker.url(), conformant_nodes()) {
        eprint!("{}", checked.report.human());
        assert!(
            checked.report.conformant,
            "{}:\n{}",
            checked.id,
            checked.report.human()
        );
        assert!(
            checked.report.checked.len() >= 30,
            "{}:\n{}",
            checked.id,
            checked.report.human()
        );
    }
}

/// The node example of `rainmaker-mqtt`, as cargo builds it for the tests of the
/// workspace; `None` when it was not built (`cargo test -p rainmaker-cli` alone).
fn node_example() -> Option<std::path::PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let example = deps
        .parent()?
        .join("examples")
        .join(format!("node{}", std::env::consts::EXE_SUFFIX));
    example.exists().then_some(example)
}

#[test]
fn the_demo_node_and_the_node_example_are_conformant() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let url = broker.url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let demo = async {
            let checker = Checker::connect(settings(&url, "DE30DE30DE30", false))
                .await
                .expect("the broker");
            let options = rainmaker_examples::node::NodeOptions {
                node_id: "DE30DE30DE30".into(),
                ingest: false,
                ingest_tap: None,
            };
            let node = rainmaker_examples::node::start(
                &url.parse().expect("a url"),
                options,
                rainmaker_examples::print::Log::quiet(),
            )
            .await
            .expect("the demo node");
            let report = checker.run().await.expect("the demo node boots");
            node.stop().await;
            report
        };
        let example = async {
            let Some(path) = node_example() else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "the node example is not built"
                );
                eprintln!("SKIPPED: the node example is not built (run the workspace's tests)");
                return None;
            };
            let checker = Checker::connect(settings(&url, "E4A3E4A3E4A3", false))
                .await
                .expect("the broker");
            let mut node = tokio::process::Command::new(path)
                .args([&url, "E4A3E4A3E4A3"])
                .stdout(std::process::Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect("the node example runs");
            let report = checker.run().await.expect("the node example boots");
            let _ = node.kill().await;
            Some(report)
        };
        let (demo, example) = tokio::join!(demo, example);
        for report in std::iter::once(demo).chain(example) {
            eprint!("{}", report.human());
            assert!(report.conformant, "{}", report.human());
            assert!(report.checked.len() >= 30, "{}", report.human());
        }
    });
}

/// Runs `rainmaker check-node` on `url` for node `id`, starts `node` once the
/// command says so, and returns the command's output.
fn run_command(url: &str, id: &str, faults: Faults, extra: &[&str]) -> std::process::Output {
    use tokio::io::AsyncBufReadExt;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_rainmaker"));
        command
            .args([
                "check-node",
                "--broker",
                url,
                "--node-id",
                id,
                "--answer-timeout",
                "3",
            ])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("rainmaker runs");
        let mut stderr = tokio::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
        let waiting = tokio::time::timeout(Duration::from_secs(20), stderr.next_line())
            .await
            .expect("a first line")
            .expect("stderr")
            .expect("a line");
        assert!(waiting.ends_with("start it now"), "{waiting}");
        let node_id = id.to_owned();
        let node = harness::spawn(url, move || light_node(&node_id, false), faults);
        let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("the check ends")
            .expect("its output");
        node.abort();
        output
    })
}

#[test]
fn the_command_exits_0_for_a_conformant_node_and_1_with_the_report_for_a_broken_one() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let output = run_command(&broker.url(), "C4EC0000AA01", Faults::default(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(": conformant; "), "{stdout}");

    let report = std::env::temp_dir().join(format!("check-node-{}.json", std::process::id()));
    let qos_zero = faults(on("", |mut out| {
        out.qos = QoS::AtMostOnce;
        vec![out]
    }));
    let path = report.to_string_lossy().into_owned();
    let output = run_command(
        &broker.url(),
        "C4EC0000AA02",
        qos_zero,
        &["--json", "--report", &path],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let written: Value = serde_json::from_slice(&std::fs::read(&report).expect("the report file"))
        .expect("JSON in the file");
    let _ = std::fs::remove_file(&report);
    assert_eq!(printed, written);
    assert_eq!(printed["conformant"], false);
    let deviation = &printed["deviations"][0];
    assert_eq!(deviation["rule"], "transport.qos", "{printed}");
    assert_eq!(deviation["area"], "transport");
    assert_eq!(deviation["expected"], "QoS 1");
    assert_eq!(deviation["got"], "QoS 0");
    assert!(
        deviation["topic"]
            .as_str()
            .is_some_and(|topic| topic.starts_with("node/C4EC0000AA02/")),
        "{printed}"
    );
}

#[test]
fn the_command_exits_3_when_no_node_boots_or_no_broker_answers_and_2_on_bad_arguments() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rainmaker"))
            .arg("check-node")
            .args(args)
            .output()
            .expect("rainmaker runs")
    };
    let url = broker.url();
    let silent = run(&[
        "--broker",
        &url,
        "--node-id",
        "C4EC0000AA03",
        "--boot-timeout",
        "1",
    ]);
    assert_eq!(silent.status.code(), Some(3), "{silent:?}");
    let stderr = String::from_utf8_lossy(&silent.stderr);
    assert!(
        stderr.contains("node C4EC0000AA03 published no config within 1 s"),
        "{stderr}"
    );

    let closed = format!(
        "mqtt://127.0.0.1:{}",
        rainmaker_test_support::mosquitto::free_port()
    );
    let unreachable = run(&["--broker", &closed, "--node-id", "C4EC0000AA04", "--json"]);
    assert_eq!(unreachable.status.code(), Some(3), "{unreachable:?}");
    let error: Value = serde_json::from_slice(&unreachable.stdout).expect("a JSON error");
    assert_eq!(error["error"]["kind"], "broker");

    let bad_id = run(&["--broker", &url, "--node-id", "a/b"]);
    assert_eq!(bad_id.status.code(), Some(2), "{bad_id:?}");
    let no_id = run(&["--broker", &url]);
    assert_eq!(no_id.status.code(), Some(2), "{no_id:?}");
}
