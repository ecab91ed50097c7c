//! Writes on `params/remote` (and the group topic), valid and invalid, chosen
//! from the config alone, and what the node must report for each.

use std::time::Duration;

use rainmaker_types::messages::DataType;
use serde_json::{Value, json};

use super::model::Param;
use super::observer::Observer;
use super::rules::{self, Rule};

/// A device name and a param name no node declares.
pub const UNKNOWN: &str = "check-node-unknown";

/// Publishes a params document on `params/remote` (or the group topic, given a
/// group id).
pub async fn publish(observer: &mut Observer, group: Option<&str>, document: &Value) {
    let suffix = match group {
        Some(group) => format!("params/remote/{group}"),
        None => "params/remote".to_owned(),
    };
    publish_raw(
        observer,
        &observer.topic(&suffix),
        document.to_string().into_bytes(),
    )
    .await;
}

/// Publishes any payload on one of the node's cloud-to-node topics; a failure
/// is printed (the node then shows no answer, which the step reports).
pub async fn publish_raw(observer: &mut Observer, topic: &str, payload: Vec<u8>) {
    let sent = match rainmaker_types::Topic::parse(topic) {
        Ok(parsed) => observer
            .consumer()
            .publish(&parsed, payload)
            .await
            .map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    };
    if let Err(error) = sent {
        observer
            .findings
            .note(format!("cannot publish on {topic}: {error}"));
    }
}

/// `{device: {param: value}}`.
pub fn document(device: &str, param: &str, value: Value) -> Value {
    json!({ device: { param: value } })
}

/// Whether two values are the same param value (floats within the SDK's five
/// decimals).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-4,
            _ => x == y,
        },
        _ => a == b,
    }
}

/// A value a valid write may set: of the param's type, within its bounds and on
/// its step, and other than `current` where there is a choice. Objects and
/// arrays get their current value back (a value of their shape). `None` when
/// nothing fits.
pub fn valid_value(param: &Param, current: Option<&Value>) -> Option<Value> {
    match param.data_type {
        DataType::Bool => Some(Value::Bool(
            !current.and_then(Value::as_bool).unwrap_or(false),
        )),
        DataType::Int | DataType::Float => {
            let integer = param.data_type == DataType::Int;
            let now = current.and_then(Value::as_f64).unwrap_or(0.0);
            let step = param.step.unwrap_or(if integer { 1.0 } else { 0.5 });
            let fits = |value: f64| {
                param.min.is_none_or(|min| value >= min) && param.max.is_none_or(|max| value <= max)
            };
            let base = match param.min {
                // On the step from the minimum.
                Some(min) => min + ((now - min) / step).round() * step,
                None => now.round(),
            };
            let value = [base + step, base - step, base, param.min.unwrap_or(base)]
                .into_iter()
                .find(|value| fits(*value) && (*value - now).abs() > 1e-9)
                .or_else(|| fits(base).then_some(base))?;
            Some(if integer {
                json!(value.round() as i64)
            } else {
                json!(value)
            })
        }
        DataType::String => {
            let now = current.and_then(Value::as_str).unwrap_or_default();
            match &param.valid_strs {
                Some(valid) => valid
                    .iter()
                    .find(|valid| *valid != now)
                    .or(valid.first())
                    .map(|valid| json!(valid)),
                None => Some(json!(if now == "check-node" {
                    "check-node-2"
                } else {
                    "check-node"
                })),
            }
        }
        DataType::Object | DataType::Array => current.cloned(),
        _ => None,
    }
}

/// A value of another JSON kind than the param's (one the SDK's parser skips:
/// a bool param also takes 0 and 1, so it gets a string).
fn wrong_kind(param: &Param) -> Value {
    match param.data_type {
        DataType::Bool => json!("true"),
        DataType::Int | DataType::Float => json!("5"),
        _ => json!(5),
    }
}

/// A value of the param's type outside its bounds or off its step, if its
/// config gives any.
fn out_of_range(param: &Param) -> Vec<(&'static str, Value)> {
    let mut values = Vec::new();
    let integer = param.data_type == DataType::Int;
    let number = |value: f64| {
        if integer {
            json!(value.round() as i64)
        } else {
            json!(value)
        }
    };
    match param.data_type {
        DataType::Int | DataType::Float => {
            let step = param.step.unwrap_or(1.0);
            if let Some(max) = param.max {
                values.push(("above its maximum", number(max + step)));
            }
            if let (Some(min), Some(step)) = (param.min, param.step) {
                let off = if integer { 1.0 } else { step / 2.0 };
                let value = min + off;
                if off < step && param.max.is_none_or(|max| value < max) {
                    values.push(("off its step", number(value)));
                }
            }
        }
        DataType::String if param.valid_strs.is_some() => {
            values.push(("not among its valid_strs", json!("check-node-invalid")));
        }
        _ => {}
    }
    values
}

