//! A scripted session of the sans-IO `Node`: boot, remote writes (valid and each kind
//! of rejection), cmd 1 over TLV, custom and malformed commands, OTA, local changes,
//! reconnect, user mapping and basic-ingest topics. Every step asserts the exact
//! subscriptions and publishes.
#![cfg(feature = "derive")]

use rainmaker_test_support::node::{Light, NODE_ID, led_light_info, node_id};
use rainmaker_tlv::{Command, Outcome, Request, Status, UserRole};
use rainmaker_types::device::{Limit, WriteRejection};
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::node::{Event, Input, Node, NodeError, Output, WriteSource};
use rainmaker_types::value::DeviceParams;
use rainmaker_types::{Channel, Device, GroupId, ParamValue, ParamsDocument};
use serde_json::json;

const NOW: i64 = 1_700_000_000;

#[derive(Device)]
#[device(name = "Temperature Sensor", r#type = "esp.device.temperature-sensor")]
struct Sensor {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Temperature, primary)]
    temperature: f32,
}

fn node() -> Node {
    let mut node = Node::new(node_id(), led_light_info()).with_ota_over_topics();
    node.add_device(Light::new(false, 25))
        .expect("first device");
    node.add_device(Sensor {
        name: "Temperature Sensor".into(),
        temperature: 25.5,
    })
    .expect("second device");
    node
}

fn t(suffix: &str) -> String {
    format!("node/{NODE_ID}/{suffix}")
}

/// The publishes as `(topic, payload text)`.
fn publishes(out: &Output) -> Vec<(String, String)> {
    out.publish
        .iter()
        .map(|p| {
            (
                p.topic.clone(),
                String::from_utf8_lossy(&p.payload).into_owned(),
            )
        })
        .collect()
}

fn pair(topic: String, payload: &str) -> (String, String) {
    (topic, payload.to_owned())
}

/// Asserts that `out` publishes `payload` on `node/<id>/<suffix>` and nothing else.
#[track_caller]
fn assert_published(out: &Output, suffix: &str, payload: &str) {
    assert_eq!(publishes(out), [pair(t(suffix), payload)]);
}

fn remote(node: &mut Node, payload: &str) -> Output {
    receive(node, &t("params/remote"), payload.as_bytes())
        .expect("a params/remote write is handled")
}

fn to_node(node: &mut Node, frame: &[u8]) -> Output {
    receive(node, &t("to-node"), frame).expect("a to-node frame is always answered")
}

/// A message on `topic`, at [`NOW`].
fn receive(node: &mut Node, topic: &str, payload: &[u8]) -> Result<Output, NodeError> {
    node.handle(NOW, Input::Received { topic, payload })
}

/// The node's answer to a `to-node` frame: the payload of its one publish.
fn answer(node: &mut Node, frame: &[u8]) -> Vec<u8> {
    let out = to_node(node, frame);
    assert_eq!(out.publish.len(), 1, "{:?}", publishes(&out));
    out.publish[0].payload.clone()
}

fn get_pending() -> (String, String) {
    (
        t("from-node"),
        String::from_utf8_lossy(&rainmaker_tlv::GET_PENDING_FRAME).into_owned(),
    )
}

fn light(node: &Node) -> (bool, i32) {
    let light = node.device::<Light>("Light").expect("the light");
    (light.power, light.brightness)
}

fn rejections(out: &Output) -> Vec<(String, String, WriteRejection)> {
    out.events
        .iter()
        .flat_map(|event| match event {
            Event::ParamsWritten { rejected, .. } => rejected.clone(),
            _ => Vec::new(),
        })
        .map(|e| (e.device, e.param, e.reason))
        .collect()
}

fn booted() -> Node {
    let mut node = node();
    let boot = node.handle(NOW, Input::Connected).expect("boots");
    assert_eq!(boot.publish.len(), 5);
    node
}

