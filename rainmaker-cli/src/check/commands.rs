//! Command-response on `to-node` / `from-node`: cmd 1 (set params) from allowed
//! and refused roles, a cmd 1 without params, an unknown command and a frame
//! without a usable role, each with the status the SDK answers.

use std::time::Duration;

use rainmaker_types::Channel;
use rainmaker_types::tlv::{Command, OwnedFrame, OwnedRequest, OwnedResponse, Status, UserRole};
use serde_json::{Value, json};

use super::model::Param;
use super::observer::Observer;
use super::report::excerpt;
use super::rules::{self, Rule};
use super::writes::{self, same};

/// A role with only sub-role bits: no base role, so no handler allows it.
const SUB_ROLE_ONLY: UserRole = UserRole(0x10);
/// A standard-range command no SDK component registers.
const UNKNOWN_COMMAND: Command = Command(0x0ABC);

/// What one request must get back.
struct Expect {
    rule: &'static Rule,
    status: Status,
    /// Whether the answer carries data.
    data: bool,
}

impl Expect {
    /// An answer with `status` and no data, as `rule` says.
    const fn bare(rule: &'static Rule, status: Status) -> Self {
        Expect {
            rule,
            status,
            data: false,
        }
    }
}

/// The data of cmd 1 writing `value` to `param`.
fn set_params_data(param: &Param, value: &Value) -> Vec<u8> {
    let document = writes::document(&param.device, &param.name, value.clone());
    json!({ "params": document }).to_string().into_bytes()
}

/// Runs the command checks (the node declares cmd-resp).
pub async fn run(observer: &mut Observer, answer: Duration, quiet: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let mut serial = 0;
    let mut request_id = || {
        serial += 1;
        format!("checknode{}{serial:03}", std::process::id() % 100_000)
    };
    let target = model
        .read_write_device_params()
        .find_map(|param| Some((param.clone(), writes::next_value(observer, param)?)));
    // cmd 1 with a valid write: applied, answered, not reported on params/local.
    if let Some((param, value)) = &target {
        let mark = observer.seen.len();
        let expect = Expect {
            rule: &rules::SET,
            status: Status::SUCCESS,
            data: true,
        };
        let data = set_params_data(param, value);
        let set = (UserRole::PRIMARY_USER, Command::SET_PARAMS, data);
        if let Some(data) = exchange(observer, &request_id(), set, expect, answer).await {
            check_set_answer(observer, &data, &param.device, &param.name, value);
        }
        observer.findings.checked(&rules::NO_DELTA);
        observer.listen(quiet).await;
        let reported = observer.seen[mark..]
            .iter()
            .filter(|seen| seen.is_report())
            .find(|seen| {
                seen.reported(&param.device, &param.name)
                    .is_some_and(|reported| same(reported, value))
            });
        if let Some(seen) = reported {
            let topic = seen.topic.clone();
            let got = excerpt(&seen.payload);
            observer.findings.deviate(
                &rules::NO_DELTA,
                topic,
                format!("no params/local report of {} after cmd 1", param.path()),
                got,
            );
        }
        // The same write from a role cmd 1 does not allow.
        let set = (
            SUB_ROLE_ONLY,
            Command::SET_PARAMS,
            set_params_data(param, value),
        );
        let expect = Expect::bare(&rules::AUTH, Status::AUTH_FAILED);
        exchange(observer, &request_id(), set, expect, answer).await;
    } else {
        observer.findings.skip(
            "cmd 1 with a write",
            "the node has no readable, writable device param",
        );
    }
    let no_params = br#"{"check-node":true}"#.to_vec();
    let set = (UserRole::PRIMARY_USER, Command::SET_PARAMS, no_params);
    let expect = Expect::bare(&rules::FAILED, Status::FAILED);
    exchange(observer, &request_id(), set, expect, answer).await;
    let unknown = (UserRole::PRIMARY_USER, UNKNOWN_COMMAND, b"{}".to_vec());
    let expect = Expect::bare(&rules::UNKNOWN, Status::NOT_FOUND);
    exchange(observer, &request_id(), unknown, expect, answer).await;
    invalid_role(observer, &request_id(), answer).await;
}