/// A value of the right type for a read-only param, other than its current one.
fn other_value(param: &Param, current: Option<&Value>) -> Option<Value> {
    Some(match param.data_type {
        DataType::Bool => json!(!current.and_then(Value::as_bool).unwrap_or(false)),
        DataType::Int => json!(current.and_then(Value::as_i64).unwrap_or(0).wrapping_add(7)),
        DataType::Float => json!(current.and_then(Value::as_f64).unwrap_or(0.0) + 11.25),
        DataType::String => json!("check-node"),
        _ => return None,
    })
}

/// The valid writes: one per readable, writable device param, each reported
/// with its value.
pub async fn valid(observer: &mut Observer, answer: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let group = observer.group.clone();
    for param in model.read_write_device_params() {
        if let Some(value) = next_value(observer, param) {
            expect_report(observer, param, value, None, answer).await;
        }
        // The same write on the group topic.
        if let Some(group) = &group
            && let Some(value) = next_value(observer, param)
        {
            expect_report(observer, param, value, Some(group), answer).await;
        }
    }
}

/// A valid value for `param` other than the one it last reported.
pub fn next_value(observer: &Observer, param: &Param) -> Option<Value> {
    valid_value(param, observer.reported(&param.device, &param.name))
}

/// Writes `value` and waits for its report: `writes.reported`, `writes.value`
/// (`writes.group` on the group topic).
async fn expect_report(
    observer: &mut Observer,
    param: &Param,
    value: Value,
    group: Option<&str>,
    answer: Duration,
) {
    let rule_reported: &'static Rule = if group.is_some() {
        &rules::GROUP
    } else {
        &rules::REPORTED
    };
    observer.findings.checked(rule_reported);
    observer.findings.checked(&rules::VALUE);
    let mark = observer.seen.len();
    publish(
        observer,
        group,
        &document(&param.device, &param.name, value.clone()),
    )
    .await;
    let found = observer
        .wait_for(mark, answer, |seen| {
            seen.is_report() && seen.reported(&param.device, &param.name).is_some()
        })
        .await;
    let report_topic = match &observer.group {
        Some(group) => observer.topic(&format!("params/local/{group}")),
        None => observer.topic("params/local"),
    };
    let expected = format!(
        "a report of {} = {value} within {} s",
        param.path(),
        answer.as_secs_f64()
    );
    let Some(index) = found else {
        observer
            .findings
            .deviate(rule_reported, report_topic, expected, "nothing");
        return;
    };
    let seen = &observer.seen[index];
    let reported = seen
        .reported(&param.device, &param.name)
        .cloned()
        .unwrap_or(Value::Null);
    if !same(&reported, &value) {
        let topic = seen.topic.clone();
        observer.findings.deviate(
            &rules::VALUE,
            topic,
            format!("{} = {value}", param.path()),
            reported.to_string(),
        );
    }
}

/// One write the node must not report with its value.
struct Refused {
    /// What is wrong with it.
    why: String,
    /// The rule it falls under.
    rule: &'static Rule,
    /// The device and param written.
    device: String,
    param: String,
    /// The value written.
    value: Value,
}

impl Refused {
    /// A write of `value` to `param` that `rule` says must not be reported.
    fn to(param: &Param, rule: &'static Rule, why: String, value: Value) -> Self {
        Refused {
            why,
            rule,
            device: param.device.clone(),
            param: param.name.clone(),
            value,
        }
    }
}

