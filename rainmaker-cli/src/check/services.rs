//! The standard services a node declares, driven as the phone apps and the
//! cloud drive them: a time zone, a schedule added and removed, an OTA offer,
//! and (only when asked) a reboot.

use std::time::Duration;

use rainmaker_types::Channel;
use rainmaker_types::Message;
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::services::time::posix_tz;
use rainmaker_types::standard_types::ServiceType;
use serde_json::json;

use rainmaker_mqtt::Consumer;
use rainmaker_types::tlv::GET_PENDING_FRAME;

use super::Settings;
use super::observer::Observer;
use super::report::excerpt;
use super::rules;
use super::writes::{self, document};

/// How long after its config a node may take to send otafetch (the SDK waits 5 s).
const OTA_FETCH_DELAY: Duration = Duration::from_secs(6);

/// How long after its config a node may take to report `Connected: true` (the
/// SDK's delay is at most 30 s).
const CONNECTED_DELAY: Duration = Duration::from_secs(31);

/// A schedule trigger that does not fire during a check: a day from now.
const A_DAY: u32 = 86_400;

/// Runs the service checks.
pub async fn run(observer: &mut Observer, settings: &Settings) {
    let answer = settings.answer_timeout;
    time_zone(observer, answer).await;
    schedules(observer, answer).await;
    ota(observer, answer).await;
    connected(observer).await;
    if settings.destructive {
        takeover(observer, settings).await;
        reboot(observer, answer, settings.boot_timeout).await;
    }
}

/// `services.time-zone`: a TZ write is reported with its TZ-POSIX.
async fn time_zone(observer: &mut Observer, answer: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let tz = model
        .service_param(&ServiceType::Time, "TZ")
        .filter(|param| param.writable);
    let tz_posix = model.service_param(&ServiceType::Time, "TZ-POSIX");
    let (Some(tz), Some(tz_posix)) = (tz, tz_posix) else {
        return;
    };
    observer.findings.checked(&rules::TIME_ZONE);
    let current = observer.reported(&tz.device, "TZ");
    let zone = if current == Some(&json!("Asia/Kolkata")) {
        "Europe/Berlin"
    } else {
        "Asia/Kolkata"
    };
    let Some(posix) = posix_tz(zone) else {
        return;
    };
    let mark = observer.seen.len();
    writes::publish(observer, None, &document(&tz.device, "TZ", json!(zone))).await;
    let device = tz.device.clone();
    let found = observer
        .wait_for(mark, answer, |seen| {
            seen.is_report() && seen.reported(&device, "TZ-POSIX").is_some()
        })
        .await;
    let got = found.and_then(|_| observer.reported(&tz_posix.device, "TZ-POSIX"));
    if got != Some(&json!(posix)) {
        let got = got.map_or_else(|| "nothing".to_owned(), |value| value.to_string());
        let topic = observer.topic("params/local");
        observer.findings.deviate(
            &rules::TIME_ZONE,
            topic,
            format!(
                "{}.TZ-POSIX = {posix:?} after TZ = {zone:?}, within {} s",
                tz.device,
                answer.as_secs_f64()
            ),
            got,
        );
    }
}

/// `services.schedules`: a schedule added is reported, and gone once removed.
async fn schedules(observer: &mut Observer, answer: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let Some(list) = model
        .service_param(&ServiceType::Schedule, "Schedules")
        .filter(|param| param.writable)
    else {
        return;
    };
    observer.findings.checked(&rules::SCHEDULES);
    // The action: a device param set to the value it has, so that nothing
    // changes if the schedule ever fires.
    let action = model
        .params
        .iter()
        .filter(|param| param.service.is_none() && param.writable)
        .find_map(|param| {
            Some(document(
                &param.device,
                &param.name,
                observer.reported(&param.device, &param.name)?.clone(),
            ))
        })
        .unwrap_or_else(|| json!({}));
    let id = format!("chk{:05}", std::process::id() % 100_000);
    let add = json!([{
        "id": id,
        "operation": "add",
        "name": "check-node",
        "triggers": [{"rsec": A_DAY}],
        "action": action,
    }]);
    let device = list.device.clone();
    let listed = |seen: &super::observer::Seen, id: &str| -> Option<bool> {
        let schedules = seen.reported(&device, "Schedules")?.as_array()?;
        Some(schedules.iter().any(|schedule| {
            schedule.get("id") == Some(&json!(id))
                && schedule.get("name") == Some(&json!("check-node"))
                && schedule.get("enabled") == Some(&json!(true))
        }))
    };
    let mark = observer.seen.len();
    writes::publish(observer, None, &document(&device, "Schedules", add)).await;
    let added = observer
        .wait_for(mark, answer, |seen| {
            seen.is_report() && listed(seen, &id) == Some(true)
        })
        .await;
    let topic = observer.topic("params/local");
    if added.is_none() {
        let got = last_list(observer, mark, &device);
        observer.findings.deviate(
            &rules::SCHEDULES,
            topic,
            format!("{device}.Schedules listing {id:?} (name \"check-node\", enabled) within {} s of its add", answer.as_secs_f64()),
            got,
        );
        return;
    }
    let mark = observer.seen.len();
    let remove = json!([{"id": id, "operation": "remove"}]);
    writes::publish(observer, None, &document(&device, "Schedules", remove)).await;
    let removed = observer
        .wait_for(mark, answer, |seen| {
            seen.is_report() && listed(seen, &id) == Some(false)
        })
        .await;
    if removed.is_none() {
        let got = last_list(observer, mark, &device);
        observer.findings.deviate(
            &rules::SCHEDULES,
            topic,
            format!(
                "{device}.Schedules without {id:?} within {} s of its removal",
                answer.as_secs_f64()
            ),
            got,
        );
    }
}

