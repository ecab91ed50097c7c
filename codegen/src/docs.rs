//! The protocol reference: a Markdown page written from the document, with every
//! channel, message and payload type, the TLV framing and commands
//! (`x-rainmaker-tlv`) and the differences from the upstream summary
//! (`x-rainmaker-upstream-differences`).

use std::fmt::Write as _;

use crate::model::{
    Channel, Difference, Direction, Model, StandardTypes, Tlv, TypeDef, TypeKind, TypeRef, Variant,
};

/// The reference's file name.
pub const FILE_NAME: &str = "protocol.md";

/// The reference of the document read into `model`.
pub fn protocol_reference(model: &Model) -> String {
    let mut page = Page::default();
    page.line(&format!("# {} {}", model.title, model.version));
    page.line("");
    page.line(&format!(
        "Generated from `{}` by `rainmaker-codegen generate`; do not edit by hand. \
         `rainmaker-codegen check` fails when it is stale.",
        model.spec_name
    ));
    page.line("");
    if let Some(description) = &model.description {
        page.block(&demote(description, 1));
    }
    channels(&mut page, model);
    types(&mut page, model);
    if let Some(standard) = &model.standard_types {
        standard_types(&mut page, standard);
    }
    if let Some(tlv) = &model.tlv {
        tlv_section(&mut page, tlv);
    }
    if !model.differences.is_empty() {
        upstream_differences(&mut page, &model.differences);
    }
    page.text
}

/// The page being written.
#[derive(Default)]
struct Page {
    text: String,
}

impl Page {
    fn line(&mut self, line: &str) {
        self.text.push_str(line.trim_end());
        self.text.push('\n');
    }

    /// The head of a table: the column names, then the separator row.
    fn table(&mut self, columns: &[&str]) {
        self.line(&format!("| {} |", columns.join(" | ")));
        self.line(&format!("|{}", "---|".repeat(columns.len())));
    }

    /// A block of Markdown followed by one blank line.
    fn block(&mut self, text: &str) {
        for line in text.trim_end().lines() {
            self.line(line);
        }
        self.line("");
    }
}

