//! Comparisons of payloads.

use serde_json::Value;

/// Asserts that `encoded` carries the same payload as `original`: the same JSON value
/// (numbers compared by value, so `3` and `3.0` agree) when both are JSON, else the
/// same bytes.
pub fn same_payload(original: &[u8], encoded: &[u8], name: &str) {
    match (
        serde_json::from_slice::<Value>(original),
        serde_json::from_slice::<Value>(encoded),
    ) {
        (Ok(original), Ok(encoded)) => assert!(
            same_json(&original, &encoded),
            "{name}: re-encoded JSON differs:\n  {original}\n  {encoded}"
        ),
        _ => assert_eq!(original, encoded, "{name}: re-encoded bytes differ"),
    }
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => a == b,
    }
}
