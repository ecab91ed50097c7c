//! RainMaker's extensions: the basic-ingest alias of a channel
//! (`x-rainmaker-ingest`) and the TLV command catalogue (`x-rainmaker-tlv`).

use serde_json::Value;

use super::Reader;
use crate::model::{Command, Ingest};
use crate::naming;
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
        let expected = format!("$aws/rules/{rule}/{address}");
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

    /// The commands of `x-rainmaker-tlv` (`commands`, then `other-known-commands`),
    /// with the types of their data.
    pub(super) fn commands(&mut self) {
        let at = Location::root().join("x-rainmaker-tlv");
        let Some(tlv) = self.sources.get(&at) else {
            return;
        };
        let mut commands: Vec<Command> = Vec::new();
        let mut constants = super::names::Names::default();
        for list in ["commands", "other-known-commands"] {
            let list_at = at.join(list);
            let Some(items) = tlv.get(list).and_then(Value::as_array) else {
                continue;
            };
            for (index, item) in items.iter().enumerate() {
                let here = list_at.join(index);
                let Some(id) = item
                    .get("id")
                    .and_then(Value::as_u64)
                    .and_then(|id| u16::try_from(id).ok())
                else {
                    self.problems
                        .error(&here.join("id"), "a command needs an `id` from 0 to 65535");
                    continue;
                };
                if commands.iter().any(|known| known.id == id) {
                    self.problems
                        .error(&here.join("id"), format!("duplicate command id {id}"));
                    continue;
                }
                let Some(name) = item.get("name").and_then(Value::as_str) else {
                    self.problems
                        .error(&here.join("name"), "a command needs a `name`");
                    continue;
                };
                let preferred = naming::screaming(name).unwrap_or_else(|| format!("COMMAND_{id}"));
                let constant = constants.claim(&preferred, &here).name;
                let allowed_roles = item
                    .get("allowed-roles")
                    .and_then(Value::as_u64)
                    .and_then(|roles| u8::try_from(roles).ok());
                let mut data = Vec::new();
                // Document order, whatever order serde_json's maps keep.
                for key in self.sources.keys(&here) {
                    let Some(what) = key.strip_suffix("-data") else {
                        continue;
                    };
                    let Some(value) = item.get(&key) else {
                        continue;
                    };
                    let data_at = here.join(&key);
                    if value.get("$ref").is_some() {
                        let hint = naming::camel(&format!("{name}-{what}")).unwrap_or_default();
                        let ty = self.type_of(value, &data_at, &hint);
                        data.push((what.to_owned(), ty));
                    } else if !matches!(value.as_str(), Some("none" | "unknown" | "cbor")) {
                        self.problems.error(
                            &data_at,
                            "command data must be a `$ref` to a schema, `none`, `unknown` or `cbor`",
                        );
                    }
                }
                commands.push(Command {
                    id,
                    name: name.to_owned(),
                    constant,
                    direction: item
                        .get("direction")
                        .and_then(Value::as_str)
                        .unwrap_or("unknown")
                        .to_owned(),
                    allowed_roles,
                    description: super::description(item).unwrap_or_default(),
                    data,
                });
            }
        }
        self.model.commands = Some(commands);
    }
}
