//! Where a value sits in JSON text that is known to be valid: a scan of the bytes,
//! for measuring what a sender wrote without re-serializing it.

/// The length in bytes of the value of the top-level member `key` of the object
/// `json`, as written; `None` when `json` is not an object or has no such member
/// (a key written with escapes is not recognised).
pub(crate) fn member_len(json: &[u8], key: &str) -> Option<usize> {
    let mut at = skip_space(json, 0);
    if json.get(at) != Some(&b'{') {
        return None;
    }
    at += 1;
    loop {
        at = skip_space(json, at);
        if json.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(json, at)?;
        let name = json.get(at + 1..key_end - 1)?;
        at = skip_space(json, key_end);
        if json.get(at) != Some(&b':') {
            return None;
        }
        let start = skip_space(json, at + 1);
        let end = skip_value(json, start)?;
        if name == key.as_bytes() {
            return Some(end - start);
        }
        at = skip_space(json, end);
        match json.get(at) {
            Some(b',') => at += 1,
            _ => return None,
        }
    }
}

fn skip_space(json: &[u8], mut at: usize) -> usize {
    while json
        .get(at)
        .is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// The index just past the string starting at `at` (its opening quote).
fn skip_string(json: &[u8], at: usize) -> Option<usize> {
    let mut index = at + 1;
    loop {
        match json.get(index)? {
            b'"' => return Some(index + 1),
            b'\\' => index += 2,
            _ => index += 1,
        }
    }
}

/// The index just past the value starting at `at`.
fn skip_value(json: &[u8], at: usize) -> Option<usize> {
    match json.get(at)? {
        b'"' => skip_string(json, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut index = at;
            loop {
                match json.get(index)? {
                    b'"' => {
                        index = skip_string(json, index)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(index + 1);
                        }
                    }
                    _ => {}
                }
                index += 1;
            }
        }
        _ => {
            let mut index = at;
            while json.get(index).is_some_and(|byte| {
                !matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            }) {
                index += 1;
            }
            (index > at).then_some(index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_measured_as_written() {
        let json = br#" { "a" : "x\"}" , "params" : {"L":{"P":[1, {"q":"]"}]}} , "z":1}"#;
        assert_eq!(
            member_len(json, "params"),
            Some(r#"{"L":{"P":[1, {"q":"]"}]}}"#.len())
        );
        assert_eq!(member_len(json, "a"), Some(r#""x\"}""#.len()));
        assert_eq!(member_len(json, "z"), Some(1));
        assert_eq!(member_len(json, "missing"), None);
        assert_eq!(member_len(b"[1]", "a"), None);
        assert_eq!(member_len(br#"{"a":"#, "a"), None);
    }
}
