//! The documents a spec is made of: the root AsyncAPI file and every file its `$ref`s
//! reach (relative paths), each parsed once, with the key order of its mappings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::Pointer;

/// How many `$ref` hops are followed before a chain is reported as a cycle.
const MAX_REF_HOPS: usize = 32;

/// A place in the spec: a file (empty for the root document) and a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    file: Arc<str>,
    pointer: Pointer,
}

impl Location {
    /// The root of the root document.
    pub fn root() -> Self {
        Self {
            file: Arc::from(""),
            pointer: Pointer::root(),
        }
    }

    /// `pointer` in the root document.
    pub fn in_root(pointer: Pointer) -> Self {
        Self {
            file: Arc::from(""),
            pointer,
        }
    }

    /// This location extended by one reference token.
    #[must_use]
    pub fn join(&self, token: impl fmt::Display) -> Self {
        Self {
            file: self.file.clone(),
            pointer: self.pointer.join(token),
        }
    }

    /// The JSON pointer inside the file.
    pub fn pointer(&self) -> &Pointer {
        &self.pointer
    }

    /// The file, relative to the root document's directory (empty for the root).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The last reference token, if any.
    pub fn last(&self) -> Option<String> {
        self.pointer.last()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.file, self.pointer)
    }
}

/// One parsed file.
#[derive(Debug, Clone)]
struct File {
    /// The document as JSON.
    json: Value,
    /// The same document as parsed YAML, which keeps the key order of mappings.
    ordered: serde_norway::Value,
}

/// Every file of a spec, by its name relative to the root's directory.
#[derive(Debug, Clone)]
pub struct Sources {
    origin: String,
    base: Option<PathBuf>,
    files: BTreeMap<Arc<str>, File>,
}