/// The invalid writes, all sent, then one quiet window: none may be reported
/// with its value (`writes.ignored`, `writes.out-of-range`).
pub async fn invalid(observer: &mut Observer, quiet: Duration) {
    let Some(model) = observer.model.clone() else {
        return;
    };
    let mut writes = Vec::new();
    let devices = model.params.iter().filter(|param| param.service.is_none());
    let mut per_device: Vec<&str> = Vec::new();
    for param in devices {
        let current = observer.reported(&param.device, &param.name);
        if param.writable {
            if !per_device.contains(&param.device.as_str()) {
                per_device.push(&param.device);
                writes.push(Refused {
                    why: format!("{} is not a param of {}", UNKNOWN, param.device),
                    rule: &rules::IGNORED,
                    device: param.device.clone(),
                    param: UNKNOWN.to_owned(),
                    value: json!(1),
                });
            }
            let why = format!("a value of the wrong JSON kind for {}", param.path());
            writes.push(Refused::to(param, &rules::IGNORED, why, wrong_kind(param)));
            for (why, value) in out_of_range(param) {
                let why = format!("a value {why} ({})", param.bounds_text());
                writes.push(Refused::to(param, &rules::OUT_OF_RANGE, why, value));
            }
        } else if param.readable
            && let Some(value) = other_value(param, current)
        {
            let why = format!("{} is read-only", param.path());
            writes.push(Refused::to(param, &rules::IGNORED, why, value));
        }
    }
    let power = json!(true);
    writes.push(Refused {
        why: format!("{UNKNOWN} is not a device of the node"),
        rule: &rules::IGNORED,
        device: UNKNOWN.to_owned(),
        param: "Power".to_owned(),
        value: power,
    });
    if writes.is_empty() {
        return;
    }
    let mark = observer.seen.len();
    for write in &writes {
        observer.findings.checked(write.rule);
        publish(
            observer,
            None,
            &document(&write.device, &write.param, write.value.clone()),
        )
        .await;
    }
    observer.listen(quiet).await;
    let reports: Vec<(String, Value)> = observer.seen[mark..]
        .iter()
        .filter(|seen| seen.is_report())
        .filter_map(|seen| Some((seen.topic.clone(), seen.params()?.clone())))
        .collect();
    for write in &writes {
        for (topic, params) in &reports {
            let reported = params
                .get(&write.device)
                .and_then(|device| device.get(&write.param));
            if reported.is_some_and(|reported| same(reported, &write.value)) {
                observer.findings.deviate(
                    write.rule,
                    topic.clone(),
                    format!(
                        "no report of {}.{} = {} ({})",
                        write.device, write.param, write.value, write.why
                    ),
                    format!("{}.{} = {}", write.device, write.param, write.value),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(data_type: DataType, min: Option<f64>, max: Option<f64>, step: Option<f64>) -> Param {
        Param {
            device: "D".into(),
            name: "P".into(),
            data_type,
            readable: true,
            writable: true,
            service: None,
            min,
            max,
            step,
            valid_strs: None,
        }
    }

    #[test]
    fn valid_values_stay_in_bounds_on_the_step_and_change_the_value() {
        let cct = param(DataType::Int, Some(2700.0), Some(6500.0), Some(100.0));
        assert_eq!(valid_value(&cct, Some(&json!(6500))), Some(json!(6400)));
        assert_eq!(valid_value(&cct, Some(&json!(2700))), Some(json!(2800)));
        let level = param(DataType::Float, Some(0.0), Some(1.0), None);
        assert_eq!(valid_value(&level, Some(&json!(1.0))), Some(json!(0.5)));
        let fixed = param(DataType::Int, Some(3.0), Some(3.0), None);
        assert_eq!(valid_value(&fixed, Some(&json!(3))), Some(json!(3)));
        let power = param(DataType::Bool, None, None, None);
        assert_eq!(valid_value(&power, Some(&json!(true))), Some(json!(false)));
        for value in [json!(6400), json!(2800)] {
            assert_eq!(cct.range_error(&value), None);
        }
    }

    #[test]
    fn out_of_range_values_are_outside_the_bounds_or_off_the_step() {
        let cct = param(DataType::Int, Some(2700.0), Some(6500.0), Some(100.0));
        let values = out_of_range(&cct);
        assert_eq!(
            values,
            [
                ("above its maximum", json!(6600)),
                ("off its step", json!(2701))
            ]
        );
        for (_, value) in values {
            assert!(cct.range_error(&value).is_some(), "{value}");
        }
    }

    #[test]
    fn floats_compare_at_five_decimals() {
        assert!(same(&json!(25.5), &json!(25.50000)));
        assert!(same(&json!(25), &json!(25.0)));
        assert!(!same(&json!(25.5), &json!(25.6)));
        assert!(!same(&json!("25"), &json!(25)));
    }
}