/// Pushes the headings of a description down by `levels`, so that they nest
/// under the page's own.
fn demote(text: &str, levels: usize) -> String {
    let mut in_code = false;
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with('#') {
                format!("{}{line}", "#".repeat(levels))
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text for one table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A heading's anchor, as GitHub writes it.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn direction(channel: &Channel) -> &'static str {
    match channel.direction {
        Some(Direction::NodeToCloud) => "node to cloud",
        Some(Direction::CloudToNode) => "cloud to node",
        Some(Direction::BrokerToCloud) => "broker to cloud",
        None => match (channel.sends, channel.receives) {
            (true, true) => "both ways",
            (true, false) => "sent",
            (false, true) => "received",
            (false, false) => "-",
        },
    }
}

fn parameters(page: &mut Page, model: &Model) {
    let mut seen = Vec::new();
    for param in model.channels.iter().flat_map(|channel| &channel.params) {
        if seen.contains(&param.name) {
            continue;
        }
        seen.push(param.name.clone());
        if seen.len() == 1 {
            page.line("## Topic parameters");
            page.line("");
        }
        let about = param.description.as_deref().map(cell).unwrap_or_default();
        page.line(&format!("- `{}`: {about}", param.name));
    }
    if !seen.is_empty() {
        page.line("");
    }
}

fn channels(page: &mut Page, model: &Model) {
    parameters(page, model);
    page.line("## Channels");
    page.line("");
    page.table(&[
        "channel",
        "direction",
        "QoS",
        "basic-ingest rule",
        "messages",
    ]);
    for channel in &model.channels {
        let messages = channel
            .messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
            .map(|message| format!("`{}`", message.name))
            .collect::<Vec<_>>()
            .join(", ");
        let ingest = channel
            .ingest
            .as_ref()
            .map_or_else(|| "-".to_owned(), |ingest| format!("`{}`", ingest.rule));
        page.line(&format!(
            "| [`{}`](#{}) | {} | {} | {ingest} | {messages} |",
            channel.address,
            anchor(&channel.address),
            direction(channel),
            channel.qos,
        ));
    }
    page.line("");
    for channel in &model.channels {
        page.line(&format!("### {}", channel.address));
        page.line("");
        let mut facts = vec![
            format!("Direction: {}", direction(channel)),
            format!(
                "QoS {}, retain {}",
                channel.qos,
                if channel.retain { "on" } else { "off" }
            ),
        ];
        if let Some(ingest) = &channel.ingest {
            facts.push(format!(
                "Basic ingest: `{}`{}",
                ingest.alias(&channel.address),
                if ingest.sdk_publishes {
                    " (the SDK's default)"
                } else {
                    " (accepted; the SDK does not publish it)"
                }
            ));
        }
        if !channel.params.is_empty() {
            let names = channel
                .params
                .iter()
                .map(|param| format!("[`{}`](#topic-parameters)", param.name))
                .collect::<Vec<_>>()
                .join(", ");
            facts.push(format!("Parameters: {names}"));
        }
        for fact in facts {
            page.line(&format!("- {fact}"));
        }
        page.line("");
        if let Some(description) = &channel.description {
            page.block(&demote(description, 3));
        }
        for index in &channel.messages {
            let Some(message) = model.messages.get(*index) else {
                continue;
            };
            page.line(&format!(
                "Message `{}` (`Message::{}` in Rust; {}), payload {}.",
                message.name,
                message.variant,
                message.content_type,
                type_name(&message.payload)
            ));
            page.line("");
            if let Some(description) = &message.description {
                page.block(&demote(description, 3));
            }
            if let Some((name, bytes)) = message.examples.first() {
                page.line(&format!("Example `{name}`:"));
                page.line("");
                match std::str::from_utf8(bytes) {
                    Ok(text) if message.content_type.contains("json") => {
                        page.line("```json");
                        page.block(text);
                        page.text.pop();
                        page.line("```");
                    }
                    _ => {
                        page.line("```text");
                        page.line(&hex::encode(bytes));
                        page.line("```");
                    }
                }
                page.line("");
            }
        }
    }
}

/// A type as the reference names it, linked when it has its own section.
fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::Standard(name) => format!("[`{name}`](#{})", anchor(name)),
        TypeRef::External(path) => format!("`{}`", path.rsplit("::").next().unwrap_or(path)),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::Int(rust) => format!("integer (`{rust}`)"),
        TypeRef::Float(rust) => format!("number (`{rust}`)"),
        TypeRef::String => "string".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
        TypeRef::Unit => "null".to_owned(),
        TypeRef::Json => "any JSON value".to_owned(),
        TypeRef::JsonObject => "JSON object".to_owned(),
        TypeRef::Vec(inner) => format!("array of {}", type_name(inner)),
        TypeRef::Map(inner) => format!("object of {}", type_name(inner)),
        TypeRef::Nullable(inner) => format!("{} or null", type_name(inner)),
        TypeRef::Boxed(inner) => type_name(inner),
    }
}

fn types(page: &mut Page, model: &Model) {
    page.line("## Payload types");
    page.line("");
    for ty in &model.types {
        type_section(page, ty);
    }
}

fn type_section(page: &mut Page, ty: &TypeDef) {
    page.line(&format!("### {}", ty.name));
    page.line("");
    if let Some(description) = &ty.description {
        page.block(&demote(description, 3));
    }
    match &ty.kind {
        TypeKind::Struct { fields, .. } => {
            if fields.is_empty() {
                page.line("An object with no named properties.");
                page.line("");
                return;
            }
            page.table(&["property", "type", "required", "description"]);
            for field in fields {
                page.line(&format!(
                    "| `{}` | {} | {} | {} |",
                    field.wire,
                    type_name(&field.ty),
                    if field.required { "yes" } else { "no" },
                    field.description.as_deref().map(cell).unwrap_or_default()
                ));
            }
        }
        TypeKind::Enum { variants } => page.line(&format!("One of {}.", values(variants))),
        TypeKind::OpenEnum { variants } => page.line(&format!(
            "A string: {}, or any other value.",
            values(variants)
        )),
        TypeKind::StandardUnion { members } => {
            let lists = members
                .iter()
                .map(|(_, list)| type_name(&TypeRef::Standard(list.clone())))
                .collect::<Vec<_>>()
                .join(" or ");
            page.line(&format!(
                "A string: a value of {lists}, or any other value."
            ));
        }
        TypeKind::Untagged { variants } => {
            let members = variants
                .iter()
                .map(|(_, ty)| type_name(ty))
                .collect::<Vec<_>>()
                .join("; ");
            page.line(&format!("The first of these that fits: {members}."));
        }
        TypeKind::Alias { inner } => page.line(&format!("The same as {}.", type_name(inner))),
    }
    page.line("");
}

