//! The spec reader: one pass over an AsyncAPI 3.0 or 3.1 document that builds the
//! [`Model`] and collects every problem with its location.
//!
//! What it reads, in order: the version, the `$ref`s, the component schemas, the
//! channels (addresses, parameters, messages), the operations (action, bindings,
//! traits), the RainMaker extensions a document uses (`x-rainmaker-ingest`,
//! `x-rainmaker-direction`, `x-rainmaker-tlv`, `x-rainmaker-standard-types`,
//! `x-rainmaker-upstream-differences`), and the examples. A document that declares `x-rainmaker-upstream` is RainMaker's own
//! spec and is also held to its conventions ([`conventions`]).
//!
//! Anything the generated types cannot express exactly becomes a looser type with a
//! note in its docs and a warning; only a document that is wrong (or uses a
//! construct no Rust type can carry) is an error.

mod channels;
pub mod conventions;
mod examples;
mod names;
mod params;
mod rainmaker;
mod rules;
mod schema;
mod standard_types;
mod tlv;

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::{Model, TypeRef};
use crate::source::{Location, Sources};
use names::Names;

/// The result of reading a spec: the model, and the warnings (problems that did not
/// stop generation).
#[derive(Debug, Clone)]
pub struct Read {
    /// The model to emit.
    pub model: Model,
    /// The warnings.
    pub warnings: Diagnostics,
}

/// Reads `sources` into a model.
///
/// # Errors
///
/// Every problem found (warnings included), when at least one is an error.
pub fn read(sources: &Sources) -> Result<Read, Diagnostics> {
    let mut reader = Reader::new(sources);
    reader.run();
    let Reader {
        model, problems, ..
    } = reader;
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Read {
        model,
        warnings: problems,
    })
}

/// The state of one read.
pub(crate) struct Reader<'a> {
    pub(crate) sources: &'a Sources,
    pub(crate) model: Model,
    pub(crate) problems: Diagnostics,
    /// Whether the document is RainMaker's spec (`x-rainmaker-upstream`).
    pub(crate) rainmaker: bool,
    /// Rust names of the messages module.
    pub(crate) type_names: Names,
    /// The type of each named schema (component or `$ref` target), by location.
    pub(crate) named: HashMap<Location, TypeRef>,
    /// The message index of each message location.
    pub(crate) message_at: HashMap<Location, usize>,
    /// The content type of messages that do not state one.
    pub(crate) default_content_type: String,
    /// Where schemas name lists of the standard-type catalogue
    /// (`x-rainmaker-standard-type`), which the document must then have.
    pub(crate) standard_type_uses: Vec<Location>,
}

impl<'a> Reader<'a> {
    fn new(sources: &'a Sources) -> Self {
        let info = |key: &str| {
            sources
                .root()
                .pointer(&format!("/info/{key}"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let default_content_type = sources
            .root()
            .get("defaultContentType")
            .and_then(Value::as_str)
            .unwrap_or("application/json")
            .to_owned();
        Self {
            sources,
            model: Model {
                spec_name: spec_name(sources.origin()),
                title: info("title").unwrap_or_default(),
                version: info("version").unwrap_or_default(),
                description: info("description"),
                ..Model::default()
            },
            problems: Diagnostics::default(),
            rainmaker: sources.root().get("x-rainmaker-upstream").is_some(),
            type_names: Names::default(),
            named: HashMap::new(),
            message_at: HashMap::new(),
            default_content_type,
            standard_type_uses: Vec::new(),
        }
    }

    fn run(&mut self) {
        if !self.version() {
            return;
        }
        self.sources.check_refs(&mut self.problems);
        self.component_schemas();
        self.channels();
        self.operations();
        self.tlv();
        self.standard_types();
        self.differences();
        self.topic_parameters();
        schema::box_recursion(&mut self.model);
        if self.rainmaker {
            conventions::check(self);
        }
    }

    /// Checks `asyncapi`; `false` when the document cannot be read as AsyncAPI 3.
    fn version(&mut self) -> bool {
        let at = Location::root().join("asyncapi");
        match self.sources.root().get("asyncapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.0.") || version.starts_with("3.1.") => true,
            Some(version) if version.starts_with("2.") || version.starts_with("1.") => {
                self.problems.error(
                    &at,
                    format!(
                        "AsyncAPI {version} is not supported: this generator reads AsyncAPI \
                         3.0 and 3.1 (convert the document with `asyncapi convert`)"
                    ),
                );
                false
            }
            Some(version) => {
                self.problems.error(
                    &at,
                    format!("AsyncAPI {version} is not supported (3.0 and 3.1 are)"),
                );
                false
            }
            None => {
                self.problems.error(
                    &at,
                    "not an AsyncAPI document: `asyncapi: 3.0.0` is missing",
                );
                false
            }
        }
    }

    /// Reports a problem that is an error in RainMaker's own spec (which must be
    /// exact) and a warning in any other document.
    pub(crate) fn error_if_rainmaker(&mut self, at: &Location, message: impl Into<String>) {
        if self.rainmaker {
            self.problems.error(at, message);
        } else {
            self.problems.warning(at, message);
        }
    }

    /// The value at `at`, following `$ref`s; `None` (and an error reported) when it
    /// does not resolve.
    pub(crate) fn resolve(&mut self, at: &Location) -> Option<(&'a Value, Location)> {
        let value = self.sources.get(at)?;
        self.follow(value, at)
    }

    /// Follows `value` (found at `at`) through `$ref`s, reporting a broken chain.
    pub(crate) fn follow<'v>(
        &mut self,
        value: &'v Value,
        at: &Location,
    ) -> Option<(&'v Value, Location)>
    where
        'a: 'v,
    {
        match self.sources.follow(value, at) {
            Ok(found) => Some(found),
            Err(problem) => {
                // `check_refs` reported it already.
                let _ = problem;
                None
            }
        }
    }
}

/// The description of a spec object: `description`, else `summary`, else `title`.
pub(crate) fn description(value: &Value) -> Option<String> {
    ["description", "summary", "title"]
        .iter()
        .find_map(|key| value.get(key).and_then(Value::as_str))
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// The file name part of a spec's origin, for the header of generated files.
fn spec_name(origin: &str) -> String {
    std::path::Path::new(origin).file_name().map_or_else(
        || origin.to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}
