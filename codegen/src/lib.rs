//! Compiles AsyncAPI 3.0 and 3.1 documents for MQTT into Rust: typed messages, topic
//! parsers and builders, and dispatch, on the runtime of `rainmaker-types`. The ESP
//! RainMaker node protocol (`spec/rainmaker-node.asyncapi.yaml`) is its first user;
//! its extensions (`x-rainmaker-*`) add basic-ingest topics, the TLV command
//! catalogue and the standard-type catalogue.
//!
//! The generator is a library (spec -> [`model`] -> Rust tokens, formatted by
//! prettyplease) with a thin binary, `rainmaker-codegen`. From a build script, use the
//! [`Builder`]:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("api");
//!     rainmaker_codegen::Builder::new()
//!         .spec("asyncapi.yaml")
//!         .out_dir(&out)
//!         .generate()?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/api/mod.rs"));
//! }
//! ```
//!
//! The output names its runtime by an absolute path (`::rainmaker_types`, see
//! [`Builder::crate_path`]), so it compiles in any crate that depends on
//! `rainmaker-types`; no file starts with an inner attribute, so `include!` works.
//!
//! Every problem of a spec is reported at once, each with its location
//! ([`Diagnostics`]); see the README for the constructs supported and refused.

pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod error;
pub mod files;
pub mod model;
pub mod naming;
pub mod pattern;
pub mod pointer;
pub mod read;
pub mod source;
pub mod topic_tree;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::{Error, Result};
pub use files::{GeneratedFile, GeneratedFiles};
pub use pointer::Pointer;
pub use read::read;
pub use source::{Location, Sources};

/// The spec, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/rainmaker-node.asyncapi.yaml";

/// The output directory of the spec's bindings, relative to the workspace root.
pub const OUT_DIR: &str = "rainmaker-types/src/generated";

/// The output directory of the TLV codec's catalogue, relative to the workspace root.
pub const TLV_OUT_DIR: &str = "rainmaker-tlv/src/generated";

/// The output directory of the derive macro's standard param table, relative to the
/// workspace root.
pub const DERIVE_OUT_DIR: &str = "rainmaker-macros/src/generated";

/// Where the protocol reference (`protocol.md`) goes, relative to the workspace root.
pub const DOCS_DIR: &str = "docs";

/// A file written from the spec for another crate than the bindings' (or for
/// people), each into a directory of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Companion {
    /// The TLV codec's tags, statuses, role flags and commands (`catalogue.rs`), for a
    /// spec with `x-rainmaker-tlv`.
    TlvCatalogue,
    /// The derive macro's standard param table (`standard.rs`), for a spec with
    /// `x-rainmaker-standard-types`.
    DeriveTable,
    /// The protocol reference, [`docs::FILE_NAME`].
    Reference,
}

/// How to generate: the options of [`Builder`], without the paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The path of the runtime crate in generated code.
    pub crate_path: String,
    /// The cargo feature behind which types derive `schemars::JsonSchema`.
    pub schemars_feature: Option<String>,
    /// Whether to generate the `examples` module.
    pub examples: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            crate_path: "::rainmaker_types".to_owned(),
            schemars_feature: None,
            examples: false,
        }
    }
}

/// What a generation produced: the files, and the warnings about the spec.
#[derive(Debug, Clone)]
pub struct Output {
    /// The bindings (`mod.rs` and one file per module).
    pub files: GeneratedFiles,
    /// The companion files the spec gives (a spec without the extension a companion
    /// needs has none of it).
    pub companions: BTreeMap<Companion, GeneratedFiles>,
    /// Problems that did not stop generation.
    pub warnings: Diagnostics,
    /// Every file the spec is made of (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
}

/// What [`Builder::check`] found: the generation's output, and how the files on disk
/// differ from it.
#[derive(Debug, Clone)]
pub struct Checked {
    /// What generation produced (files, companions, warnings).
    pub output: Output,
    /// A unified diff from the files on disk to the generated ones; `None` when they
    /// are the same.
    pub diff: Option<String>,
}

/// Generates Rust from an AsyncAPI document, in the style of `prost-build`.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    companion_dirs: BTreeMap<Companion, PathBuf>,
    options: Options,
}

impl Builder {
    /// A builder with the default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder of this workspace's own bindings: the RainMaker spec under `root`
    /// into `rainmaker-types/src/generated/` (with `schemars` derives behind the
    /// crate's `schemars` feature), the TLV codec's catalogue into
    /// `rainmaker-tlv/src/generated/`, the derive's standard param table into
    /// `rainmaker-macros/src/generated/` and the protocol reference into `docs/`.
    pub fn workspace(root: &Path) -> Self {
        Self::new()
            .spec(root.join(SPEC_PATH))
            .out_dir(root.join(OUT_DIR))
            .companion(Companion::TlvCatalogue, root.join(TLV_OUT_DIR))
            .companion(Companion::DeriveTable, root.join(DERIVE_OUT_DIR))
            .companion(Companion::Reference, root.join(DOCS_DIR))
            .schemars_feature("schemars")
    }