/// The standard-type catalogue (`x-rainmaker-standard-types`): each list's values
/// with what the catalogue says of them.
fn standard_types(page: &mut Page, standard: &StandardTypes) {
    page.line("## Standard types");
    page.line("");
    if let Some(description) = &standard.description {
        page.block(&demote(description, 2));
    }
    for list in StandardTypes::LISTS {
        let (key, name, what) = (list.key, list.rust, list.what);
        page.line(&format!("### {name}"));
        page.line("");
        page.line(&format!(
            "{what} The catalogue's `{key}`; any other string is allowed too."
        ));
        page.line("");
        page.table(&["value", "description"]);
        for ty in (list.values)(standard) {
            page.line(&format!(
                "| `{}` | {} |",
                ty.wire,
                ty.description.as_deref().map(cell).unwrap_or_default()
            ));
        }
        page.line("");
    }
}

/// An enum's values as a list of code spans.
fn values(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|variant| format!("`{}`", variant.wire.json()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tlv_section(page: &mut Page, tlv: &Tlv) {
    page.line("## Command frames (TLV8)");
    page.line("");
    page.block(tlv.description.as_deref().unwrap_or_default());
    for note in &tlv.notes {
        page.block(note);
    }
    if !tlv.limits.is_empty() {
        let limits = tlv
            .limits
            .iter()
            .map(|(name, value)| format!("{name} {value}"))
            .collect::<Vec<_>>()
            .join(", ");
        page.line(&format!("Limits: {limits}."));
        page.line("");
    }
    if !tlv.tags.is_empty() {
        page.table(&["tag", "name", "length", "encoding", "description"]);
        for tag in &tlv.tags {
            let length = if tag.min_len == tag.max_len {
                tag.min_len.to_string()
            } else {
                format!("{} to {}", tag.min_len, tag.max_len)
            };
            page.line(&format!(
                "| {} | `{}` | {length} | {} | {} |",
                tag.tag,
                tag.name,
                tag.encoding.wire(),
                cell(&tag.description)
            ));
        }
        page.line("");
    }
    if !tlv.commands.is_empty() {
        page.line("### Commands");
        page.line("");
        page.table(&[
            "command",
            "name",
            "sent by",
            "allowed roles",
            "data",
            "description",
        ]);
        for command in &tlv.commands {
            let roles = command
                .allowed_roles
                .map_or_else(|| "-".to_owned(), |roles| format!("{roles:#04x}"));
            let data = command
                .data
                .iter()
                .map(|(what, ty)| format!("{what}: {}", type_name(ty)))
                .collect::<Vec<_>>()
                .join("; ");
            page.line(&format!(
                "| {} | `{}` | {} | {roles} | {} | {} |",
                command.id,
                command.name,
                command.direction.wire(),
                if data.is_empty() {
                    "-".to_owned()
                } else {
                    data
                },
                cell(&command.description)
            ));
        }
        page.line("");
    }
}

fn upstream_differences(page: &mut Page, differences: &[Difference]) {
    page.line("## Differences from the upstream summary");
    page.line("");
    page.line(
        "Where the upstream summary and the wire as real nodes speak it disagree, the \
         document follows the wire.",
    );
    page.line("");
    for difference in differences {
        let mut heading = difference.id.clone();
        if let Some(section) = &difference.section {
            let _ = write!(heading, " (section {section})");
        }
        page.line(&format!("### {heading}"));
        page.line("");
        for (label, about) in [
            ("Upstream", &difference.upstream),
            ("On the wire", &difference.wire),
            ("Resolution", &difference.resolution),
        ] {
            page.line(&format!("- {label}: {}", cell(about)));
        }
        page.line("");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_under_the_page() {
        assert_eq!(demote("## Rules\ntext", 1), "### Rules\ntext");
        assert_eq!(
            demote("```\n# not a heading\n```", 1),
            "```\n# not a heading\n```"
        );
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(
            anchor("node/{node_id}/params/local"),
            "nodenode_idparamslocal"
        );
        assert_eq!(anchor("NodeConfig"), "nodeconfig");
    }

    #[test]
    fn cells_are_one_line() {
        assert_eq!(cell("a |\n b"), "a \\| b");
    }
}