/// A frame whose role record has two bytes: the SDK reads no role and answers
/// status 2, echoing the request id and the command.
async fn invalid_role(observer: &mut Observer, id: &str, answer: Duration) {
    let mut frame = vec![0x01, id.len() as u8];
    frame.extend_from_slice(id.as_bytes());
    frame.extend_from_slice(&[0x02, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x00]);
    let expect = Expect::bare(&rules::INVALID, Status::INVALID);
    send_and_check(observer, id, Command::SET_PARAMS, frame, expect, answer).await;
}

/// Sends one request (its role, command and data) and checks its answer; the
/// answer's data when the status was the expected one.
async fn exchange(
    observer: &mut Observer,
    id: &str,
    (role, command, data): (UserRole, Command, Vec<u8>),
    expect: Expect,
    answer: Duration,
) -> Option<Vec<u8>> {
    let request = OwnedRequest {
        request_id: Some(id.as_bytes().to_vec()),
        timestamp: u32::try_from(rainmaker_mqtt::unix_now()).ok(),
        data,
        ..OwnedRequest::new(command, role)
    };
    let frame = match request.to_vec() {
        Ok(frame) => frame,
        Err(error) => {
            observer
                .findings
                .note(format!("cannot encode a request: {error}"));
            return None;
        }
    };
    send_and_check(observer, id, command, frame, expect, answer).await
}

async fn send_and_check(
    observer: &mut Observer,
    id: &str,
    command: Command,
    frame: Vec<u8>,
    expect: Expect,
    answer: Duration,
) -> Option<Vec<u8>> {
    observer.findings.checked(expect.rule);
    observer.findings.checked(&rules::ECHO);
    let mark = observer.seen.len();
    let to_node = observer.topic("to-node");
    writes::publish_raw(observer, &to_node, frame).await;
    let found = observer
        .wait_for(mark, answer, |seen| {
            seen.channel == Some(Channel::FromNode) && response(&seen.payload).is_some()
        })
        .await;
    let from_node = observer.topic("from-node");
    let wanted = format!(
        "status {} ({}){} within {} s",
        expect.status.0,
        expect.status,
        if expect.data {
            " with data"
        } else {
            ", no data"
        },
        answer.as_secs_f64()
    );
    let Some(index) = found else {
        observer
            .findings
            .deviate(expect.rule, from_node, wanted, "no answer");
        return None;
    };
    let seen = &observer.seen[index];
    let topic = seen.topic.clone();
    let got = response(&seen.payload)?;
    let echoed = got.request_id.as_deref() == Some(id.as_bytes()) && got.command == command;
    if !echoed {
        observer.findings.deviate(
            &rules::ECHO,
            topic.clone(),
            format!("request id {id:?} and cmd {}", command.0),
            format!(
                "request id {:?} and cmd {}",
                String::from_utf8_lossy(got.request_id.as_deref().unwrap_or_default()),
                got.command.0
            ),
        );
    }
    if got.status != expect.status || got.data.is_empty() == expect.data {
        let data = if got.data.is_empty() {
            "no data".to_owned()
        } else {
            format!("data {}", excerpt(&got.data))
        };
        observer.findings.deviate(
            expect.rule,
            topic,
            wanted,
            format!("status {} ({}), {data}", got.status.0, got.status),
        );
        return None;
    }
    Some(got.data)
}

/// The answer of cmd 1: `{"status":"success","params":{...}}` with the value.
fn check_set_answer(observer: &mut Observer, data: &[u8], device: &str, name: &str, value: &Value) {
    let from_node = observer.topic("from-node");
    let parsed: Option<Value> = serde_json::from_slice(data).ok();
    let status_ok = parsed
        .as_ref()
        .and_then(|answer| answer.get("status")?.as_str().map(str::to_owned))
        == Some("success".to_owned());
    let written = parsed
        .as_ref()
        .and_then(|answer| answer.get("params")?.get(device)?.get(name).cloned());
    if !status_ok || !written.as_ref().is_some_and(|written| same(written, value)) {
        observer.findings.deviate(
            &rules::SET,
            from_node,
            format!(
                "{{\"status\":\"success\",\"params\":{{\"{device}\":{{\"{name}\":{value}}}}}}}"
            ),
            excerpt(data),
        );
    }
}

/// A `from-node` payload as an answer (not the node's own requests, such as
/// get-pending).
fn response(payload: &[u8]) -> Option<OwnedResponse> {
    match OwnedFrame::decode(payload) {
        Ok(OwnedFrame::Response(response)) => Some(response),
        _ => None,
    }
}
