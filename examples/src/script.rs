//! The scripted conversation the simulated cloud drives, step by step, and
//! the robustness checks the end-to-end tests add.
//!
//! Each step waits (bounded by the cloud's step timeout) for what the node
//! must send, and checks it; the first step that does not happen ends the
//! run with an error naming it.

use rainmaker_tlv::{Command, Frame, Status, UserRole};
use rainmaker_types::Channel;
use serde_json::{Value, json};

use crate::cloud::{Cloud, Seen, response_json};
use crate::error::{Error, Result};
use crate::node::{NodeEvent, NodeHandle};

/// Names of the steps of [`run`], in order.
pub const STEPS: &[&str] = &[
    "config",
    "params/local/init",
    "boot tsdata",
    "get pending",
    "remote write",
    "rejected write",
    "cmd-1 set params",
    "OTA offer",
    "OTA progress",
    "sensor report",
    "schedule",
];

/// The firmware version the OTA offer moves the node to.
pub const OTA_TARGET_VERSION: &str = "1.1";

/// The job id of the OTA offer.
pub const OTA_JOB_ID: &str = "k2Hn9xVd3QpLmA7sB4cE1f";

fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// Whether the node reports param values on `channel` (a delta, the boot snapshot, a
/// group delta).
fn reports_params(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::ParamsLocal | Channel::ParamsLocalInit | Channel::ParamsLocalGroup
    )
}

fn json_of(step: &str, seen: &Seen) -> Result<Value, String> {
    seen.json().ok_or_else(|| {
        format!(
            "{step}: payload on {} is not JSON: {}",
            seen.message.topic,
            String::from_utf8_lossy(&seen.message.payload)
        )
    })
}

