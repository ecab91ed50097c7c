//! The schedule engine against the SDK's own schedule code: every case of
//! `tests/data/schedule/esp_schedule-1.3.3.txt` (next trigger times that
//! esp_schedule 1.3.3 computed) must come out the same, to the second.

use rainmaker_types::clock::PosixTz;
use rainmaker_types::schedule::Trigger;
use serde_json::{Map, Value, json};

const VECTORS: &str = include_str!("data/schedule/esp_schedule-1.3.3.txt");

/// One case: the trigger as an app would send it, the zone, the time, and what the
/// C code computed.
struct Case<'a> {
    line: usize,
    text: &'a str,
    tz: PosixTz,
    now: i64,
    trigger: Value,
    ts: i64,
    next: i64,
    delay: i64,
    finished: bool,
}

fn parse(line: usize, text: &str) -> Case<'_> {
    let (input, output) = text.split_once(" => ").expect("input => output");
    let fields: Vec<&str> = input.split('|').collect();
    assert_eq!(fields.len(), 14, "line {line}: {text}");
    let int = |index: usize| -> i64 { fields[index].parse().expect("an integer") };
    let float = |index: usize| -> f64 { fields[index].parse().expect("a number") };
    let mut trigger = Map::new();
    let mut set = |key: &str, value: Value| {
        trigger.insert(key.to_owned(), value);
    };
    match fields[2] {
        "days" => {
            set("m", int(3).into());
            set("d", int(4).into());
        }
        "date" => {
            set("m", int(3).into());
            set("dd", int(5).into());
            set("mm", int(6).into());
            set("yy", int(7).into());
            set("r", (int(8) != 0).into());
        }
        "rel" => set("rsec", int(9).into()),
        kind @ ("sr" | "ss") => {
            set(kind, int(11).into());
            set("lat", json!(float(12)));
            set("lon", json!(float(13)));
            for (key, index) in [("d", 4), ("dd", 5), ("mm", 6)] {
                if int(index) != 0 {
                    set(key, int(index).into());
                }
            }
        }
        other => panic!("line {line}: unknown kind {other}"),
    }
    let outputs: Vec<&str> = output.split('|').collect();
    Case {
        line,
        text,
        tz: PosixTz::parse(fields[0]).expect("the zone parses"),
        now: int(1),
        trigger: Value::Object(trigger),
        ts: int(10),
        next: outputs[0].parse().expect("next"),
        delay: outputs[1].parse().expect("delay"),
        finished: outputs[2] == "1",
    }
}

#[test]
fn every_case_matches_the_sdk_to_the_second() {
    let mut compared = 0;
    let mut differences = Vec::new();
    for (index, text) in VECTORS.lines().enumerate() {
        if text.starts_with('#') || text.is_empty() {
            continue;
        }
        let case = parse(index + 1, text);
        let trigger = Trigger::from_json(&case.trigger);
        let ours = trigger.next_after_armed(case.now, &case.tz, case.ts);
        let expected = (case.delay != 0).then_some(case.next);
        compared += 1;
        if ours != expected {
            differences.push(format!(
                "line {}: {}\n  ours {ours:?}, the SDK's {expected:?}",
                case.line, case.text
            ));
            continue;
        }
        if let Some(next) = ours {
            let finished = trigger.is_finished(next, &case.tz, next);
            if finished != case.finished {
                differences.push(format!(
                    "line {}: {}\n  finished after firing: ours {finished}, the SDK's {}",
                    case.line, case.text, case.finished
                ));
            }
        }
    }
    assert!(compared >= 10_000, "only {compared} cases");
    assert!(
        differences.is_empty(),
        "{} of {compared} cases differ:\n{}",
        differences.len(),
        differences
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