/// The last Schedules list reported since `mark`, for a deviation.
fn last_list(observer: &Observer, mark: usize, device: &str) -> String {
    observer.seen[mark..]
        .iter()
        .rev()
        .find_map(|seen| seen.reported(device, "Schedules"))
        .map_or_else(
            || "nothing".to_owned(),
            |list| excerpt(list.to_string().as_bytes()),
        )
}

/// `services.ota-status`: an offer to a node that fetches OTA over topics gets
/// an otastatus for its job.
async fn ota(observer: &mut Observer, answer: Duration) {
    let fetched = |observer: &Observer| {
        observer
            .seen
            .iter()
            .any(|seen| seen.channel == Some(Channel::OtaFetch))
    };
    if !fetched(observer)
        && let Some(booted) = observer.booted_at
    {
        let left =
            (booted + OTA_FETCH_DELAY).saturating_duration_since(tokio::time::Instant::now());
        observer
            .wait_for(0, left, |seen| seen.channel == Some(Channel::OtaFetch))
            .await;
    }
    if !fetched(observer) {
        observer.findings.skip(
            "an OTA offer",
            format!(
                "no otafetch within {} s of the config: the node does not fetch OTA over topics",
                OTA_FETCH_DELAY.as_secs()
            ),
        );
        return;
    }
    observer.findings.checked(&rules::OTA_STATUS);
    let job = format!("check-node-{}", std::process::id());
    let offer = json!({
        "ota_job_id": job,
        "url": "https://example.invalid/check-node.bin",
        "file_size": 0,
        "fw_version": "check-node",
    });
    let mark = observer.seen.len();
    let topic = observer.topic("otaurl");
    writes::publish_raw(observer, &topic, offer.to_string().into_bytes()).await;
    let found = observer
        .wait_for(mark, answer, |seen| {
            matches!(&seen.message, Some(Message::OtaStatus(status)) if status.ota_job_id.as_deref() == Some(job.as_str()))
        })
        .await;
    if found.is_none() {
        let statuses = OtaJobStatus::ALL.map(|status| status.as_str()).join(", ");
        let topic = observer.topic("otastatus");
        let other = observer.seen[mark..]
            .iter()
            .find(|seen| seen.channel == Some(Channel::OtaStatus))
            .map_or_else(|| "nothing".to_owned(), |seen| excerpt(&seen.payload));
        observer.findings.deviate(
            &rules::OTA_STATUS,
            topic,
            format!(
                "an otastatus for job {job:?} ({statuses}) within {} s",
                answer.as_secs_f64()
            ),
            other,
        );
    }
}

/// `services.connected`: the connectivity service says the node is connected.
async fn connected(observer: &mut Observer) {
    let (Some(service), Some(booted)) = (connectivity_service(observer), observer.booted_at) else {
        return;
    };
    expect_connected(observer, &service, 0, booted, "the config").await;
}

/// The node's connectivity service, if it declares one with `Connected`.
fn connectivity_service(observer: &Observer) -> Option<String> {
    observer
        .model
        .as_ref()?
        .service_param(&ServiceType::Connectivity, "Connected")
        .map(|param| param.device.clone())
}

