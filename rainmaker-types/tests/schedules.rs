//! Schedules run by the node: a whole day through `poll_timeout` /
//! `handle_timeout` with every write and publish checked, the time not known
//! yet, missed triggers across a reboot, a clock jump, validity, and scenes.

use rainmaker_test_support::node::{Light, NODE_ID, led_light_info, node_id};
use rainmaker_types::clock::PosixTz;
use rainmaker_types::node::{Event, Input, Node, Output, WriteSource};
use rainmaker_types::schedule::Trigger;
use rainmaker_types::services::{Scenes, Schedule, ScheduleEntry, Time};
use serde_json::json;

/// Berlin, where the day of these tests (2025-03-30) changes to summer time.
const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// 2025-03-29 21:30 UTC (22:30 in Berlin, winter time).
const BOOT: i64 = 1_743_283_800;

fn node() -> Node {
    let mut node = Node::new(node_id(), led_light_info());
    node.add_device(Light::new(false, 25)).expect("the light");
    node.add_service(Time::new().with_time_zone("Europe/Berlin", BERLIN))
        .expect("time");
    node.add_service(Schedule::default()).expect("schedule");
    node.add_service(Scenes::default().with_deactivation_support(true))
        .expect("scenes");
    node
}

fn remote(node: &mut Node, now: i64, payload: &str) -> Output {
    node.handle(
        now,
        Input::Received {
            topic: &format!("node/{NODE_ID}/params/remote"),
            payload: payload.as_bytes(),
        },
    )
    .expect("a remote write")
}

/// One line per publish (`time topic-suffix payload`) and per event.
fn transcript(now: i64, out: &Output) -> Vec<String> {
    let prefix = format!("node/{NODE_ID}/");
    let mut lines: Vec<String> = out
        .publish
        .iter()
        .map(|publish| {
            format!(
                "{now} {} {}",
                publish.topic.trim_start_matches(&prefix),
                String::from_utf8_lossy(&publish.payload)
            )
        })
        .collect();
    for event in &out.events {
        match event {
            Event::ScheduleFired { id, action_error } => {
                lines.push(format!("{now} fired {id} {action_error:?}"));
            }
            Event::ParamsWritten {
                source, rejected, ..
            } => lines.push(format!(
                "{now} written from {source}, {} refused",
                rejected.len()
            )),
            other => lines.push(format!("{now} {other}")),
        }
    }
    lines
}