/// Runs the whole conversation against a node that has just connected.
pub async fn run(cloud: &mut Cloud, node: &mut NodeHandle) -> Result<()> {
    let node_id = cloud.node_id().to_owned();

    // 1. Boot: config, the full params snapshot, the get-pending request.
    let step = "config";
    let config = cloud
        .expect(step, Channel::NodeConfig, |seen| {
            let doc = json_of(step, seen)?;
            if doc.get("node_id").and_then(Value::as_str) != Some(node_id.as_str()) {
                return Err(format!("node_id is not {node_id}: {doc}"));
            }
            Ok(true)
        })
        .await?;
    let doc = config.json().unwrap_or_default();
    let devices: Vec<&str> = doc
        .get("devices")
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .filter_map(|d| d.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    for wanted in ["Light", "Temperature Sensor"] {
        if !devices.contains(&wanted) {
            return Err(Error::step(
                step,
                format!("no device {wanted:?} in {devices:?}"),
            ));
        }
    }
    let version = get(&doc, &["info", "fw_version"])
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    cloud.pass(
        step,
        format!("devices {}, firmware {version}", devices.join(", ")),
    );

    let step = "params/local/init";
    let init = cloud
        .expect(step, Channel::ParamsLocalInit, |seen| {
            let doc = json_of(step, seen)?;
            for path in [
                &["Light", "Power"][..],
                &["Light", "Brightness"],
                &["Temperature Sensor", "Temperature"],
            ] {
                if get(&doc, path).is_none() {
                    return Err(format!("no {} in the snapshot {doc}", path.join(".")));
                }
            }
            Ok(true)
        })
        .await?;
    let init = init.json().unwrap_or_default();
    cloud.pass(
        step,
        format!(
            "Light.Power={} Light.Brightness={} Temperature={}",
            init["Light"]["Power"],
            init["Light"]["Brightness"],
            init["Temperature Sensor"]["Temperature"]
        ),
    );

    let step = "boot tsdata";
    let boot = expect_temperature_series(cloud, step).await?;
    if boot != init["Temperature Sensor"]["Temperature"] {
        return Err(Error::step(
            step,
            format!("tsdata value {boot} is not the snapshot's"),
        ));
    }
    cloud.pass(step, format!("Temperature Sensor.Temperature = {boot}"));

    let step = "get pending";
    cloud
        .expect(step, Channel::FromNode, |seen| {
            Ok(Frame::decode(&seen.message.payload).is_ok_and(|f| f.is_get_pending()))
        })
        .await?;
    cloud.pass(step, "the node asked for queued commands");

    // 2. A remote write and the node's delta.
    let step = "remote write";
    cloud
        .send_json(
            Channel::ParamsRemote,
            r#"{"Light":{"Power":true,"Brightness":60}}"#,
        )
        .await?;
    cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            let Some(light) = doc.get("Light") else {
                return Ok(false);
            };
            if light.get("Power") == Some(&json!(true))
                && light.get("Brightness") == Some(&json!(60))
            {
                Ok(true)
            } else {
                Err(format!("unexpected delta {doc}"))
            }
        })
        .await?;
    cloud.pass(step, "Light.Power=true Light.Brightness=60 reported back");

    // 3. A write the device must reject: no report, a typed error on the node.
    let step = "rejected write";
    let mark = cloud.mark();
    cloud
        .send_json(Channel::ParamsRemote, r#"{"Light":{"Brightness":150}}"#)
        .await?;
    let event = node
        .expect_event(step, cloud.step_timeout(), |event| {
            matches!(event, NodeEvent::Rejected { .. })
        })
        .await?;
    let error = match event {
        NodeEvent::Rejected { error, .. } => error,
        other => other.to_string(),
    };
    cloud.pass(step, format!("no report; the node logged \"{error}\""));

    // 4. Cmd 1 over TLV: set params, answered on from-node.
    let step = "cmd-1 set params";
    let request_id = cloud.new_request_id();
    cloud
        .send_command(
            &request_id,
            UserRole::PRIMARY_USER,
            Command::SET_PARAMS,
            br#"{"params":{"Light":{"Power":false}}}"#,
        )
        .await?;
    let (status, data) = cloud
        .expect_response(step, &request_id, Command::SET_PARAMS)
        .await?;
    if status != Status::SUCCESS {
        return Err(Error::step(step, format!("status {status}")));
    }
    let answer = response_json(step, &data)?;
    if answer.get("status") != Some(&json!("success"))
        || get(&answer, &["params", "Light", "Power"]) != Some(&json!(false))
    {
        return Err(Error::step(step, format!("unexpected answer {answer}")));
    }
    // Nothing reported the rejected value, before or after the command.
    for seen in cloud.since(mark) {
        if seen.channel().is_some_and(reports_params)
            && seen
                .json()
                .is_some_and(|doc| get(&doc, &["Light", "Brightness"]) == Some(&json!(150)))
        {
            return Err(Error::step(
                "rejected write",
                format!(
                    "the node reported the rejected value: {}",
                    seen.message.topic
                ),
            ));
        }
    }
    cloud.pass(
        step,
        format!(
            "request {request_id} answered: {}",
            String::from_utf8_lossy(&data)
        ),
    );

    // 5. OTA: an offer on otaurl, the node's progress on otastatus.
    let step = "OTA offer";
    cloud
        .send_json(
            Channel::OtaUrl,
            &format!(
                "{{\"ota_job_id\":\"{OTA_JOB_ID}\",\
                 \"url\":\"https://example.invalid/firmware/demo-{OTA_TARGET_VERSION}.bin\",\
                 \"file_md5\":\"9e107d9d372bb6826bd81d3542a419d6\",\"file_size\":1536000,\
                 \"fw_version\":\"{OTA_TARGET_VERSION}\"}}"
            ),
        )
        .await?;
    let job_check = |seen: &Seen| -> Result<Option<String>, String> {
        let doc = json_of("otastatus", seen)?;
        if doc.get("ota_job_id").and_then(Value::as_str) != Some(OTA_JOB_ID) {
            return Err(format!("otastatus for another job: {doc}"));
        }
        Ok(doc.get("status").and_then(Value::as_str).map(str::to_owned))
    };
    cloud
        .expect(step, Channel::OtaStatus, |seen| {
            Ok(job_check(seen)?.as_deref() == Some("in-progress"))
        })
        .await?;
    cloud.pass(
        step,
        format!("job {OTA_JOB_ID} accepted, download in progress"),
    );

    let step = "OTA progress";
    let mut progress = 1;
    cloud
        .expect(step, Channel::OtaStatus, |seen| {
            match job_check(seen)?.as_deref() {
                Some("in-progress") => {
                    progress += 1;
                    Ok(false)
                }
                Some("success") => Ok(true),
                other => Err(format!("status {other:?}")),
            }
        })
        .await?;
    cloud.pass(
        step,
        format!("{progress} in-progress reports, then success"),
    );

    // 6. A local change: the sensor's next reading, as a delta and a
    //    time-series record.
    let step = "sensor report";
    let delta = cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            Ok(get(&doc, &["Temperature Sensor", "Temperature"]).is_some())
        })
        .await?;
    let reading = delta.json().unwrap_or_default()["Temperature Sensor"]["Temperature"].clone();
    let series = expect_temperature_series(cloud, step).await?;
    if series != reading {
        return Err(Error::step(
            step,
            format!("tsdata value {series} differs from the delta's {reading}"),
        ));
    }
    cloud.pass(
        step,
        format!("Temperature Sensor.Temperature = {reading} on params/local and tsdata"),
    );

    // 7. A schedule, as the phone app writes it: a timer two seconds from now.
    //    The node reports the list with the timer's time, then fires it on its
    //    own: the action's delta, and the timer disabled in the list.
    let step = "schedule";
    cloud
        .send_json(
            Channel::ParamsRemote,
            r#"{"Schedule":{"Schedules":[{"id":"DEMO","operation":"add","name":"Demo timer","action":{"Light":{"Brightness":30}},"triggers":[{"rsec":2}]}]}}"#,
        )
        .await?;
    let listed = cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            Ok(get(&doc, &["Schedule", "Schedules"]).is_some())
        })
        .await?;
    let ts = listed.json().unwrap_or_default()["Schedule"]["Schedules"][0]["triggers"][0]["ts"]
        .as_i64()
        .unwrap_or(0);
    if ts == 0 {
        return Err(Error::step(step, "the timer was reported without its time"));
    }
    cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            Ok(get(&doc, &["Light", "Brightness"]) == Some(&json!(30)))
        })
        .await?;
    cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            Ok(
                get(&doc, &["Schedule", "Schedules"]).and_then(|list| list.get(0)?.get("enabled"))
                    == Some(&json!(false)),
            )
        })
        .await?;
    cloud.pass(
        step,
        format!("timer armed for {ts}, fired on time: Light.Brightness=30, then disabled"),
    );
    Ok(())
}