    /// Compares what [`Builder::generate`] would write with the files on disk: `None`
    /// when they are the same, else a unified diff.
    ///
    /// # Errors
    ///
    /// As [`Builder::build`], or [`Error::Io`] when reading fails.
    pub fn diff(&self) -> Result<Option<String>> {
        self.check().map(|checked| checked.diff)
    }

    /// Generates in memory and compares with the files on disk, as [`Builder::diff`]
    /// does, keeping the generation's output (and so its warnings).
    ///
    /// # Errors
    ///
    /// As [`Builder::build`], or [`Error::Io`] when reading fails.
    pub fn check(&self) -> Result<Checked> {
        let out_dir = self.out_dir.as_ref().ok_or_else(|| {
            Error::Option("no output directory given (`Builder::out_dir`)".to_owned())
        })?;
        let output = self.build()?;
        let mut diff = output.files.diff(out_dir)?.unwrap_or_default();
        for (files, dir) in self.companions_of(&output) {
            diff.push_str(&files.diff(dir)?.unwrap_or_default());
        }
        Ok(Checked {
            diff: (!diff.is_empty()).then_some(diff),
            output,
        })
    }

    /// Also writes the `companion` files into `dir` (when the spec gives them).
    #[must_use]
    pub fn companion(mut self, companion: Companion, dir: impl Into<PathBuf>) -> Self {
        self.companion_dirs.insert(companion, dir.into());
        self
    }

    /// The companion files of `output` this builder writes, with their directory.
    fn companions_of<'o>(
        &'o self,
        output: &'o Output,
    ) -> impl Iterator<Item = (&'o GeneratedFiles, &'o Path)> {
        self.companion_dirs
            .iter()
            .filter_map(|(companion, dir)| Some((output.companions.get(companion)?, dir.as_path())))
    }

    /// The AsyncAPI document to compile (YAML or JSON; `$ref`s to other files are
    /// read relative to it).
    #[must_use]
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(path.into());
        self
    }

    /// Where to write `mod.rs` and the module files.
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The path generated code names the runtime crate by (default
    /// `::rainmaker_types`), for a crate that renames the dependency.
    #[must_use]
    pub fn crate_path(mut self, path: impl Into<String>) -> Self {
        self.options.crate_path = path.into();
        self
    }

    /// Derives `schemars::JsonSchema` for the generated types behind the cargo
    /// feature `feature` of the crate that includes them.
    #[must_use]
    pub fn schemars_feature(mut self, feature: impl Into<String>) -> Self {
        self.options.schemars_feature = Some(feature.into());
        self
    }

    /// Also generates the `examples` module: every message example of the document
    /// on a topic of its channel.
    #[must_use]
    pub fn examples(mut self, on: bool) -> Self {
        self.options.examples = on;
        self
    }

    /// Reads the spec and generates every file in memory.
    ///
    /// # Errors
    ///
    /// [`Error::Spec`] with every problem of the spec, or [`Error::Option`].
    pub fn build(&self) -> Result<Output> {
        let spec = self
            .spec
            .as_ref()
            .ok_or_else(|| Error::Option("no spec given (`Builder::spec`)".to_owned()))?;
        let sources = Sources::load(spec)?;
        generate(&sources, &self.options)
    }

    /// Reads the spec, generates, and writes the files (all or nothing). Under a
    /// cargo build script, also prints `cargo:rerun-if-changed` for every file of
    /// the spec and `cargo:warning` for each warning.
    ///
    /// # Errors
    ///
    /// As [`Builder::build`], or [`Error::Io`] when writing fails.
    pub fn generate(&self) -> Result<Output> {
        let out_dir = self.out_dir.as_ref().ok_or_else(|| {
            Error::Option("no output directory given (`Builder::out_dir`)".to_owned())
        })?;
        let output = self.build()?;
        output.files.write(out_dir)?;
        for (files, dir) in self.companions_of(&output) {
            files.write(dir)?;
        }
        if std::env::var_os("OUT_DIR").is_some() && std::env::var_os("CARGO_PKG_NAME").is_some() {
            for input in &output.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in output.warnings.iter() {
                println!("cargo:warning={warning}");
            }
        }
        Ok(output)
    }
}

