//! Channel addresses and their parameters: segments, and the checked string types
//! of parameters (from `enum`, a `schema`, or RainMaker's `x-rainmaker-pattern`,
//! `x-rainmaker-max-length` and `x-rainmaker-reserved-values`).

use serde_json::Value;

use super::Reader;
use super::names::Names;
use crate::model::{Literal, ParamRules, ParamType, ParamTypeRef, Parameter, Segment, Variant};
use crate::naming;
use crate::source::Location;

/// Names the topics module uses for its own items.
pub(crate) const RESERVED_PARAM_NAMES: &[&str] = &[
    "Channel",
    "Topic",
    "TopicRef",
    "Direction",
    "TopicForm",
    "Qos",
];

impl Reader<'_> {
    /// Splits a channel address into segments and reads its parameters.
    pub(super) fn address(
        &mut self,
        channel: &Value,
        at: &Location,
        address: &str,
    ) -> Option<(Vec<Segment>, Vec<Parameter>)> {
        let address_at = at.join("address");
        let texts: Vec<&str> = address.split('/').collect();
        let mut segments = Vec::new();
        let mut params: Vec<Parameter> = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            let last = index + 1 == texts.len();
            match *text {
                "+" => {
                    let name = format!("segment_{index}");
                    segments.push(Segment::Param {
                        prefix: String::new(),
                        param: params.len(),
                        suffix: String::new(),
                    });
                    params.push(Parameter {
                        field: name.clone(),
                        name,
                        ty: ParamTypeRef::AnySegment,
                        description: Some(format!(
                            "The segment the `+` wildcard at position {index} of the address \
                             stands for."
                        )),
                        example: Some("x".to_owned()),
                        external_rules: None,
                    });
                    continue;
                }
                "#" if last => {
                    segments.push(Segment::Rest(params.len()));
                    params.push(Parameter {
                        field: "rest".to_owned(),
                        name: "rest".to_owned(),
                        ty: ParamTypeRef::AnyLevels,
                        description: Some(
                            "The levels the `#` wildcard at the end of the address stands for \
                             (empty when the topic ends before it)."
                                .to_owned(),
                        ),
                        example: Some("x/y".to_owned()),
                        external_rules: None,
                    });
                    continue;
                }
                _ => {}
            }
            let parsed = match split_parameter(text) {
                Ok(parsed) => parsed,
                Err(message) => {
                    self.problems.error(&address_at, message);
                    return None;
                }
            };
            let Some((prefix, name, suffix)) = parsed else {
                if text.contains(['+', '#']) {
                    self.problems.warning(
                        &address_at,
                        format!(
                            "segment `{text}` holds an MQTT wildcard inside text; read as text"
                        ),
                    );
                }
                segments.push(Segment::Literal((*text).to_owned()));
                continue;
            };
            if params.iter().any(|known| known.name == name) {
                self.problems.error(
                    &address_at,
                    format!("parameter `{name}` appears twice in the address"),
                );
                return None;
            }
            let param = self.parameter(channel, at, name);
            segments.push(Segment::Param {
                prefix: prefix.to_owned(),
                param: params.len(),
                suffix: suffix.to_owned(),
            });
            params.push(param);
        }
        self.unused_parameters(channel, at, &params);
        Some((segments, params))
    }

    /// Reads the parameter `name` of the channel at `at`.
    fn parameter(&mut self, channel: &Value, at: &Location, name: &str) -> Parameter {
        let declared_at = at.join("parameters").join(name);
        let declared = channel
            .get("parameters")
            .and_then(|parameters| parameters.get(name));
        let field = naming::snake(name).unwrap_or_else(|| "param".to_owned());
        let Some(declared) = declared else {
            let message = format!("parameter `{name}` is used in the address but not declared");
            if self.rainmaker {
                self.problems.error(&at.join("parameters"), message);
            } else {
                self.problems.warning(
                    &at.join("parameters"),
                    format!("{message}; any non-empty segment is accepted"),
                );
            }
            let ty = self.param_type(name, &declared_at, None, default_rules());
            return Parameter {
                name: name.to_owned(),
                field,
                ty,
                description: None,
                example: Some("x".to_owned()),
                external_rules: None,
            };
        };
        let Some((param, param_at)) = self.follow(declared, &declared_at) else {
            return Parameter {
                name: name.to_owned(),
                field,
                ty: ParamTypeRef::AnySegment,
                description: None,
                example: None,
                external_rules: None,
            };
        };
        let description = super::description(param);
        let example = example_value(param);
        if let Some(rust) = param.get("x-rust-type").and_then(Value::as_str) {
            let rules = self.rules(param, &param_at);
            return Parameter {
                name: name.to_owned(),
                field,
                ty: ParamTypeRef::External(rust.to_owned()),
                description,
                example,
                external_rules: Some(rules),
            };
        }
        let rules = self.rules(param, &param_at);
        let ty = self.param_type(name, &param_at, description.clone(), rules);
        Parameter {
            name: name.to_owned(),
            field,
            ty,
            description,
            example,
            external_rules: None,
        }
    }

    /// The rules of a parameter, from its `enum`, its 2.x-style `schema`, or the
    /// RainMaker extensions.
    fn rules(&mut self, param: &Value, at: &Location) -> ParamRules {
        let schema = param.get("schema").unwrap_or(&Value::Null);
        let pick = |key: &str, extension: &str| {
            param
                .get(key)
                .or_else(|| schema.get(key))
                .or_else(|| param.get(extension))
                .cloned()
        };
        if let Some(Value::Array(values)) = pick("enum", "x-rainmaker-enum") {
            let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            let prefix = naming::common_dotted_prefix(names.iter().copied());
            let mut taken = super::names::Names::default();
            let variants = names
                .iter()
                .map(|wire| {
                    let preferred = if wire.is_empty() {
                        "Empty".to_owned()
                    } else {
                        naming::enum_variant(wire, &prefix, false)
                            .unwrap_or_else(|| "Value".to_owned())
                    };
                    Variant {
                        wire: Literal::String((*wire).to_owned()),
                        rust: taken.claim(&preferred, at).name,
                    }
                })
                .collect::<Vec<_>>();
            if variants.is_empty() {
                self.problems
                    .error(&at.join("enum"), "a parameter enum needs string values");
            }
            return ParamRules::OneOf(variants);
        }
        let max_bytes = pick("maxLength", "x-rainmaker-max-length")
            .and_then(|value| value.as_u64())
            .and_then(|max| usize::try_from(max).ok());
        let min_chars = pick("minLength", "x-rainmaker-min-length")
            .and_then(|value| value.as_u64())
            .and_then(|min| usize::try_from(min).ok())
            .unwrap_or(1);
        let pattern = match pick("pattern", "x-rainmaker-pattern") {
            Some(Value::String(source)) => match crate::pattern::compile(&source) {
                Ok(compiled) => Some(compiled),
                Err(reason) => {
                    self.problems
                        .warning(at, format!("pattern `{source}` is not enforced: {reason}"));
                    None
                }
            },
            _ => None,
        };
        let reserved = param
            .get("x-rainmaker-reserved-values")
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        ParamRules::Text {
            min_chars,
            max_bytes,
            pattern,
            reserved,
        }
    }

    /// The generated type for a parameter with `rules`, shared by every parameter of
    /// the same name and rules.
    fn param_type(
        &mut self,
        name: &str,
        at: &Location,
        description: Option<String>,
        rules: ParamRules,
    ) -> ParamTypeRef {
        if let Some(index) = self
            .model
            .params
            .iter()
            .position(|known| known.wire == name && known.rules == rules)
        {
            return ParamTypeRef::Generated(index);
        }
        let preferred = naming::camel(name).unwrap_or_else(|| "Param".to_owned());
        let preferred = if RESERVED_PARAM_NAMES.contains(&preferred.as_str()) {
            format!("{preferred}Param")
        } else {
            preferred
        };
        let known = self.model.params.iter().map(|p| (p.name.as_str(), &p.at));
        let mut names = Names::with_known(RESERVED_PARAM_NAMES, known);
        let type_name = names.claim_or_warn(&preferred, at, &mut self.problems);
        self.model.params.push(ParamType {
            at: at.clone(),
            wire: name.to_owned(),
            name: type_name,
            description,
            rules,
        });
        ParamTypeRef::Generated(self.model.params.len() - 1)
    }

    fn unused_parameters(&mut self, channel: &Value, at: &Location, used: &[Parameter]) {
        let Some(declared) = channel.get("parameters").and_then(Value::as_object) else {
            return;
        };
        for name in declared.keys() {
            if !used.iter().any(|param| &param.name == name) {
                let message = format!("parameter `{name}` is declared but not used in the address");
                let place = at.join("parameters").join(name);
                self.error_if_rainmaker(&place, message);
            }
        }
    }
}