impl Sources {
    /// Reads the document at `path` and every file its `$ref`s reach.
    ///
    /// # Errors
    ///
    /// The problems found: unreadable files, invalid YAML, `$ref`s to missing files
    /// or remote addresses.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, Diagnostics> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            Diagnostics::one(Diagnostic::error(
                &Location::root(),
                format!("cannot read {}: {error}", path.display()),
            ))
        })?;
        let base = path.parent().map(Path::to_owned);
        Self::parse(&text, path.display().to_string(), base)
    }

    /// Parses a document given as text; `origin` names it in messages. Relative
    /// `$ref`s to other files are read from `base`, when given.
    ///
    /// # Errors
    ///
    /// As [`Sources::load`].
    pub fn parse(
        text: &str,
        origin: impl Into<String>,
        base: Option<PathBuf>,
    ) -> Result<Self, Diagnostics> {
        let origin = origin.into();
        let root = parse_file(text).map_err(|message| {
            Diagnostics::one(Diagnostic::error(
                &Location::root(),
                format!("{origin}: invalid YAML: {message}"),
            ))
        })?;
        let mut sources = Self {
            origin,
            base,
            files: BTreeMap::from([(Arc::from(""), root)]),
        };
        let mut problems = Diagnostics::default();
        sources.load_referenced(&mut problems);
        problems.into_result(sources)
    }

    /// The paths of every file read: the root document (when it was read from a
    /// file) and every file its `$ref`s reached.
    pub fn paths(&self) -> Vec<PathBuf> {
        let Some(base) = &self.base else {
            return Vec::new();
        };
        self.files
            .keys()
            .map(|name| {
                if name.is_empty() {
                    PathBuf::from(&self.origin)
                } else {
                    base.join(&**name)
                }
            })
            .collect()
    }

    /// Where the root document came from (its path, or the label given to
    /// [`Sources::parse`]).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The root document.
    pub fn root(&self) -> &Value {
        self.files.get("").map_or(&Value::Null, |file| &file.json)
    }

    /// The value at `at`, without following `$ref`s.
    pub fn get(&self, at: &Location) -> Option<&Value> {
        self.files
            .get(at.file())?
            .json
            .pointer(at.pointer().as_str())
    }

    /// `value` (found at `at`) as compact JSON, its object keys in document order
    /// whatever order serde_json's maps keep; keys the document does not order (a
    /// value made up rather than read) come sorted.
    pub fn to_json_in_order(&self, at: &Location, value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_in_order(at, value, &mut out);
        out
    }

    fn write_in_order(&self, at: &Location, value: &Value, out: &mut Vec<u8>) {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<String> = self
                    .keys(at)
                    .into_iter()
                    .filter(|key| map.contains_key(key))
                    .collect();
                let mut rest: Vec<&String> = map.keys().filter(|key| !keys.contains(key)).collect();
                rest.sort();
                keys.extend(rest.into_iter().cloned());
                out.push(b'{');
                for (index, key) in keys.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    out.extend(Value::String(key.clone()).to_string().into_bytes());
                    out.push(b':');
                    if let Some(child) = map.get(key) {
                        self.write_in_order(&at.join(key.as_str()), child, out);
                    }
                }
                out.push(b'}');
            }
            Value::Array(items) => {
                out.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    self.write_in_order(&at.join(index), item, out);
                }
                out.push(b']');
            }
            scalar => out.extend(scalar.to_string().into_bytes()),
        }
    }

    /// The keys of the mapping at `at` (no `$ref` followed), in document order;
    /// empty when there is no mapping there.
    pub fn keys(&self, at: &Location) -> Vec<String> {
        let Some(file) = self.files.get(at.file()) else {
            return Vec::new();
        };
        let mut value = &file.ordered;
        for token in at.pointer().tokens() {
            let next = match untag(value) {
                serde_norway::Value::Mapping(map) => map.iter().find_map(|(key, child)| {
                    (yaml_key(key).as_deref() == Some(&token)).then_some(child)
                }),
                serde_norway::Value::Sequence(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| items.get(index)),
                _ => None,
            };
            match next {
                Some(next) => value = next,
                None => return Vec::new(),
            }
        }
        match untag(value) {
            serde_norway::Value::Mapping(map) => map.keys().filter_map(yaml_key).collect(),
            _ => Vec::new(),
        }
    }

    /// The entries of the mapping at `at` in document order, each with its location.
    pub fn entries(&self, at: &Location) -> Vec<(String, Location)> {
        self.keys(at)
            .into_iter()
            .map(|key| {
                let location = at.join(&key);
                (key, location)
            })
            .collect()
    }

    /// Follows `value` (found at `at`) through any chain of `$ref`s to the value it
    /// stands for, with the location where that value really lives.
    ///
    /// # Errors
    ///
    /// A diagnostic for a `$ref` that does not resolve, or a chain that loops.
    pub fn follow<'a>(
        &'a self,
        mut value: &'a Value,
        at: &Location,
    ) -> Result<(&'a Value, Location), Diagnostic> {
        let mut here = at.clone();
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = value.get("$ref") else {
                return Ok((value, here));
            };
            let ref_at = here.join("$ref");
            let target = target
                .as_str()
                .ok_or_else(|| Diagnostic::error(&ref_at, "`$ref` must be a string"))?;
            let location = self
                .target(here.file(), target)
                .map_err(|message| Diagnostic::error(&ref_at, message))?;
            value = self
                .get(&location)
                .ok_or_else(|| Diagnostic::error(&ref_at, format!("unresolved $ref `{target}`")))?;
            here = location;
        }
        Err(Diagnostic::error(
            at,
            format!("$ref chain loops or is longer than {MAX_REF_HOPS} hops"),
        ))
    }

    /// The value at `at` after following `$ref`s.
    ///
    /// # Errors
    ///
    /// As [`Sources::follow`], or nothing at `at`.
    pub fn resolve(&self, at: &Location) -> Result<(&Value, Location), Diagnostic> {
        let value = self
            .get(at)
            .ok_or_else(|| Diagnostic::error(at, "no such location"))?;
        self.follow(value, at)
    }

    /// The location a `$ref` written in `file` points to.
    fn target(&self, file: &str, reference: &str) -> Result<Location, String> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = Pointer::parse(fragment)
            .ok_or_else(|| format!("`{reference}`: the fragment is not a JSON pointer"))?;
        if path.is_empty() {
            return Ok(Location {
                file: Arc::from(file),
                pointer,
            });
        }
        if path.contains("://") {
            return Err(format!(
                "`{reference}`: remote references are not fetched; download the document \
                 and refer to it by a relative path"
            ));
        }
        let name = join_relative(file, path);
        match self.files.get_key_value(name.as_str()) {
            Some((key, _)) => Ok(Location {
                file: key.clone(),
                pointer,
            }),
            None => Err(format!("`{reference}`: the file `{name}` was not loaded")),
        }
    }

    /// Loads every file that a `$ref` of a loaded file names, until none is new.
    fn load_referenced(&mut self, problems: &mut Diagnostics) {
        let mut pending: Vec<Arc<str>> = self.files.keys().cloned().collect();
        while let Some(file) = pending.pop() {
            let Some(json) = self.files.get(&file).map(|file| file.json.clone()) else {
                continue;
            };
            let mut references = Vec::new();
            collect_refs(
                &json,
                &Location {
                    file: file.clone(),
                    pointer: Pointer::root(),
                },
                &mut references,
            );
            for (at, reference) in references {
                let path = reference.split('#').next().unwrap_or_default();
                if path.is_empty() || path.contains("://") {
                    continue;
                }
                let name = join_relative(&file, path);
                if self.files.contains_key(name.as_str()) {
                    continue;
                }
                let Some(base) = &self.base else {
                    problems.push(Diagnostic::error(
                        &at,
                        format!(
                            "`{reference}`: a document given as text cannot refer to other files"
                        ),
                    ));
                    continue;
                };
                let full = base.join(&name);
                let parsed = std::fs::read_to_string(&full)
                    .map_err(|error| format!("cannot read {}: {error}", full.display()))
                    .and_then(|text| {
                        parse_file(&text).map_err(|message| {
                            format!("{}: invalid YAML: {message}", full.display())
                        })
                    });
                match parsed {
                    Ok(parsed) => {
                        let key: Arc<str> = Arc::from(name.as_str());
                        self.files.insert(key.clone(), parsed);
                        pending.push(key);
                    }
                    Err(message) => problems.push(Diagnostic::error(&at, message)),
                }
            }
        }
    }

    /// Every `$ref` of every loaded file that does not resolve, each reported once.
    pub fn check_refs(&self, problems: &mut Diagnostics) {
        for (name, file) in &self.files {
            let mut references = Vec::new();
            collect_refs(
                &file.json,
                &Location {
                    file: name.clone(),
                    pointer: Pointer::root(),
                },
                &mut references,
            );
            for (at, _) in references {
                // `at` is the `$ref` key itself; follow from the object holding it.
                let holder = Location {
                    file: at.file.clone(),
                    pointer: Pointer::parse(
                        at.pointer
                            .as_str()
                            .strip_suffix("/$ref")
                            .unwrap_or(at.pointer.as_str()),
                    )
                    .unwrap_or_default(),
                };
                if let Err(problem) = self.resolve(&holder) {
                    problems.push(problem);
                }
            }
        }
    }
}

