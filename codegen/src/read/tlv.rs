//! The TLV framing of the command channels (`x-rainmaker-tlv`): record types,
//! limits, user roles, statuses and the command catalogue.

use serde_json::Value;

use super::names::Names;
use super::{Reader, description};
use crate::model::{
    Command, CommandDirection, DecodedExample, NamedByte, TagEncoding, Tlv, TlvTag,
};
use crate::naming;
use crate::source::Location;

impl Reader<'_> {
    /// Reads `x-rainmaker-tlv`, when the document has it.
    pub(super) fn tlv(&mut self) {
        let at = Location::root().join("x-rainmaker-tlv");
        let Some(tlv) = self.sources.get(&at) else {
            return;
        };
        if !tlv.is_object() {
            self.problems
                .error(&at, "`x-rainmaker-tlv` must be an object");
            return;
        }
        let notes = ["fragmentation", "decoding"]
            .iter()
            .filter_map(|key| tlv.pointer(&format!("/framing/{key}"))?.as_str())
            .map(|text| text.trim().to_owned())
            .collect();
        let limits_at = at.join("limits");
        let limits = self
            .sources
            .keys(&limits_at)
            .into_iter()
            .filter_map(|name| {
                let value = tlv.get("limits")?.get(&name);
                match value.and_then(Value::as_u64) {
                    Some(value) => Some((name, value)),
                    None => {
                        self.problems.error(
                            &limits_at.join(&name),
                            "a limit must be a non-negative integer",
                        );
                        None
                    }
                }
            })
            .collect();
        let tags = self.tlv_tags(tlv, &at.join("tags"));
        let roles = self.named_bytes(
            tlv.pointer("/user-roles/flags"),
            &at.join("user-roles").join("flags"),
        );
        let statuses = self.named_bytes(tlv.get("statuses"), &at.join("statuses"));
        let commands = self.commands(tlv, &at);
        self.model.tlv = Some(Tlv {
            at,
            description: description(tlv),
            notes,
            limits,
            tags,
            roles,
            statuses,
            commands,
        });
    }

    fn tlv_tags(&mut self, tlv: &Value, at: &Location) -> Vec<TlvTag> {
        let mut tags: Vec<TlvTag> = Vec::new();
        let mut constants = Names::default();
        for (index, entry) in list(tlv.get("tags")).iter().enumerate() {
            let here = at.join(index);
            let tag = entry
                .get("tag")
                .and_then(Value::as_u64)
                .and_then(|tag| u8::try_from(tag).ok());
            let name = entry.get("name").and_then(Value::as_str);
            let encoding = entry
                .get("encoding")
                .and_then(Value::as_str)
                .and_then(|wire| TagEncoding::ALL.into_iter().find(|e| e.wire() == wire));
            let length = entry.get("length");
            let min_len = length.and_then(|length| length.get("min")?.as_u64());
            let max_len = length.and_then(|length| length.get("max")?.as_u64());
            let (Some(tag), Some(name), Some(encoding), Some(min_len), Some(max_len)) =
                (tag, name, encoding, min_len, max_len)
            else {
                let encodings = TagEncoding::ALL.map(TagEncoding::wire).join(", ");
                self.problems.error(
                    &here,
                    format!(
                        "a tag needs `tag` (0 to 255), `name`, `length` (`min`, `max`) and \
                         `encoding` (one of {encodings})"
                    ),
                );
                continue;
            };
            if tags
                .iter()
                .any(|known| known.tag == tag || known.name == name)
            {
                self.problems
                    .error(&here, format!("tag {tag} (`{name}`) is described twice"));
                continue;
            }
            tags.push(TlvTag {
                tag,
                name: name.to_owned(),
                constant: constant_name(&mut constants, name, || format!("TAG_{tag}"), &here),
                min_len,
                max_len,
                encoding,
                description: description(entry).unwrap_or_default(),
            });
        }
        tags
    }

    /// A list of `{value, name, description}` entries (statuses, role flags).
    fn named_bytes(&mut self, entries: Option<&Value>, at: &Location) -> Vec<NamedByte> {
        let mut out: Vec<NamedByte> = Vec::new();
        let mut constants = Names::default();
        for (index, entry) in list(entries).iter().enumerate() {
            let here = at.join(index);
            let value = entry
                .get("value")
                .and_then(Value::as_u64)
                .and_then(|value| u8::try_from(value).ok());
            let (Some(value), Some(name)) = (value, entry.get("name").and_then(Value::as_str))
            else {
                self.problems
                    .error(&here, "an entry needs a `value` (0 to 255) and a `name`");
                continue;
            };
            if out.iter().any(|known| known.value == value) {
                self.problems.error(
                    &here.join("value"),
                    format!("value {value} is listed twice"),
                );
                continue;
            }
            out.push(NamedByte {
                value,
                name: name.to_owned(),
                constant: constant_name(&mut constants, name, || format!("VALUE_{value}"), &here),
                description: description(entry).unwrap_or_default(),
            });
        }
        out
    }

    /// The commands (`commands`, then `other-known-commands`), with the types of their
    /// data.
    fn commands(&mut self, tlv: &Value, at: &Location) -> Vec<Command> {
        let mut commands: Vec<Command> = Vec::new();
        let mut constants = Names::default();
        for key in ["commands", "other-known-commands"] {
            let list_at = at.join(key);
            for (index, item) in list(tlv.get(key)).iter().enumerate() {
                let here = list_at.join(index);
                if let Some(command) = self.command(item, &here, &commands, &mut constants) {
                    commands.push(command);
                }
            }
        }
        commands
    }

    fn command(
        &mut self,
        item: &Value,
        here: &Location,
        known: &[Command],
        constants: &mut Names,
    ) -> Option<Command> {
        let Some(id) = item
            .get("id")
            .and_then(Value::as_u64)
            .and_then(|id| u16::try_from(id).ok())
        else {
            self.problems
                .error(&here.join("id"), "a command needs an `id` from 0 to 65535");
            return None;
        };
        if known.iter().any(|known| known.id == id) {
            self.problems
                .error(&here.join("id"), format!("duplicate command id {id}"));
            return None;
        }
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            self.problems
                .error(&here.join("name"), "a command needs a `name`");
            return None;
        };
        let direction = match item.get("direction") {
            None => CommandDirection::Unknown,
            Some(value) => {
                let found = value.as_str().and_then(|wire| {
                    CommandDirection::ALL
                        .into_iter()
                        .find(|direction| direction.wire() == wire)
                });
                found.unwrap_or_else(|| {
                    let spellings = CommandDirection::ALL.map(CommandDirection::wire).join(", ");
                    self.problems.error(
                        &here.join("direction"),
                        format!("`direction` must be one of {spellings}"),
                    );
                    CommandDirection::Unknown
                })
            }
        };
        let constant = constant_name(constants, name, || format!("COMMAND_{id}"), here);
        let allowed_roles = item
            .get("allowed-roles")
            .and_then(Value::as_u64)
            .and_then(|roles| u8::try_from(roles).ok());
        let mut data = Vec::new();
        // Document order, whatever order serde_json's maps keep.
        for key in self.sources.keys(here) {
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
        Some(Command {
            id,
            name: name.to_owned(),
            constant,
            direction,
            allowed_roles,
            description: description(item).unwrap_or_default(),
            data,
        })
    }
}