/// Generates every file from loaded `sources`, in memory.
///
/// # Errors
///
/// [`Error::Spec`] with every problem of the spec, or [`Error::Option`].
pub fn generate(sources: &Sources, options: &Options) -> Result<Output> {
    let read = read(sources)?;
    let model = &read.model;
    let ctx = emit::Ctx::new(
        model,
        &options.crate_path,
        options.schemars_feature.clone(),
        options.examples,
    )
    .map_err(Error::Option)?;
    let spec_name = model.spec_name.as_str();
    let mut files = GeneratedFiles::default();
    let mut modules = Vec::new();
    // A module of the bindings: its file `<name>.rs`, declared in `mod.rs` with `doc`.
    let mut module = |name: &'static str, doc: &str, tokens: TokenStream| {
        modules.push(emit::root::Module {
            name,
            doc: doc.to_owned(),
        });
        files.add(&format!("{name}.rs"), spec_name, tokens)
    };
    module(
        "messages",
        "Message payloads: one type per schema of the document, with serde \
         derives. Struct fields keep the schema's property order.",
        emit::messages::emit(&ctx),
    )?;
    module(
        "topics",
        "Topics: every channel as a [`Channel`], a [`Topic`] with its typed \
         parameters and a borrowed [`TopicRef`], parsed and written.",
        emit::topics::emit(&ctx),
    )?;
    let mut dispatch = emit::dispatch::emit(&ctx);
    dispatch.extend(emit::views::emit_dispatch(&ctx));
    module(
        "dispatch",
        "Message dispatch: decode a `(topic, payload)` pair into a typed \
         [`Message`], and encode a message for a topic.",
        dispatch,
    )?;
    if let Some(views) = emit::views::emit(&ctx) {
        module(
            "views",
            "Borrowed views of the payloads of the messages marked \
             `x-rust-borrow`, which [`MessageRef`] and [`EnvelopeRef`] decode \
             without copying what can be borrowed.",
            views,
        )?;
    }
    let mut companions = BTreeMap::new();
    if let Some(tlv) = &model.tlv {
        module(
            "commands",
            "The TLV command catalogue: what it says about each command \
             ([`ALL`](commands::ALL), [`info`](commands::info)) and the types of \
             the data each carries.",
            emit::commands::emit(&ctx, &tlv.commands),
        )?;
        let catalogue = one_file("catalogue.rs", spec_name, emit::tlv_catalogue::emit(tlv))?;
        companions.insert(Companion::TlvCatalogue, catalogue);
    }
    if let Some(standard) = &model.standard_types {
        module(
            "standard_types",
            "The standard-type catalogue: UI, device, service and param types as \
             open enums (custom and vendor types land in `Other`), the defaults of \
             each standard param type, the device constructors and the standard \
             service instances.",
            emit::standard_types::emit(&ctx, standard),
        )?;
        let table = one_file(
            "standard.rs",
            spec_name,
            emit::derive_table::emit(model, standard),
        )?;
        companions.insert(Companion::DeriveTable, table);
    }
    if options.examples {
        module(
            "examples",
            "The document's message examples, each on a topic of its channel.",
            emit::examples::emit(&ctx),
        )?;
    }
    files.add("mod.rs", spec_name, emit::root::emit(&modules))?;
    companions.insert(
        Companion::Reference,
        GeneratedFiles {
            files: vec![GeneratedFile {
                name: docs::FILE_NAME.to_owned(),
                contents: docs::protocol_reference(model),
            }],
        },
    );
    Ok(Output {
        files,
        companions,
        warnings: read.warnings,
        inputs: sources.paths(),
    })
}

/// The formatted file `name` alone, for a companion.
fn one_file(name: &str, spec_name: &str, tokens: TokenStream) -> Result<GeneratedFiles> {
    let mut files = GeneratedFiles::default();
    files.add(name, spec_name, tokens)?;
    Ok(files)
}

/// The JSON Schema of every JSON message payload of a spec, `$ref`s inlined, as a
/// list of `{"message": <Rust name>, "schema": <schema>}`: what a JSON Schema
/// validator needs to judge the same payloads as the generated decoders (the
/// differential tests read it).
///
/// # Errors
///
/// Every problem of the spec, when it has an error.
pub fn payload_schemas(sources: &Sources) -> Result<serde_json::Value, Diagnostics> {
    let read = read(sources)?;
    Ok(read
        .model
        .messages
        .into_iter()
        .filter_map(|message| {
            let schema = message.schema?;
            Some(serde_json::json!({"message": message.variant, "schema": schema}))
        })
        .collect())
}

/// Checks a spec without generating: every problem found, warnings included.
pub fn check(sources: &Sources) -> Diagnostics {
    match read(sources) {
        Ok(read) => read.warnings,
        Err(problems) => problems,
    }
}

/// The workspace root: the nearest ancestor of `start` that holds [`SPEC_PATH`].
pub fn workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(SPEC_PATH).is_file())
        .map(Path::to_owned)
}