/// `path` (relative to the directory of `file`) as a name relative to the root's
/// directory, with `.` and `..` folded.
fn join_relative(file: &str, path: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.retain(|part| !part.is_empty());
    parts.join("/")
}

fn collect_refs(value: &Value, at: &Location, out: &mut Vec<(Location, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.push((at.join("$ref"), reference.clone()));
            }
            for (key, child) in map {
                collect_refs(child, &at.join(key), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_refs(child, &at.join(index), out);
            }
        }
        _ => {}
    }
}

fn parse_file(text: &str) -> Result<File, String> {
    let ordered: serde_norway::Value =
        serde_norway::from_str(text).map_err(|error| error.to_string())?;
    let json = serde_norway::from_value(ordered.clone()).map_err(|error| error.to_string())?;
    Ok(File { json, ordered })
}

fn untag(mut value: &serde_norway::Value) -> &serde_norway::Value {
    while let serde_norway::Value::Tagged(tagged) = value {
        value = &tagged.value;
    }
    value
}

/// A YAML mapping key as the JSON object key it becomes.
fn yaml_key(key: &serde_norway::Value) -> Option<String> {
    match key {
        serde_norway::Value::String(text) => Some(text.clone()),
        serde_norway::Value::Number(number) => Some(number.to_string()),
        serde_norway::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(text: &str) -> Sources {
        Sources::parse(text, "test.yaml", None).unwrap_or_else(|problems| panic!("{problems}"))
    }

    #[test]
    fn follows_ref_chains() {
        let sources = sources("a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {type: string}\n");
        let (value, at) = sources
            .resolve(&Location::root().join("a"))
            .expect("resolves");
        assert_eq!(value["type"], "string");
        assert_eq!(at.to_string(), "#/c");
    }

    #[test]
    fn unresolved_and_looping_refs_are_reported() {
        let sources = sources("a: {x: {$ref: '#/missing'}}\nb: {$ref: '#/c'}\nc: {$ref: '#/b'}\n");
        let mut problems = Diagnostics::default();
        sources.check_refs(&mut problems);
        let text = problems.to_string();
        assert!(
            text.contains("#/a/x/$ref: unresolved $ref `#/missing`"),
            "{text}"
        );
        assert!(text.contains("loops"), "{text}");
    }

    #[test]
    fn keys_keep_document_order() {
        let sources = sources("a: {zeta: 1, alpha: 2, mid: {$ref: '#/b'}}\nb: {}\n");
        assert_eq!(
            sources.keys(&Location::root().join("a")),
            ["zeta", "alpha", "mid"]
        );
        assert!(sources.keys(&Location::root().join("missing")).is_empty());
    }

    #[test]
    fn relative_paths_fold_dots() {
        assert_eq!(join_relative("", "../common/a.yaml"), "../common/a.yaml");
        assert_eq!(join_relative("x/y.yaml", "./z.yaml"), "x/z.yaml");
        assert_eq!(join_relative("x/y.yaml", "../z.yaml"), "z.yaml");
    }

    #[test]
    fn invalid_yaml_and_remote_refs_are_errors() {
        let error = Sources::parse("a: [1, 2", "bad.yaml", None).expect_err("must fail");
        assert!(
            error.to_string().contains("bad.yaml: invalid YAML"),
            "{error}"
        );
        let sources = sources("a: {$ref: 'https://example.com/x.yaml#/a'}\n");
        let error = sources
            .resolve(&Location::root().join("a"))
            .expect_err("remote");
        assert!(error.to_string().contains("remote references"), "{error}");
    }
}