fn default_rules() -> ParamRules {
    ParamRules::Text {
        min_chars: 1,
        max_bytes: None,
        pattern: None,
        reserved: Vec::new(),
    }
}

/// A value for a parameter in examples: its first example, else its default, else
/// its first enum value.
fn example_value(param: &Value) -> Option<String> {
    let schema = param.get("schema");
    let first = |value: Option<&Value>| -> Option<String> {
        match value? {
            Value::Array(items) => items
                .iter()
                .find_map(|item| item.as_str().map(str::to_owned)),
            Value::String(text) => Some(text.clone()),
            _ => None,
        }
    };
    first(param.get("examples"))
        .or_else(|| first(param.get("default")))
        .or_else(|| first(param.get("enum")))
        .or_else(|| first(schema.and_then(|schema| schema.get("examples"))))
        .or_else(|| first(schema.and_then(|schema| schema.get("enum"))))
        .or_else(|| first(schema.and_then(|schema| schema.get("default"))))
}

/// Splits a segment into the text before its parameter, the parameter name and the
/// text after it; `None` for a literal segment.
///
/// # Errors
///
/// A message for a malformed segment or one with two parameters.
pub(crate) fn split_parameter(segment: &str) -> Result<Option<(&str, &str, &str)>, String> {
    let Some(open) = segment.find('{') else {
        if segment.contains('}') {
            return Err(format!("unopened `}}` in segment `{segment}`"));
        }
        return Ok(None);
    };
    let prefix = &segment[..open];
    let after = &segment[open + 1..];
    let close = after
        .find('}')
        .ok_or_else(|| format!("unclosed `{{` in segment `{segment}`"))?;
    let name = &after[..close];
    let suffix = &after[close + 1..];
    if name.is_empty() || name.contains('{') {
        return Err(format!("malformed parameter in segment `{segment}`"));
    }
    if prefix.contains('}') || suffix.contains(['{', '}']) {
        return Err(format!(
            "segment `{segment}` holds two parameters, which topics cannot be split by"
        ));
    }
    Ok(Some((prefix, name, suffix)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_around_their_parameter() {
        assert_eq!(split_parameter("node"), Ok(None));
        assert_eq!(split_parameter("{node_id}"), Ok(Some(("", "node_id", ""))));
        assert_eq!(
            split_parameter("params-{group}.v1"),
            Ok(Some(("params-", "group", ".v1")))
        );
        assert!(split_parameter("{a}-{b}").is_err());
        assert!(split_parameter("{a").is_err());
        assert!(split_parameter("a}").is_err());
        assert!(split_parameter("{}").is_err());
    }

    #[test]
    fn examples_come_from_examples_default_or_enum() {
        let param = serde_json::json!({"enum": ["btcusd", "ethusd"], "default": "ethusd"});
        assert_eq!(example_value(&param).as_deref(), Some("ethusd"));
        let param = serde_json::json!({"examples": ["7C9EBD4A1B2C"]});
        assert_eq!(example_value(&param).as_deref(), Some("7C9EBD4A1B2C"));
        assert_eq!(example_value(&serde_json::json!({})), None);
    }
}