/// Waits for a `tsdata` report of the temperature and returns its value.
async fn expect_temperature_series(cloud: &mut Cloud, step: &str) -> Result<Value> {
    let seen = cloud
        .expect(step, Channel::TsData, |seen| {
            let doc = json_of(step, seen)?;
            let series = get(&doc, &["ts_data"]).and_then(|d| d.get(0));
            let name = series.and_then(|s| s.get("name")).and_then(Value::as_str);
            Ok(name == Some("Temperature Sensor.Temperature"))
        })
        .await?;
    let doc = seen.json().unwrap_or_default();
    let record = &doc["ts_data"][0]["records"][0];
    if !record["t"].is_i64() || !record["v"].is_number() {
        return Err(Error::step(step, format!("bad record {record}")));
    }
    Ok(record["v"].clone())
}

/// Malformed input from the cloud: the node must log a typed error, answer
/// with the right TLV status where the protocol has one, and change nothing.
pub async fn robustness(cloud: &mut Cloud, node: &mut NodeHandle) -> Result<()> {
    let mark = cloud.mark();
    let light_before = node.snapshot().await?["Light"].clone();

    let step = "malformed JSON";
    cloud
        .send(Channel::ParamsRemote, br#"{"Light":{"Power":tru"#.to_vec())
        .await?;
    let event = node
        .expect_event(step, cloud.step_timeout(), |event| {
            matches!(event, NodeEvent::Rejected { topic, .. } if topic.ends_with("params/remote"))
        })
        .await?;
    cloud.pass(step, format!("node logged: {event}"));

    let step = "invalid TLV frame";
    // A command record, then a type byte with no length.
    cloud
        .send(Channel::ToNode, b"\x05\x02\x01\x00\x06".to_vec())
        .await?;
    let seen = cloud
        .expect(step, Channel::FromNode, |seen| {
            Ok(matches!(
                Frame::decode(&seen.message.payload),
                Ok(Frame::Response(r)) if r.command != Command::GET_PENDING || r.status != Status::SUCCESS
            ))
        })
        .await?;
    let response =
        rainmaker_tlv::Response::decode(&seen.message.payload).map_err(|e| Error::step(step, e))?;
    if response.status != Status::INVALID {
        return Err(Error::step(
            step,
            format!("status {}, not invalid", response.status),
        ));
    }
    cloud.pass(step, format!("answered status {}", response.status));

    let step = "unknown command";
    let request_id = cloud.new_request_id();
    cloud
        .send_command(&request_id, UserRole::PRIMARY_USER, Command(0x1234), b"{}")
        .await?;
    let (status, _) = cloud
        .expect_response(step, &request_id, Command(0x1234))
        .await?;
    if status != Status::NOT_FOUND {
        return Err(Error::step(step, format!("status {status}, not not-found")));
    }
    cloud.pass(
        step,
        format!("request {request_id} answered status {status}"),
    );

    // No state change: the light is as it was, and nothing was reported
    // on params/local since the first bad input.
    let step = "no state change";
    let light_after = node.snapshot().await?["Light"].clone();
    if light_after != light_before {
        return Err(Error::step(
            step,
            format!("the light changed from {light_before} to {light_after}"),
        ));
    }
    for seen in cloud.since(mark) {
        if seen.channel().is_some_and(reports_params)
            && seen.json().is_some_and(|doc| doc.get("Light").is_some())
        {
            return Err(Error::step(
                step,
                format!(
                    "the node reported a change: {}",
                    String::from_utf8_lossy(&seen.message.payload)
                ),
            ));
        }
    }
    cloud.pass(step, format!("Light still {light_after}, nothing reported"));

    // And the node still works.
    let step = "still working";
    cloud
        .send_json(Channel::ParamsRemote, r#"{"Light":{"Brightness":30}}"#)
        .await?;
    cloud
        .expect(step, Channel::ParamsLocal, |seen| {
            let doc = json_of(step, seen)?;
            Ok(get(&doc, &["Light", "Brightness"]) == Some(&json!(30)))
        })
        .await?;
    cloud.pass(
        step,
        "a valid write after the bad input is applied and reported",
    );
    Ok(())
}
