//! Every rule that turns a name from the spec into a Rust name.
//!
//! The rules, each with its own unit test below:
//!
//! 1. **Words.** A wire name is split into words at every character that is not an
//!    ASCII letter or digit (`esp.param.tz_posix`, `TZ-POSIX`, `in-progress`), at a
//!    lower-case letter or digit followed by an upper-case letter (`clientId`), and
//!    before the last capital of a run of capitals followed by a lower-case letter
//!    (`HTTPServer` is `HTTP` + `Server`). Digits stay with the word they follow
//!    (`k0`, `int32`). A letter or digit outside ASCII is a word of its own, `u` and
//!    its code point in hexadecimal (`café` -> `caf` + `ue9`, `温度` -> `u6e29` +
//!    `u5ea6`), so that no two names lose their difference.
//! 2. **Types and variants** are `UpperCamelCase`: every word is lower-cased and its
//!    first letter capitalised, so acronyms read as words (`TZ-POSIX` -> `TzPosix`,
//!    `CCT` -> `Cct`).
//! 3. **Fields, functions and modules** are `snake_case`: lower-cased words joined by
//!    `_` (`clientId` -> `client_id`, `esp.alert.str` -> `esp_alert_str`).
//! 4. **Digits.** Two words that meet digit to digit keep a `_` between them, so
//!    numbers stay apart (`1.2` -> `1_2`); a type or variant name that would start
//!    with a digit gets the prefix `V` (`2020-03-20` -> `V2020_03_20`, `1inch` ->
//!    `V1inch`); a snake-case name gets the prefix `n_` (`5ghz` -> `n_5ghz`).
//! 5. **Keywords.** A snake-case name that is a Rust keyword becomes a raw identifier
//!    (`type` -> `r#type`, `match` -> `r#match`); serde uses the name without `r#`, so
//!    no rename is needed. The four keywords that cannot be raw (`crate`, `self`,
//!    `super`, `Self`) get a trailing `_` instead. A camel-case name can only clash
//!    with `Self`, which becomes `Self_`.
//! 6. **Empty names.** The empty string is `Empty` (`empty`); any other name with
//!    no letters or digits at all (`-`, `.`) has no name: the caller gives one from
//!    its place (`Value`, `field`) and the docs of the item show the wire name.
//! 7. **Prefix stripping** (enum variants): `esp.param.tz_posix` in a set of
//!    `esp.param.*` values is named from what follows the values' common dotted
//!    prefix (`TzPosix`). In an open enum, a value that would be named `Other` (the
//!    name of the fallback variant) keeps the last word of the prefix
//!    (`esp.device.other` -> `DeviceOther`).
//!
//! 8. **No repeated words.** A name made of a parent name and a child name drops the
//!    words the child repeats from the end of the parent (`NodeConfig` +
//!    `config_version` -> `NodeConfigVersion`, `TsData` + `ts_data` -> `TsData`...
//!    is never shortened below the child's own words).
//!
//! The wire name is kept with `#[serde(rename = "...")]` wherever [`needs_rename`]
//! says the Rust name differs from it.

/// Keywords that are valid as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "super", "Self"];

/// Splits a wire name into words (rule 1).
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in name.split_inclusive(|c: char| !c.is_ascii_alphanumeric()) {
        let (chunk, separator) = match chunk.char_indices().last() {
            Some((at, c)) if !c.is_ascii_alphanumeric() => (&chunk[..at], Some(c)),
            _ => (chunk, None),
        };
        ascii_words(chunk, &mut words);
        if let Some(c) = separator.filter(|c| c.is_alphanumeric()) {
            words.push(format!("u{:x}", u32::from(c)));
        }
    }
    words
}

/// Splits a run of ASCII letters and digits into words (rule 1), onto `words`.
fn ascii_words(chunk: &str, words: &mut Vec<String>) {
    let chars: Vec<char> = chunk.chars().collect();
    let mut start = 0;
    for index in 1..chars.len() {
        let previous = chars[index - 1];
        let current = chars[index];
        let next_is_lower = chars.get(index + 1).is_some_and(char::is_ascii_lowercase);
        let lower_to_upper = (previous.is_ascii_lowercase() || previous.is_ascii_digit())
            && current.is_ascii_uppercase();
        let acronym_end =
            previous.is_ascii_uppercase() && current.is_ascii_uppercase() && next_is_lower;
        if lower_to_upper || acronym_end {
            words.push(chars[start..index].iter().collect());
            start = index;
        }
    }
    if start < chars.len() {
        words.push(chars[start..].iter().collect());
    }
}