#[test]
fn a_day_of_schedules_fires_when_an_sdk_node_would() {
    let mut node = node();
    let _boot = node.handle(BOOT, Input::Connected).expect("boots");
    let write = json!({"Schedule":{"Schedules":[
        {"id":"ON","operation":"add","name":"On","action":{"Light":{"Power":true}},
         "triggers":[{"m":420,"d":127}]},
        {"id":"OFF","operation":"add","name":"Off","action":{"Light":{"Power":false}},
         "triggers":[{"m":1380,"d":127}]},
        {"id":"T","operation":"add","name":"Timer","action":{"Light":{"Brightness":10}},
         "triggers":[{"rsec":5400}]},
        {"id":"SR","operation":"add","name":"Sunrise","action":{"Light":{"Brightness":40}},
         "triggers":[{"sr":0,"lat":52.52,"lon":13.405,"d":127,"loc":"Berlin"}]},
        {"id":"DATE","operation":"add","name":"Date","action":{"Light":{"Brightness":70}},
         "triggers":[{"m":720,"dd":30,"mm":4,"yy":2025}]}
    ]}});
    let out = remote(&mut node, BOOT, &write.to_string());
    // The write is reported with the next times the SDK tracks: the relative
    // and sunrise triggers' `ts`.
    let sunrise = Trigger::from_json(&json!({"sr":0,"lat":52.52,"lon":13.405,"d":127}))
        .next_after(BOOT, &PosixTz::parse(BERLIN).expect("Berlin"))
        .expect("the sun rises in Berlin");
    // 2025-03-30 sunrise in Berlin is about 06:55 summer time (04:55 UTC).
    assert!(
        (1_743_309_900..1_743_310_500).contains(&sunrise),
        "{sunrise}"
    );
    let reported = String::from_utf8_lossy(&out.publish[0].payload).into_owned();
    assert_eq!(
        reported,
        format!(
            concat!(
                r#"{{"Schedule":{{"Schedules":["#,
                r#"{{"name":"On","id":"ON","enabled":true,"action":{{"Light":{{"Power":true}}}},"triggers":[{{"m":420,"d":127}}]}},"#,
                r#"{{"name":"Off","id":"OFF","enabled":true,"action":{{"Light":{{"Power":false}}}},"triggers":[{{"m":1380,"d":127}}]}},"#,
                r#"{{"name":"Timer","id":"T","enabled":true,"action":{{"Light":{{"Brightness":10}}}},"triggers":[{{"rsec":5400,"ts":1743289200}}]}},"#,
                r#"{{"name":"Sunrise","id":"SR","enabled":true,"action":{{"Light":{{"Brightness":40}}}},"triggers":[{{"sr":0,"lat":52.52000,"lon":13.40500,"d":127,"loc":"Berlin","ts":{sunrise}}}]}},"#,
                r#"{{"name":"Date","id":"DATE","enabled":true,"action":{{"Light":{{"Brightness":70}}}},"triggers":[{{"m":720,"dd":30,"mm":4,"yy":2025,"r":0}}]}}"#,
                r#"]}}}}"#
            ),
            sunrise = sunrise
        )
    );

    // Run the node to the end of the day (Berlin), waking it when it asks.
    let end = 1_743_372_000; // 2025-03-31 00:00 in Berlin (22:00 UTC)
    let mut lines = Vec::new();
    while let Some(due) = node.poll_timeout().filter(|due| *due < end) {
        let out = node.handle_timeout(due).expect("fires");
        lines.extend(transcript(due, &out));
    }
    let expected = [
        // 23:00 winter time on the 29th: the daily off.
        r#"1743285600 params/local {"Light":{"Power":false}}"#.to_owned(),
        "1743285600 fired OFF None".to_owned(),
        "1743285600 written from a schedule, 0 refused".to_owned(),
        // The timer, 90 minutes after it was written; then disabled and the
        // list reported.
        r#"1743289200 params/local {"Light":{"Brightness":10}}"#.to_owned(),
        format!(
            concat!(
                r#"1743289200 params/local {{"Schedule":{{"Schedules":["#,
                r#"{{"name":"On","id":"ON","enabled":true,"action":{{"Light":{{"Power":true}}}},"triggers":[{{"m":420,"d":127}}]}},"#,
                r#"{{"name":"Off","id":"OFF","enabled":true,"action":{{"Light":{{"Power":false}}}},"triggers":[{{"m":1380,"d":127}}]}},"#,
                r#"{{"name":"Timer","id":"T","enabled":false,"action":{{"Light":{{"Brightness":10}}}},"triggers":[{{"rsec":5400,"ts":0}}]}},"#,
                r#"{{"name":"Sunrise","id":"SR","enabled":true,"action":{{"Light":{{"Brightness":40}}}},"triggers":[{{"sr":0,"lat":52.52000,"lon":13.40500,"d":127,"loc":"Berlin","ts":{sunrise}}}]}},"#,
                r#"{{"name":"Date","id":"DATE","enabled":true,"action":{{"Light":{{"Brightness":70}}}},"triggers":[{{"m":720,"dd":30,"mm":4,"yy":2025,"r":0}}]}}"#,
                r#"]}}}}"#
            ),
            sunrise = sunrise
        ),
        "1743289200 fired T None".to_owned(),
        "1743289200 written from a schedule, 0 refused".to_owned(),
        // Sunrise, then 07:00 summer time (the clocks went forward at 02:00).
        format!(r#"{sunrise} params/local {{"Light":{{"Brightness":40}}}}"#),
        format!("{sunrise} fired SR None"),
        format!("{sunrise} written from a schedule, 0 refused"),
        r#"1743310800 params/local {"Light":{"Power":true}}"#.to_owned(),
        "1743310800 fired ON None".to_owned(),
        "1743310800 written from a schedule, 0 refused".to_owned(),
        // Noon on March 30, 2025: the date schedule fires. As in the SDK, its
        // expiry is checked in the second it fired, when the date is not yet
        // past: it stays enabled and is armed for the same day a month later
        // (checked below), and only then disabled.
        r#"1743328800 params/local {"Light":{"Brightness":70}}"#.to_owned(),
        "1743328800 fired DATE None".to_owned(),
        "1743328800 written from a schedule, 0 refused".to_owned(),
        // 23:00 summer time.
        r#"1743368400 params/local {"Light":{"Power":false}}"#.to_owned(),
        "1743368400 fired OFF None".to_owned(),
        "1743368400 written from a schedule, 0 refused".to_owned(),
    ];
    assert_eq!(lines, expected);
    let light = node.device::<Light>("Light").expect("the light");
    assert_eq!((light.power, light.brightness), (false, 70));
    let schedule = node.device::<Schedule>(Schedule::NAME).expect("schedule");
    assert_eq!(schedule.armed("DATE"), Some(1_746_007_200)); // 2025-04-30 12:00
    assert!(schedule.armed("SR").is_some_and(|next| next >= end));
    assert_eq!(schedule.armed("T"), None);
}

#[test]
fn schedules_wait_until_the_time_is_known() {
    let mut node = node();
    let _boot = node.handle(0, Input::Connected).expect("boots");
    let out = remote(
        &mut node,
        5,
        r#"{"Schedule":{"Schedules":[{"id":"T","operation":"add","name":"Timer","action":{"Light":{"Power":true}},"triggers":[{"rsec":60}]}]}}"#,
    );
    // Enabled, not armed: `ts` stays 0 and nothing is due.
    let reported = String::from_utf8_lossy(&out.publish[0].payload).into_owned();
    assert!(reported.contains(r#""enabled":true"#) && reported.contains(r#""ts":0"#));
    assert_eq!(node.poll_timeout(), None);
    // The first call with a known time arms it, counting from then.
    let out = node.handle_timeout(BOOT).expect("nothing due");
    assert!(out.publish.is_empty());
    assert_eq!(node.poll_timeout(), Some(BOOT + 60));
}

#[test]
fn missed_triggers_across_a_reboot_are_not_made_up() {
    // The node was off from 21:30 until 22:45 UTC: the one-shot timer it had
    // armed for 22:00 is disabled when the schedules are restored; the daily
    // schedule is not fired for the 23:00 it missed, it waits for the next.
    let restored: Vec<ScheduleEntry> = serde_json::from_value(json!([
        {"name":"Timer","id":"T","enabled":true,"action":{"Light":{"Power":true}},
         "triggers":[{"rsec":1800,"ts":1743285600}]},
        {"name":"Off","id":"OFF","enabled":true,"action":{"Light":{"Power":false}},
         "triggers":[{"m":1380,"d":127}]}
    ]))
    .expect("restored schedules");
    let mut node = Node::new(node_id(), led_light_info());
    node.add_device(Light::new(false, 25)).expect("the light");
    node.add_service(Time::new().with_time_zone("Europe/Berlin", BERLIN))
        .expect("time");
    node.add_service(Schedule::default().with_schedules(restored))
        .expect("schedule");
    let later = 1_743_288_300; // 2025-03-29 22:45 UTC
    let boot = node.handle(later, Input::Connected).expect("boots");
    let init = boot
        .publish
        .iter()
        .find(|publish| publish.topic.ends_with("/params/local/init"))
        .expect("params/local/init");
    let init = String::from_utf8_lossy(&init.payload);
    assert!(
        init.contains(r#"{"name":"Timer","id":"T","enabled":false,"action":{"Light":{"Power":true}},"triggers":[{"rsec":1800,"ts":0}]}"#),
        "{init}"
    );
    // 23:00 Berlin on the 30th (summer time), not the missed one.
    assert_eq!(node.poll_timeout(), Some(1_743_368_400));
}

#[test]
fn a_late_wake_up_fires_once_and_arms_the_next_time() {
    let mut node = node();
    let _boot = node.handle(BOOT, Input::Connected).expect("boots");
    let _ = remote(
        &mut node,
        BOOT,
        r#"{"Schedule":{"Schedules":[{"id":"OFF","operation":"add","name":"Off","action":{"Light":{"Power":false}},"triggers":[{"m":1380,"d":127}]}]}}"#,
    );
    // The clock jumped three days ahead: one firing, then the next 23:00.
    let late = 1_743_285_600 + 3 * 86_400 + 600;
    let out = node.handle_timeout(late).expect("fires");
    let fired = out
        .events
        .iter()
        .filter(|event| matches!(event, Event::ScheduleFired { .. }))
        .count();
    assert_eq!(fired, 1);
    assert_eq!(node.poll_timeout(), Some(1_743_285_600 + 4 * 86_400 - 3600));
}

#[test]
fn outside_its_validity_a_schedule_does_not_act() {
    let mut node = node();
    let _boot = node.handle(BOOT, Input::Connected).expect("boots");
    let write = json!({"Schedule":{"Schedules":[
        {"id":"EARLY","operation":"add","name":"Early","action":{"Light":{"Power":true}},
         "validity":{"start": BOOT + 86_400},"triggers":[{"m":1380,"d":127}]},
        {"id":"LATE","operation":"add","name":"Late","action":{"Light":{"Brightness":5}},
         "validity":{"end": BOOT + 60},"triggers":[{"m":1380,"d":127}]}
    ]}});
    let _ = remote(&mut node, BOOT, &write.to_string());
    let out = node.handle_timeout(1_743_285_600).expect("due");
    assert!(out.publish.is_empty(), "{:?}", out.publish);
    // Before its start it waits for its next trigger; after its end it is no
    // longer armed.
    let schedule = node.device::<Schedule>(Schedule::NAME).expect("schedule");
    assert_eq!(schedule.armed("EARLY"), Some(1_743_368_400));
    assert_eq!(schedule.armed("LATE"), None);
}

#[test]
fn scenes_are_applied_as_writes_and_activations_alone_are_not_reported() {
    let mut node = node();
    let _boot = node.handle(BOOT, Input::Connected).expect("boots");
    let add = r#"{"Scenes":{"Scenes":[{"id":"M","operation":"add","name":"Movie","action":{"Light":{"Brightness":5}}}]}}"#;
    let out = remote(&mut node, BOOT, add);
    assert_eq!(out.publish.len(), 1, "the list is reported after an add");
    let out = remote(
        &mut node,
        BOOT,
        r#"{"Scenes":{"Scenes":[{"id":"M","operation":"activate"}]}}"#,
    );
    let payloads: Vec<String> = out
        .publish
        .iter()
        .map(|publish| String::from_utf8_lossy(&publish.payload).into_owned())
        .collect();
    assert_eq!(payloads, [r#"{"Light":{"Brightness":5}}"#]);
    assert!(out.events.iter().any(|event| matches!(
        event,
        Event::ParamsWritten {
            source: WriteSource::SceneActivate,
            ..
        }
    )));
    assert_eq!(node.device::<Light>("Light").map(|l| l.brightness), Some(5));
}