/// The name of the constant of the catalogue entry `name` (at `at`): `name` in
/// SCREAMING_CASE, or `fallback` when that gives none, made unique among
/// `constants`.
fn constant_name(
    constants: &mut Names,
    name: &str,
    fallback: impl FnOnce() -> String,
    at: &Location,
) -> String {
    let preferred = naming::screaming(name).unwrap_or_else(fallback);
    constants.claim(&preferred, at).name
}

/// The items of a list value (none when it is absent or not a list).
fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

impl Reader<'_> {
    /// The `x-rainmaker-decoded-examples` of a binary message: what each named
    /// example's frame holds, by tag name.
    pub(super) fn decoded_examples(
        &mut self,
        message: &serde_json::Map<String, Value>,
        at: &Location,
    ) -> Vec<DecodedExample> {
        let at = at.join("x-rainmaker-decoded-examples");
        let Some(entries) = message.get("x-rainmaker-decoded-examples") else {
            return Vec::new();
        };
        let Some(entries) = entries.as_object() else {
            self.problems.error(
                &at,
                "`x-rainmaker-decoded-examples` must map example names to fields",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for name in self.sources.keys(&at) {
            let here = at.join(&name);
            let Some(entry) = entries.get(&name).and_then(Value::as_object) else {
                self.problems
                    .error(&here, "a decoded example must be an object");
                continue;
            };
            let data_schema = entry
                .contains_key("data-schema")
                .then(|| here.join("data-schema"));
            let fields = self
                .sources
                .keys(&here)
                .into_iter()
                .filter(|key| key != "data-schema")
                .filter_map(|key| Some((key.clone(), entry.get(&key)?.clone())))
                .collect();
            out.push(DecodedExample {
                at: here,
                name,
                fields,
                data_schema,
            });
        }
        out
    }
}