/// An `UpperCamelCase` type or variant name for a wire name (rules 1, 2, 4, 5), or
/// `None` when the name has no letters or digits (rule 6).
pub fn camel(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("Empty".to_owned());
    }
    let mut out = String::new();
    for word in words(name) {
        let lower = word.to_ascii_lowercase();
        if out.ends_with(|c: char| c.is_ascii_digit())
            && lower.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    Some(out)
}

/// The `UpperCamelCase` name of `child` inside `parent` (rule 8): `parent` followed
/// by the words of `child` that do not repeat the end of `parent`.
pub fn nested(parent: &str, child: &str) -> Option<String> {
    let parent_words: Vec<String> = words(parent)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let child_words: Vec<String> = words(child)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let overlap = (1..=parent_words.len().min(child_words.len()))
        .rev()
        .find(|&k| parent_words[parent_words.len() - k..] == child_words[..k])
        .unwrap_or(0);
    let rest = child_words[overlap..].join("_");
    if rest.is_empty() {
        return camel(&format!("{parent}_{child}"));
    }
    camel(&format!("{}_{rest}", parent_words.join("_")))
}

/// A `snake_case` field or function name for a wire name (rules 1, 3, 4, 5), or `None`
/// when the name has no letters or digits (rule 6). Keywords come back as raw
/// identifiers (`r#type`).
pub fn snake(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("empty".to_owned());
    }
    let mut out = words(name)
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "n_");
    }
    if NON_RAW_KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    } else if RAW_KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    Some(out)
}

/// An `UPPER_SNAKE_CASE` constant name for a wire name, or `None` when the name has no
/// letters or digits.
pub fn screaming(name: &str) -> Option<String> {
    snake(name).map(|snake| snake.trim_start_matches("r#").to_ascii_uppercase())
}

/// Whether a field named `rust` (as returned by [`snake`] or [`camel`]) needs
/// `#[serde(rename = wire)]` to keep its wire name. Raw identifiers serialise
/// without their `r#`.
pub fn needs_rename(rust: &str, wire: &str) -> bool {
    rust.trim_start_matches("r#") != wire
}

/// The longest common prefix of `names` that ends just after a `.` (rule 7), such as
/// `esp.param.` for a set of param types; empty when there is none or only one name.
pub fn common_dotted_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names = names.into_iter();
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut prefix = first.len();
    let mut count = 1;
    for name in names {
        count += 1;
        prefix = first
            .bytes()
            .zip(name.bytes())
            .take(prefix)
            .take_while(|(a, b)| a == b)
            .count();
    }
    if count < 2 {
        return String::new();
    }
    match first[..prefix].rfind('.') {
        Some(dot) => first[..=dot].to_owned(),
        None => String::new(),
    }
}

/// The `UpperCamelCase` variant name of `wire` once `prefix` (from
/// [`common_dotted_prefix`]) is stripped (rule 7).
pub fn camel_without_prefix(wire: &str, prefix: &str) -> Option<String> {
    camel(wire.strip_prefix(prefix).unwrap_or(wire))
}

