//! RainMaker's extensions on channels and the document: the basic-ingest alias of a
//! channel (`x-rainmaker-ingest`) and the differences from the upstream summary
//! (`x-rainmaker-upstream-differences`).

use serde_json::Value;

use super::Reader;
use crate::model::{Difference, Ingest, TypeKind, TypeRef};
use crate::source::Location;

impl Reader<'_> {
    /// The channel's `x-rainmaker-ingest`, checked.
    pub(super) fn ingest(
        &mut self,
        channel: &Value,
        at: &Location,
        address: &str,
    ) -> Option<Ingest> {
        let ingest = channel.get("x-rainmaker-ingest")?;
        let ingest_at = at.join("x-rainmaker-ingest");
        let rule = ingest.get("rule").and_then(Value::as_str);
        let alias = ingest.get("address").and_then(Value::as_str);
        let (Some(rule), Some(alias)) = (rule, alias) else {
            self.problems.error(
                &ingest_at,
                "`x-rainmaker-ingest` needs a `rule` and an `address`",
            );
            return None;
        };
        if rule.is_empty() || rule.contains(['/', '+', '#']) {
            self.problems
                .error(&ingest_at.join("rule"), "not a usable rule name");
            return None;
        }
        let expected = format!("{}{rule}/{address}", Ingest::PREFIX);
        if alias != expected {
            self.problems
                .error(&ingest_at.join("address"), format!("expected `{expected}`"));
        }
        let sdk_publishes = match ingest.get("sdk-publishes") {
            None => true,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.problems.error(
                    &ingest_at.join("sdk-publishes"),
                    "`sdk-publishes` must be a boolean",
                );
                true
            }
        };
        Some(Ingest {
            rule: rule.to_owned(),
            sdk_publishes,
        })
    }

    /// Checks every `x-rainmaker-topic-parameter`: each channel that carries a message
    /// with such a property has that parameter, and the property is a required one.
    pub(super) fn topic_parameters(&mut self) {
        let mut problems = Vec::new();
        for (index, message) in self.model.messages.iter().enumerate() {
            let TypeRef::Named(name) = &message.payload else {
                continue;
            };
            let Some(TypeKind::Struct { fields, .. }) =
                self.model.type_def(name).map(|def| &def.kind)
            else {
                continue;
            };
            for field in fields {
                let Some(parameter) = &field.topic_parameter else {
                    continue;
                };
                if !field.required {
                    problems.push((
                        message.at.clone(),
                        format!(
                            "`{}` names the topic parameter `{parameter}` but is optional",
                            field.wire
                        ),
                    ));
                }
                for channel in self
                    .model
                    .channels
                    .iter()
                    .filter(|channel| channel.messages.contains(&index))
                {
                    if !channel.params.iter().any(|param| param.name == *parameter) {
                        problems.push((
                            channel.at.clone(),
                            format!(
                                "message `{}` repeats the parameter `{parameter}` in `{}`, \
                                 but the channel has no such parameter",
                                message.name, field.wire
                            ),
                        ));
                    }
                }
            }
        }
        for (at, problem) in problems {
            self.problems.error(&at, problem);
        }
    }

    /// Reads `x-rainmaker-upstream-differences`: every entry complete, its id unique
    /// and its `location` a pointer that resolves in this document.
    pub(super) fn differences(&mut self) {
        let at = Location::root().join("x-rainmaker-upstream-differences");
        let Some(list) = self.sources.get(&at) else {
            return;
        };
        let Some(list) = list.as_array() else {
            self.problems
                .error(&at, "`x-rainmaker-upstream-differences` must be a list");
            return;
        };
        for (index, entry) in list.iter().enumerate() {
            let here = at.join(index);
            let mut text = |key: &str| -> Option<String> {
                let found = entry
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|text| !text.is_empty());
                if found.is_none() {
                    self.problems.error(
                        &here.join(key),
                        format!("the difference has no `{key}` text"),
                    );
                }
                found.map(str::to_owned)
            };
            let (id, location, upstream, wire, resolution) = (
                text("id"),
                text("location"),
                text("upstream"),
                text("wire"),
                text("resolution"),
            );
            if let Some(location) = &location {
                let resolves = crate::pointer::Pointer::parse(location)
                    .is_some_and(|pointer| self.sources.get(&Location::in_root(pointer)).is_some());
                if !resolves {
                    self.problems.error(
                        &here.join("location"),
                        format!("location `{location}` does not resolve in this document"),
                    );
                }
            }
            let (Some(id), Some(upstream), Some(wire), Some(resolution)) =
                (id, upstream, wire, resolution)
            else {
                continue;
            };
            if self.model.differences.iter().any(|known| known.id == id) {
                self.problems
                    .error(&here.join("id"), format!("duplicate difference id `{id}`"));
                continue;
            }
            let section = entry
                .get("protocol-section")
                .and_then(Value::as_str)
                .map(str::to_owned);
            self.model.differences.push(Difference {
                id,
                section,
                upstream,
                wire,
                resolution,
            });
        }
    }
}