/// Waits for `{"<service>":{"Connected":true}}` among the messages from `from`,
/// at most [`CONNECTED_DELAY`] after `since` (`after` says what happened then).
async fn expect_connected(
    observer: &mut Observer,
    service: &str,
    from: usize,
    since: tokio::time::Instant,
    after: &str,
) {
    observer.findings.checked(&rules::CONNECTED);
    let left = (since + CONNECTED_DELAY).saturating_duration_since(tokio::time::Instant::now());
    let found = observer
        .wait_for(from, left, |seen| {
            seen.is_report() && seen.reported(service, "Connected") == Some(&json!(true))
        })
        .await;
    if found.is_none() {
        let topic = observer.topic("params/local");
        observer.findings.deviate(
            &rules::CONNECTED,
            topic,
            format!(
                "{{\"{service}\":{{\"Connected\":true}}}} within {} s of {after}",
                CONNECTED_DELAY.as_secs()
            ),
            "nothing",
        );
    }
}

/// `boot.last-will` and `boot.reconnect` (destructive): a client takes the node's
/// id for a moment, so that the broker drops the node as it drops a node whose
/// connection died; the node's Last Will follows (with the connectivity
/// service), then the node comes back and asks for pending commands again.
async fn takeover(observer: &mut Observer, settings: &Settings) {
    if observer.model.is_none() {
        return;
    }
    let connectivity = connectivity_service(observer);
    observer.findings.checked(&rules::RECONNECT);
    let mark = observer.seen.len();
    // A clean session, so that the node's own session is not handed over.
    let broker = settings.broker.clone().with_persistent_session(false);
    let quiet_filter = vec![observer.topic("check-node/takeover")];
    match Consumer::connect_to(&broker, &settings.node_id, quiet_filter).await {
        Ok(intruder) => intruder.close().await,
        Err(error) => {
            observer
                .findings
                .note(format!("cannot take over the node's client id: {error}"));
            return;
        }
    }
    if let Some(service) = &connectivity {
        observer.findings.checked(&rules::LAST_WILL);
        let will = json!({ service.as_str(): { "Connected": false } });
        let found = observer
            .wait_for(mark, settings.answer_timeout, |seen| {
                seen.is_report() && seen.params() == Some(&will)
            })
            .await;
        if found.is_none() {
            let topic = observer.topic("params/local");
            observer.findings.deviate(
                &rules::LAST_WILL,
                topic,
                format!(
                    "{will} within {} s of the node being dropped",
                    settings.answer_timeout.as_secs_f64()
                ),
                "nothing",
            );
        }
    }
    let again = observer
        .wait_for(mark, settings.boot_timeout, |seen| {
            seen.channel == Some(Channel::FromNode) && seen.payload == GET_PENDING_FRAME
        })
        .await;
    if let (Some(index), Some(service)) = (again, &connectivity) {
        // Connected again: the service says so again, as after the first connect.
        let since = observer.seen[index].at;
        expect_connected(observer, service, index, since, "the reconnection").await;
    }
    if again.is_none() {
        let topic = observer.topic("from-node");
        observer.findings.deviate(
            &rules::RECONNECT,
            topic,
            format!(
                "{} within {} s of the node being dropped",
                hex::encode(GET_PENDING_FRAME),
                settings.boot_timeout.as_secs()
            ),
            "nothing",
        );
    }
}

/// `services.reboot` (destructive): a Reboot write is echoed, then the node
/// boots again.
async fn reboot(observer: &mut Observer, answer: Duration, boot: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let Some(param) = model
        .service_param(&ServiceType::System, "Reboot")
        .filter(|param| param.writable)
    else {
        observer.findings.skip(
            "a reboot",
            "the node declares no system service with Reboot",
        );
        return;
    };
    observer.findings.checked(&rules::REBOOT);
    let mark = observer.seen.len();
    writes::publish(
        observer,
        None,
        &document(&param.device, "Reboot", json!(true)),
    )
    .await;
    let device = param.device.clone();
    let echoed = observer
        .wait_for(mark, answer, |seen| {
            seen.is_report() && seen.reported(&device, "Reboot") == Some(&json!(true))
        })
        .await;
    let topic = observer.topic("params/local");
    if echoed.is_none() {
        observer.findings.deviate(
            &rules::REBOOT,
            topic,
            format!("{device}.Reboot = true within {} s", answer.as_secs_f64()),
            "nothing",
        );
        return;
    }
    let rebooted = observer
        .wait_for(mark, boot, |seen| seen.channel == Some(Channel::NodeConfig))
        .await;
    if rebooted.is_none() {
        let config = observer.topic("config");
        observer.findings.deviate(
            &rules::REBOOT,
            config,
            format!("a new config within {} s of the reboot", boot.as_secs()),
            "nothing",
        );
    }
}
