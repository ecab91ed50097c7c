//! `check-node` against nodes on a mosquitto the test starts: our own nodes
//! (the demo node, the SDK example nodes, both topic forms) are conformant, and
//! each deliberately broken node is reported with the rule it breaks and the
//! topic where it broke it.

mod harness;

use std::time::Duration;

use harness::{Faults, Out, edit_json, on, replace};
use rainmaker_cli::check::rules::{self, Rule};
use rainmaker_cli::check::{Checker, Report, Settings};
use rainmaker_example_devices::Light;
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::Node;
use rainmaker_types::services::{Groups, Schedule, System, SystemFlags, Time};
use rainmaker_types::tlv::{OwnedFrame, Status};
use rainmaker_types::{GroupId, NodeId};
use rumqttc::QoS;
use serde_json::json;

/// How long a test node may take to answer (generous: the checks run side by side).
const ANSWER: Duration = Duration::from_secs(3);

/// How many checks run at once.
const AT_ONCE: usize = 12;

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
fn echo_writes(echo: fn(&serde_json::Value) -> bool) -> Faults {
    Faults {
        incoming: Some(Box::new(move |topic: &str, payload: &[u8]| {
            let write: serde_json::Value = serde_json::from_slice(payload).unwrap_or_default();
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
                fetch
                    .as_object_mut()
                    .map(|fetch| fetch.remove("fw_version"));
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
                config["devices"]
                    .as_array_mut()
                    .map(|devices| devices.push(light));
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
                config["services"][0]["params"]
                    .as_array_mut()
                    .map(|params| params.push(zone));
            })),
        ),
        broken(
            &rules::COMPLETE,
            "/params/local/init",
            faults(edit_json("/params/local/init", |init| {
                init["Light"]
                    .as_object_mut()
                    .map(|light| light.remove("Brightness"));
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
                    let data: serde_json::Value =
                        serde_json::from_slice(&answer.data).unwrap_or_default();
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
                report["Time"]
                    .as_object_mut()
                    .map(|time| time.remove("TZ-POSIX"));
            })),
        ),
        broken(
            &rules::SCHEDULES,
            "/params/local",
            faults(edit_json("/params/local", |report| {
                report["Schedule"]
                    .as_object_mut()
                    .map(|schedule| schedule.remove("Schedules"));
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