#[test]
fn boot_publishes_config_init_timeseries_otafetch_then_get_pending() {
    let mut node = node();
    let out = node.handle(NOW, Input::Connected).expect("boots");
    assert_eq!(
        out.subscribe,
        [t("params/remote"), t("otaurl"), t("to-node")]
    );
    let sent = publishes(&out);
    assert_eq!(sent.len(), 5, "{sent:#?}");

    assert_eq!(sent[0].0, t("config"));
    let config: serde_json::Value = serde_json::from_str(&sent[0].1).expect("config is JSON");
    assert_eq!(
        config,
        json!({"node_id":NODE_ID,"config_version":"2020-03-20",
        "info":{"name":"ESP RainMaker Device","fw_version":"1.0","type":"Lightbulb",
            "model":"led_light","project_name":"led_light","platform":"esp32c3"},
        "attributes":[{"name":"cmd-resp","value":"1"}],
        "devices":[
            {"name":"Light","type":"esp.device.lightbulb","primary":"Power","params":[
                {"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},
                {"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"},
                {"name":"Brightness","type":"esp.param.brightness","data_type":"int","properties":["read","write"],
                 "bounds":{"min":0,"max":100,"step":1},"ui_type":"esp.ui.slider"}]},
            {"name":"Temperature Sensor","type":"esp.device.temperature-sensor","primary":"Temperature","params":[
                {"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},
                {"name":"Temperature","type":"esp.param.temperature","data_type":"float",
                 "properties":["read","time_series"],"ui_type":"esp.ui.text"}]}],
        "services":[]})
    );
    assert_eq!(
        sent[1..],
        [
            pair(
                t("params/local/init"),
                r#"{"Light":{"Name":"Light","Power":false,"Brightness":25},"Temperature Sensor":{"Name":"Temperature Sensor","Temperature":25.50000}}"#
            ),
            pair(
                t("tsdata"),
                r#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"Temperature Sensor.Temperature","type":"esp.param.temperature","dt":"float","records":[{"t":1700000000,"v":25.50000}]}]}"#
            ),
            pair(
                t("otafetch"),
                r#"{"node_id":"7C9EBD4A1B2C","fw_version":"1.0"}"#
            ),
            get_pending(),
        ]
    );
    assert!(out.publish.iter().all(|p| p.qos.as_u8() == 1));
}

#[test]
fn reconnect_resubscribes_and_only_asks_for_pending_commands() {
    let mut node = booted();
    let out = node.handle(NOW, Input::Disconnected).expect("disconnect");
    assert!(out.publish.is_empty() && out.subscribe.is_empty());
    let out = node.handle(NOW, Input::Connected).expect("reconnect");
    assert_eq!(
        out.subscribe,
        [t("params/remote"), t("otaurl"), t("to-node")]
    );
    assert_eq!(publishes(&out), [get_pending()]);
}

#[test]
fn valid_remote_write_is_applied_and_reported() {
    let mut node = booted();
    let out = remote(&mut node, r#"{"Light":{"Power":true,"Brightness":60}}"#);
    assert_published(
        &out,
        "params/local",
        r#"{"Light":{"Power":true,"Brightness":60}}"#,
    );
    assert_eq!(light(&node), (true, 60));
    let Some(Event::ParamsWritten {
        source,
        accepted,
        rejected,
    }) = out.events.first()
    else {
        panic!("expected a ParamsWritten event, got {:?}", out.events);
    };
    assert_eq!(*source, WriteSource::Remote);
    assert_eq!(
        accepted.get("Light", "Brightness"),
        Some(&ParamValue::Int(60))
    );
    assert!(rejected.is_empty());
}

#[test]
fn rejected_writes_change_nothing_and_publish_nothing() {
    let mut node = booted();
    let cases = [
        (
            r#"{"Light":{"Brightness":150}}"#,
            (
                "Light",
                "Brightness",
                WriteRejection::AboveMax {
                    max: Limit::Int(100),
                },
            ),
        ),
        (
            r#"{"Temperature Sensor":{"Temperature":30.0}}"#,
            (
                "Temperature Sensor",
                "Temperature",
                WriteRejection::ReadOnly,
            ),
        ),
        (
            r#"{"Light":{"Power":"on"}}"#,
            (
                "Light",
                "Power",
                WriteRejection::WrongType {
                    expected: rainmaker_types::messages::DataType::Bool,
                    found: "string",
                },
            ),
        ),
        (
            r#"{"Fan":{"Power":true}}"#,
            ("Fan", "Power", WriteRejection::UnknownDevice),
        ),
        (
            r#"{"Light":{"Colour":1}}"#,
            ("Light", "Colour", WriteRejection::UnknownParam),
        ),
    ];
    for (write, (device, param, reason)) in cases {
        let out = remote(&mut node, write);
        assert!(out.publish.is_empty(), "{write}: {:?}", publishes(&out));
        assert_eq!(
            rejections(&out),
            [(device.into(), param.into(), reason)],
            "{write}"
        );
        assert_eq!(light(&node), (false, 25), "{write}");
    }
}

#[test]
fn partly_valid_write_reports_only_the_accepted_values() {
    let mut node = booted();
    let out = remote(&mut node, r#"{"Light":{"Power":true,"Brightness":-1}}"#);
    assert_published(&out, "params/local", r#"{"Light":{"Power":true}}"#);
    assert_eq!(light(&node), (true, 25));
    assert_eq!(rejections(&out).len(), 1);
}

#[test]
fn malformed_input_is_a_typed_error_and_changes_nothing() {
    let mut node = booted();
    let error = receive(&mut node, &t("params/remote"), br#"{"Light":{"Power":tru"#)
        .expect_err("malformed JSON");
    let NodeError::Decode { channel, error } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(*channel, Channel::ParamsRemote);
    assert!(error.to_string().contains("$.Light.Power"), "{error}");

    let error = receive(
        &mut node,
        "node/OTHERNODE/params/remote",
        br#"{"Light":{"Power":true}}"#,
    )
    .expect_err("another node's topic");
    assert!(matches!(error, NodeError::OtherNode { .. }), "{error:?}");

    let error = receive(&mut node, "node/7C9EBD4A1B2C/bogus", b"{}").expect_err("not a topic");
    assert!(matches!(error, NodeError::Topic(_)), "{error:?}");

    let error = receive(
        &mut node,
        &t("params/local"),
        br#"{"Light":{"Power":true}}"#,
    )
    .expect_err("the node's own channel");
    assert_eq!(error, NodeError::UnexpectedChannel(Channel::ParamsLocal));
    assert_eq!(light(&node), (false, 25));
}

/// The cmd-1 request and response of docs/protocol.md, byte for byte.
#[test]
fn set_params_command_answers_like_the_sdk_and_publishes_no_delta() {
    let mut node = booted();
    assert_eq!(
        remote(&mut node, r#"{"Light":{"Power":true}}"#)
            .publish
            .len(),
        1
    );
    let mut request = b"\x01\x16EQPf7Rj7HFiBhFhvNMjLaB\x02\x01\x02\x04\x04\xc6\xa8\x3d\x68\x05\x02\x01\x00\x06\x24".to_vec();
    request.extend_from_slice(br#"{"params":{"Light":{"Power":false}}}"#);
    let out = to_node(&mut node, &request);

    let mut response =
        b"\x01\x16EQPf7Rj7HFiBhFhvNMjLaB\x03\x01\x00\x05\x02\x01\x00\x06\x37".to_vec();
    response.extend_from_slice(br#"{"status":"success","params":{"Light":{"Power":false}}}"#);
    assert_eq!(out.publish.len(), 1);
    assert_eq!(out.publish[0].topic, t("from-node"));
    assert_eq!(out.publish[0].payload, response);
    assert_eq!(light(&node), (false, 25));
    assert!(out.events.contains(&Event::CommandAnswered {
        request_id: b"EQPf7Rj7HFiBhFhvNMjLaB".to_vec(),
        command: Command::SET_PARAMS,
        status: Status::SUCCESS,
        error: None,
    }));

    // The command's changes count as reported: no delta follows.
    let out = node.report_changes(NOW).expect("nothing to report");
    assert!(out.publish.is_empty(), "{:?}", publishes(&out));
}

#[test]
fn set_params_command_rejections_and_failures() {
    let mut node = booted();
    let frame = |data: &str| {
        let mut frame = b"\x01\x03abc\x02\x01\x01\x05\x02\x01\x00".to_vec();
        frame.push(0x06);
        frame.push(u8::try_from(data.len()).expect("short data"));
        frame.extend_from_slice(data.as_bytes());
        frame
    };
    // A refused value: status 0, "success", and no params (nothing changed).
    let out = to_node(
        &mut node,
        &frame(r#"{"params":{"Light":{"Brightness":101}}}"#),
    );
    let mut expected = b"\x01\x03abc\x03\x01\x00\x05\x02\x01\x00\x06\x14".to_vec();
    expected.extend_from_slice(br#"{"status":"success"}"#);
    assert_eq!(out.publish[0].payload, expected);
    assert_eq!(rejections(&out).len(), 1);
    // No `params` object: status 1 (failed), no data.
    let failed = answer(&mut node, &frame(r#"{"nothing":1}"#));
    assert_eq!(failed, b"\x01\x03abc\x03\x01\x01\x05\x02\x01\x00");
    // A node-role caller may not set params: status 3 (auth-failed).
    let by_node = b"\x01\x03abc\x02\x01\x08\x05\x02\x01\x00\x06\x0d{\"params\":{}}";
    assert_eq!(
        answer(&mut node, by_node),
        b"\x01\x03abc\x03\x01\x03\x05\x02\x01\x00"
    );
    assert_eq!(light(&node), (false, 25));
}

#[test]
fn unknown_custom_and_invalid_commands_get_their_tlv_status() {
    let mut node = booted();
    node.register_command(
        Command(0x1000),
        UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER,
        |request: &Request<'_>, data: &mut Vec<u8>| {
            data.extend_from_slice(format!("{{\"len\":{}}}", request.data.len()).as_bytes());
            Outcome::Done
        },
    );
    let cases: [(&[u8], &[u8]); 2] = [
        // Unknown command: status 4.
        (
            b"\x01\x02id\x02\x01\x01\x05\x02\x01\x10",
            b"\x01\x02id\x03\x01\x04\x05\x02\x01\x10",
        ),
        // The custom command: status 0 with its data.
        (
            b"\x01\x02id\x02\x01\x02\x05\x02\x00\x10\x06\x02{}",
            b"\x01\x02id\x03\x01\x00\x05\x02\x00\x10\x06\x09{\"len\":2}",
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(answer(&mut node, request), expected);
    }
    // A frame with a dangling byte: status 2 (invalid), and the decode error.
    let out = to_node(&mut node, b"\x01\x02id\x02\x01\x01\x05\x02\x01\x00\x06");
    assert_eq!(out.publish[0].topic, t("from-node"));
    let answer = rainmaker_tlv::Response::decode(&out.publish[0].payload).expect("a response");
    assert_eq!(answer.status, Status::INVALID);
    assert!(matches!(
        out.events.as_slice(),
        [Event::CommandAnswered {
            status: Status::INVALID,
            error: Some(_),
            ..
        }]
    ));
    assert_eq!(light(&node), (false, 25));
    // A request without a command is answered with command 0, which is no
    // get-pending request there.
    let out = to_node(&mut node, b"\x01\x02id\x02\x01\x01\x06\x02{}");
    let answer = rainmaker_tlv::Response::decode(&out.publish[0].payload).expect("a response");
    assert_eq!(
        (answer.status, answer.command),
        (Status::INVALID, Command(0))
    );
    let [event] = out.events.as_slice() else {
        panic!("one event: {:?}", out.events);
    };
    assert_eq!(
        event.to_string(),
        "answered cmd 0 (none) (request id) with invalid"
    );
}

#[test]
fn ota_offer_progress_and_end() {
    let mut node = booted();
    let offer = br#"{"ota_job_id":"k2Hn9xVd3QpLmA7sB4cE1f","url":"https://example.invalid/fw.bin","file_size":1536000,"fw_version":"1.1"}"#;
    let out = receive(&mut node, &t("otaurl"), offer).expect("offer");
    let [Event::OtaOffered(job)] = out.events.as_slice() else {
        panic!("expected an offer, got {:?}", out.events);
    };
    assert_eq!(job.file_size, Some(1_536_000));
    assert!(out.publish.is_empty());

    // A second offer while the job runs is ignored, as the SDK does.
    let out = receive(&mut node, &t("otaurl"), offer).expect("second offer");
    assert!(matches!(out.events.as_slice(), [Event::OtaIgnored(_)]));

    let progress = node
        .report_ota_status(NOW, OtaJobStatus::InProgress, "Downloading Firmware Image")
        .expect("job running");
    assert_eq!(progress.topic, t("otastatus"));
    assert_eq!(
        String::from_utf8_lossy(&progress.payload),
        r#"{"ota_job_id":"k2Hn9xVd3QpLmA7sB4cE1f","status":"in-progress","additional_info":"Downloading Firmware Image","ts":1700000000}"#
    );
    node.report_ota_status(
        NOW,
        OtaJobStatus::Success,
        "OTA Upgrade finished and verified successfully",
    )
    .expect("job running");
    assert_eq!(
        node.report_ota_status(NOW, OtaJobStatus::InProgress, "again"),
        Err(NodeError::NoOtaJob)
    );
    let error = receive(&mut node, &t("otaurl"), br#"{"url":"x"}"#).expect_err("no job id");
    assert!(error.to_string().contains("ota_job_id"), "{error}");
}

#[test]
fn local_changes_report_the_delta_and_time_series() {
    let mut node = booted();
    assert!(
        node.report_changes(NOW)
            .expect("no change")
            .publish
            .is_empty()
    );
    node.device_mut::<Sensor>("Temperature Sensor")
        .expect("sensor")
        .temperature = 26.25;
    let out = node.report_changes(NOW).expect("a change");
    assert_eq!(
        publishes(&out),
        [
            pair(
                t("params/local"),
                r#"{"Temperature Sensor":{"Temperature":26.25000}}"#
            ),
            pair(
                t("tsdata"),
                r#"{"ts_data_version":"2021-09-13","ts_data":[{"name":"Temperature Sensor.Temperature","type":"esp.param.temperature","dt":"float","records":[{"t":1700000000,"v":26.25000}]}]}"#
            ),
        ]
    );
    assert!(
        node.report_changes(NOW)
            .expect("reported")
            .publish
            .is_empty()
    );
}

#[test]
fn pending_mapping_holds_params_until_acknowledged() {
    let mut node = node();
    node.set_user_mapping("8f2f3c1e-1b2a-4c5d-9e8f-0a1b2c3d4e5f", "3a6c8e", true);
    let out = node.handle(NOW, Input::Connected).expect("boots");
    let sent = publishes(&out);
    assert_eq!(
        sent.iter()
            .map(|(topic, _)| topic.clone())
            .collect::<Vec<_>>(),
        [t("config"), t("user/mapping"), t("from-node")]
    );
    assert_eq!(
        sent[1].1,
        r#"{"node_id":"7C9EBD4A1B2C","user_id":"8f2f3c1e-1b2a-4c5d-9e8f-0a1b2c3d4e5f","secret_key":"3a6c8e","reset":true}"#
    );
    assert_eq!(out.subscribe, [t("to-node")]);

    let out = node
        .handle(NOW, Input::MappingAcknowledged)
        .expect("params start");
    assert_eq!(out.subscribe, [t("params/remote"), t("otaurl")]);
    let topics: Vec<String> = out.publish.iter().map(|p| p.topic.clone()).collect();
    assert_eq!(topics, [t("params/local/init"), t("tsdata"), t("otafetch")]);
    // Acknowledged once only.
    assert!(
        node.handle(NOW, Input::MappingAcknowledged)
            .expect("no-op")
            .publish
            .is_empty()
    );
}

#[test]
fn ingest_topics_and_groups() {
    let mut node = node()
        .with_ingest_topics(true)
        .with_group(GroupId::new("kitchen").expect("valid group"));
    let out = node.handle(NOW, Input::Connected).expect("boots");
    let topics: Vec<String> = out.publish.iter().map(|p| p.topic.clone()).collect();
    assert_eq!(
        topics,
        [
            format!("$aws/rules/esp_node_config/node/{NODE_ID}/config"),
            format!("$aws/rules/esp_init_params/node/{NODE_ID}/params/local/init"),
            format!("$aws/rules/esp_ts_ingest/node/{NODE_ID}/tsdata"),
            format!("$aws/rules/esp_node_otafetch/node/{NODE_ID}/otafetch"),
            format!("$aws/rules/esp_cmd_resp/node/{NODE_ID}/from-node"),
        ]
    );
    assert_eq!(
        out.subscribe,
        [
            t("params/remote"),
            t("params/remote/kitchen"),
            t("otaurl"),
            t("to-node")
        ]
    );
    // Group writes are accepted on the group topic; deltas go to the plain group topic.
    let out = receive(
        &mut node,
        &t("params/remote/kitchen"),
        br#"{"Light":{"Power":true}}"#,
    )
    .expect("group write");
    assert_published(&out, "params/local/kitchen", r#"{"Light":{"Power":true}}"#);
    let error = receive(
        &mut node,
        &t("params/remote/garden"),
        br#"{"Light":{"Power":false}}"#,
    )
    .expect_err("not this node's group");
    assert!(matches!(error, NodeError::OtherGroup(_)));
}

#[test]
fn device_names_are_unique_and_params_document_is_complete() {
    let mut node = node();
    let error = node.add_device(Light::new(true, 1)).err();
    assert_eq!(error, Some(NodeError::DuplicateName("Light".into())));
    let mut expected = ParamsDocument::new();
    let light: DeviceParams = [
        ("Name", ParamValue::from("Light")),
        ("Power", ParamValue::Bool(false)),
        ("Brightness", ParamValue::Int(25)),
    ]
    .into_iter()
    .collect();
    *expected.device_mut("Light") = light;
    assert_eq!(node.params().device("Light"), expected.device("Light"));
    assert_eq!(node.params().len(), 2);
}

#[test]
fn writing_the_groups_service_moves_the_node_into_a_group() {
    use rainmaker_types::services::Groups;
    let mut node = node();
    node.add_service(Groups::new()).expect("groups service");
    let _boot = node.handle(NOW, Input::Connected).expect("boots");

    let out = remote(&mut node, r#"{"Groups":{"GroupID":"kitchen"}}"#);
    assert_published(&out, "params/local", r#"{"Groups":{"GroupID":"kitchen"}}"#);
    assert!(out.unsubscribe.is_empty());
    assert_eq!(out.subscribe, [t("params/remote/kitchen")]);
    assert_eq!(node.group().map(GroupId::as_str), Some("kitchen"));

    // Deltas now go to the group topic; moving groups swaps the subscription.
    let out = remote(&mut node, r#"{"Groups":{"GroupID":"garden"}}"#);
    assert_published(
        &out,
        "params/local/kitchen",
        r#"{"Groups":{"GroupID":"garden"}}"#,
    );
    assert_eq!(out.unsubscribe, [t("params/remote/kitchen")]);
    assert_eq!(out.subscribe, [t("params/remote/garden")]);

    // An empty id leaves the group.
    let out = remote(&mut node, r#"{"Groups":{"GroupID":""}}"#);
    assert_eq!(out.unsubscribe, [t("params/remote/garden")]);
    assert!(node.group().is_none());
    let out = node.set_group(None);
    assert!(out.subscribe.is_empty() && out.unsubscribe.is_empty());
}

#[test]
fn last_will_needs_the_connectivity_service() {
    use rainmaker_types::services::Connectivity;
    let mut node = node();
    assert!(node.last_will().is_none());
    node.add_service(Connectivity::new())
        .expect("connectivity service");
    let will = node.last_will().expect("a will");
    assert_eq!(will.topic, t("params/local"));
    assert_eq!(will.payload, br#"{"Connectivity":{"Connected":false}}"#);
    let _ = node.set_group(Some(GroupId::new("kitchen").expect("valid")));
    assert_eq!(
        node.last_will().map(|will| will.topic),
        Some(t("params/local/kitchen"))
    );
}

#[test]
fn the_connectivity_service_reports_connected_five_seconds_after_each_connect() {
    use rainmaker_types::node::CONNECTED_REPORT_DELAY;
    use rainmaker_types::services::Connectivity;
    let mut node = node();
    node.add_service(Connectivity::new())
        .expect("connectivity service");
    assert_eq!(node.poll_timeout(), None);
    let _ = node.handle(NOW, Input::Connected).expect("boots");
    let due = NOW + CONNECTED_REPORT_DELAY;
    assert_eq!(node.poll_timeout(), Some(due));
    let early = node.handle_timeout(due - 1).expect("wakes");
    assert!(early.publish.is_empty());
    let report = node.handle_timeout(due).expect("wakes");
    assert_published(
        &report,
        "params/local",
        r#"{"Connectivity":{"Connected":true}}"#,
    );
    assert_eq!(node.poll_timeout(), None, "once per connect");
    // Again after every reconnection (the will may have said false meanwhile),
    // and not while the connection is down.
    disconnect(&mut node);
    assert_eq!(node.poll_timeout(), None);
    let _ = reconnect(&mut node, true);
    assert_eq!(node.poll_timeout(), Some(due));
    let report = node.handle_timeout(due + 60).expect("wakes late");
    assert_published(
        &report,
        "params/local",
        r#"{"Connectivity":{"Connected":true}}"#,
    );
}

#[test]
fn reconnections_announce_what_a_lost_session_forgot() {
    let mut node = booted();
    let gone = node.handle(NOW, Input::Disconnected).expect("disconnects");
    assert!(gone.publish.is_empty() && gone.subscribe.is_empty());
    // Nothing is accepted while disconnected.
    assert!(
        receive(
            &mut node,
            &t("params/remote"),
            br#"{"Light":{"Power":true}}"#
        )
        .is_err()
    );
    // The broker kept the session: its subscriptions stand, only get-pending goes.
    let kept = node
        .handle(
            NOW,
            Input::Reconnected {
                session_present: true,
            },
        )
        .expect("reconnects");
    assert!(kept.subscribe.is_empty());
    let topics: Vec<String> = kept.publish.iter().map(|p| p.topic.clone()).collect();
    assert_eq!(topics, [t("from-node")]);
    // Messages are taken again.
    assert_eq!(
        remote(&mut node, r#"{"Light":{"Power":true}}"#)
            .publish
            .len(),
        1
    );
    // The session was lost: subscribe again and announce config and params.
    let gone = node.handle(NOW, Input::Disconnected).expect("disconnects");
    assert!(gone.publish.is_empty() && gone.subscribe.is_empty());
    let lost = node
        .handle(
            NOW,
            Input::Reconnected {
                session_present: false,
            },
        )
        .expect("reconnects");
    assert!(!lost.subscribe.is_empty());
    let topics: Vec<String> = lost.publish.iter().map(|p| p.topic.clone()).collect();
    assert_eq!(
        topics,
        [t("config"), t("params/local/init"), t("from-node")]
    );
}

/// The topics of what `out` publishes, in order.
fn topics(out: &Output) -> Vec<String> {
    out.publish.iter().map(|p| p.topic.clone()).collect()
}

/// Whether a report now publishes nothing.
fn reports_nothing(node: &mut Node) -> bool {
    node.report_changes(NOW)
        .expect("a report")
        .publish
        .is_empty()
}

/// The connection drops; the node publishes nothing.
fn disconnect(node: &mut Node) {
    let out = node.handle(NOW, Input::Disconnected).expect("disconnects");
    assert!(out.publish.is_empty());
}

/// The connection is back, with the session kept or not.
fn reconnect(node: &mut Node, session_present: bool) -> Output {
    node.handle(NOW, Input::Reconnected { session_present })
        .expect("reconnects")
}

/// Sets the sensor's temperature, as the application would between two inputs.
fn set_temperature(node: &mut Node, value: f32) {
    node.device_mut::<Sensor>("Temperature Sensor")
        .expect("sensor")
        .temperature = value;
}

#[test]
fn no_change_is_reported_before_the_boot_announcements() {
    // Before the first connection: nothing goes out; init carries the value.
    let mut node = node();
    set_temperature(&mut node, 30.0);
    assert!(reports_nothing(&mut node));
    let boot = node.handle(NOW, Input::Connected).expect("boots");
    let init = boot
        .publish
        .iter()
        .find(|publish| publish.topic == t("params/local/init"))
        .expect("init");
    assert!(String::from_utf8_lossy(&init.payload).contains(r#""Temperature":30.00000"#));
    assert!(
        !publishes(&boot)
            .iter()
            .any(|(topic, _)| *topic == t("params/local"))
    );

    // While disconnected, changes wait; a kept session reports them after its
    // get-pending request, once, as one delta.
    disconnect(&mut node);
    set_temperature(&mut node, 31.0);
    assert!(reports_nothing(&mut node));
    set_temperature(&mut node, 32.0);
    assert!(reports_nothing(&mut node));
    let kept = reconnect(&mut node, true);
    assert_eq!(
        topics(&kept),
        [t("from-node"), t("params/local"), t("tsdata")]
    );
    assert_eq!(
        String::from_utf8_lossy(&kept.publish[1].payload),
        r#"{"Temperature Sensor":{"Temperature":32.00000}}"#
    );
    assert!(reports_nothing(&mut node));

    // A lost session announces again; init carries the change, no delta follows.
    disconnect(&mut node);
    set_temperature(&mut node, 33.0);
    assert!(reports_nothing(&mut node));
    let lost = reconnect(&mut node, false);
    assert_eq!(
        topics(&lost),
        [t("config"), t("params/local/init"), t("from-node")]
    );
    assert!(
        String::from_utf8_lossy(&lost.publish[1].payload).contains(r#""Temperature":33.00000"#)
    );
    assert!(reports_nothing(&mut node));
}

#[test]
fn changes_wait_for_the_user_mapping_acknowledgement() {
    let mut node = node();
    node.set_user_mapping("user", "secret", false);
    let boot = node.handle(NOW, Input::Connected).expect("boots");
    set_temperature(&mut node, 30.0);
    assert!(reports_nothing(&mut node));
    let mapping = boot
        .publish
        .iter()
        .find(|publish| publish.topic.ends_with("/user/mapping"))
        .expect("the mapping is published");
    let started = node
        .handle(NOW, Input::Acknowledged(mapping.id))
        .expect("params start");
    let init = started
        .publish
        .iter()
        .find(|publish| publish.topic == t("params/local/init"))
        .expect("init");
    assert!(String::from_utf8_lossy(&init.payload).contains(r#""Temperature":30.00000"#));
    assert!(reports_nothing(&mut node));
}

#[test]
fn the_user_mapping_acknowledgement_is_matched_by_publish_id() {
    let mut node = node();
    node.set_user_mapping("user", "secret", false);
    let boot = node.handle(NOW, Input::Connected).expect("boots");
    let mapping = boot
        .publish
        .iter()
        .find(|publish| publish.topic.ends_with("/user/mapping"))
        .expect("the mapping is published");
    // Another publish's acknowledgement starts nothing.
    let other = boot
        .publish
        .iter()
        .find(|p| p.id != mapping.id)
        .expect("another publish");
    assert!(
        node.handle(NOW, Input::Acknowledged(other.id))
            .expect("fine")
            .publish
            .is_empty()
    );
    let started = node
        .handle(NOW, Input::Acknowledged(mapping.id))
        .expect("starts params");
    assert!(
        started
            .publish
            .iter()
            .any(|p| p.topic == t("params/local/init"))
    );
}