/// The variant name of `wire` in an enum whose values share `prefix` (from
/// [`common_dotted_prefix`]); `open` enums reserve `Other` (rule 7). `None` when no
/// name can be made.
pub fn enum_variant(wire: &str, prefix: &str, open: bool) -> Option<String> {
    let name = camel_without_prefix(wire, prefix)?;
    if !open || name != "Other" {
        return Some(name);
    }
    let kept = prefix
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or_default();
    camel(&format!("{kept}.other")).filter(|name| name != "Other")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `rule` names each of `cases` (the name, then the Rust name).
    fn check(rule: fn(&str) -> Option<String>, cases: &[(&str, &str)]) {
        for (name, expected) in cases {
            assert_eq!(rule(name).as_deref(), Some(*expected), "{name}");
        }
    }

    #[test]
    fn rule_1_words_split_at_separators_case_changes_and_acronyms() {
        assert_eq!(words("esp.param.tz_posix"), ["esp", "param", "tz", "posix"]);
        assert_eq!(words("TZ-POSIX"), ["TZ", "POSIX"]);
        assert_eq!(words("clientId"), ["client", "Id"]);
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("k0"), ["k0"]);
        assert_eq!(words("int32Value"), ["int32", "Value"]);
        assert_eq!(words("café"), ["caf", "ue9"]);
        assert_eq!(words("温度"), ["u6e29", "u5ea6"]);
        assert_eq!(words("a—b"), ["a", "b"]);
    }

    #[test]
    fn rule_2_camel_case_for_types_and_variants() {
        check(
            camel,
            &[
                ("in-progress", "InProgress"),
                ("TZ-POSIX", "TzPosix"),
                ("CCT", "Cct"),
                ("MQTT_KEEP_ALIVE_TIMEOUT", "MqttKeepAliveTimeout"),
                ("nodeConfig", "NodeConfig"),
                ("NodeConfig", "NodeConfig"),
                ("esp.param.power", "EspParamPower"),
            ],
        );
    }

    #[test]
    fn rule_3_snake_case_for_fields() {
        check(
            snake,
            &[
                ("clientId", "client_id"),
                ("esp.alert.str", "esp_alert_str"),
                ("TZ-POSIX", "tz_posix"),
                ("fw_version", "fw_version"),
                ("secure_boot_digest", "secure_boot_digest"),
            ],
        );
    }

    #[test]
    fn rule_4_leading_digits_get_a_prefix() {
        check(
            camel,
            &[
                ("2020-03-20", "V2020_03_20"),
                ("1inchusd", "V1inchusd"),
                ("v1.2", "V1_2"),
            ],
        );
        check(snake, &[("5ghz", "n_5ghz")]);
    }

    #[test]
    fn rule_5_keywords_become_raw_or_get_an_underscore() {
        check(
            snake,
            &[
                ("type", "r#type"),
                ("match", "r#match"),
                ("self", "self_"),
                ("crate", "crate_"),
            ],
        );
        check(camel, &[("self", "Self_")]);
        assert!(!needs_rename("r#type", "type"));
        assert!(needs_rename("client_id", "clientId"));
        assert_eq!(screaming("type").as_deref(), Some("TYPE"));
    }

    #[test]
    fn rule_6_empty_names_and_names_without_letters_or_digits() {
        assert_eq!(camel("-"), None);
        assert_eq!(snake("-"), None);
        assert_eq!(screaming("."), None);
        assert_eq!(camel("").as_deref(), Some("Empty"));
        assert_eq!(snake("").as_deref(), Some("empty"));
        check(camel, &[("温度", "U6e29U5ea6"), ("café", "CafUe9")]);
        check(snake, &[("温度", "u6e29_u5ea6")]);
    }

    #[test]
    fn rule_8_nested_names_do_not_repeat_words() {
        assert_eq!(
            nested("NodeConfig", "config_version").as_deref(),
            Some("NodeConfigVersion")
        );
        assert_eq!(
            nested("TsData", "ts_data_version").as_deref(),
            Some("TsDataVersion")
        );
        assert_eq!(
            nested("NodeConfig", "info").as_deref(),
            Some("NodeConfigInfo")
        );
        assert_eq!(nested("Info", "info").as_deref(), Some("InfoInfo"));
    }

    #[test]
    fn rule_7_common_dotted_prefix_is_stripped() {
        let names = ["esp.param.power", "esp.param.tz_posix", "esp.param.pop"];
        let prefix = common_dotted_prefix(names);
        assert_eq!(prefix, "esp.param.");
        assert_eq!(
            camel_without_prefix("esp.param.tz_posix", &prefix).as_deref(),
            Some("TzPosix")
        );
        assert_eq!(common_dotted_prefix(["esp.ui.toggle"]), "");
        assert_eq!(common_dotted_prefix(["a.b", "c.d"]), "");
        assert_eq!(
            enum_variant("esp.device.other", "esp.device.", true).as_deref(),
            Some("DeviceOther")
        );
        assert_eq!(
            enum_variant("esp.device.other", "esp.device.", false).as_deref(),
            Some("Other")
        );
        assert_eq!(enum_variant("other", "", true), None);
    }
}
