//! Loading the AsyncAPI document and following its local `$ref`s.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::pointer::Pointer;

/// How many `$ref` hops are followed before a chain is reported as a cycle.
const MAX_REF_HOPS: usize = 32;

/// An error in the spec, located by a JSON pointer wherever the spec is readable.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is not valid YAML (or not representable as JSON).
    #[error("{origin}: invalid YAML: {message}")]
    Yaml {
        /// Where the text came from (a path or a label).
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A `$ref` that does not point to anything in the document.
    #[error("{at}: unresolved $ref `{target}`")]
    UnresolvedRef {
        /// Where the `$ref` is written.
        at: Pointer,
        /// The reference text.
        target: String,
    },
    /// A chain of `$ref`s that loops (or is longer than the hop limit).
    #[error("{at}: $ref chain loops or is longer than {MAX_REF_HOPS} hops")]
    RefCycle {
        /// Where the chain starts.
        at: Pointer,
    },
    /// A construct the tooling does not support, or a required field that is missing.
    #[error("{at}: {message}")]
    Invalid {
        /// Where the problem is.
        at: Pointer,
        /// What is wrong.
        message: String,
    },
}

impl SpecError {
    /// A problem at `at`, described by `message`.
    pub fn invalid(at: &Pointer, message: impl Into<String>) -> Self {
        Self::Invalid {
            at: at.clone(),
            message: message.into(),
        }
    }
}

/// A loaded spec: the YAML document as a JSON value, plus where it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    origin: String,
    document: Value,
    /// The same document as parsed YAML, which keeps the key order of mappings
    /// (`document` does not: its objects are sorted).
    ordered: serde_norway::Value,
}

impl Spec {
    /// Reads and parses the spec at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_yaml(&text, path.display().to_string())
    }

    /// Parses spec text; `origin` names it in error messages.
    pub fn from_yaml(text: &str, origin: impl Into<String>) -> Result<Self, SpecError> {
        let origin = origin.into();
        let yaml_error = |error: serde_norway::Error| SpecError::Yaml {
            origin: origin.clone(),
            message: error.to_string(),
        };
        let ordered: serde_norway::Value = serde_norway::from_str(text).map_err(yaml_error)?;
        let document = serde_norway::from_value(ordered.clone()).map_err(yaml_error)?;
        Ok(Self {
            origin,
            document,
            ordered,
        })
    }

    /// Where the spec came from (its path, or the label given to [`Spec::from_yaml`]).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The whole document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The keys of the mapping at `pointer` (no `$ref`s followed) in the order the
    /// document writes them; `None` when there is no mapping there.
    pub fn ordered_keys(&self, pointer: &Pointer) -> Option<Vec<String>> {
        let mut value = &self.ordered;
        for token in pointer.tokens() {
            value = match value {
                serde_norway::Value::Mapping(map) => map.iter().find_map(|(key, child)| {
                    (yaml_key(key).as_deref() == Some(token.as_str())).then_some(child)
                })?,
                serde_norway::Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
                serde_norway::Value::Tagged(tagged) => &tagged.value,
                _ => return None,
            };
        }
        while let serde_norway::Value::Tagged(tagged) = value {
            value = &tagged.value;
        }
        match value {
            serde_norway::Value::Mapping(map) => Some(map.keys().filter_map(yaml_key).collect()),
            _ => None,
        }
    }

    /// The value at `pointer`, without following `$ref`s.
    pub fn get(&self, pointer: &Pointer) -> Option<&Value> {
        self.document.pointer(pointer.as_str())
    }

    /// The value at `pointer` after following `$ref`s, with the pointer where it
    /// really lives.
    pub fn resolve(&self, pointer: &Pointer) -> Result<(&Value, Pointer), SpecError> {
        let value = self
            .get(pointer)
            .ok_or_else(|| SpecError::invalid(pointer, "no such location"))?;
        self.follow(value, pointer)
    }

    /// Follows `value` (found at `at`) through any chain of `$ref`s to the value it
    /// stands for. A value without `$ref` is returned as it is.
    pub fn follow<'a>(
        &'a self,
        mut value: &'a Value,
        at: &Pointer,
    ) -> Result<(&'a Value, Pointer), SpecError> {
        let mut here = at.clone();
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = value.get("$ref") else {
                return Ok((value, here));
            };
            let unresolved = || SpecError::UnresolvedRef {
                at: here.join("$ref"),
                target: target.to_string(),
            };
            let pointer = target
                .as_str()
                .and_then(Pointer::parse)
                .ok_or_else(unresolved)?;
            value = self.get(&pointer).ok_or_else(unresolved)?;
            here = pointer;
        }
        Err(SpecError::RefCycle { at: at.clone() })
    }

    /// Checks that every `$ref` anywhere in the document resolves.
    pub fn check_refs(&self) -> Result<(), SpecError> {
        fn walk(spec: &Spec, value: &Value, at: &Pointer) -> Result<(), SpecError> {
            match value {
                Value::Object(map) => {
                    if map.contains_key("$ref") {
                        spec.follow(value, at)?;
                    }
                    map.iter()
                        .try_for_each(|(key, child)| walk(spec, child, &at.join(key)))
                }
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .try_for_each(|(index, child)| walk(spec, child, &at.join(index))),
                _ => Ok(()),
            }
        }
        walk(self, &self.document, &Pointer::root())
    }
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

    fn spec(text: &str) -> Spec {
        Spec::from_yaml(text, "test.yaml").expect("valid YAML")
    }

    #[test]
    fn follows_ref_chains() {
        let spec = spec("a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {type: string}\n");
        let (value, at) = spec.resolve(&Pointer::root().join("a")).expect("resolves");
        assert_eq!(value["type"], "string");
        assert_eq!(at.as_str(), "/c");
    }

    #[test]
    fn unresolved_ref_names_its_location() {
        let spec = spec("a: {x: {$ref: '#/missing'}}\n");
        let error = spec.check_refs().expect_err("must fail");
        assert_eq!(
            error.to_string(),
            "#/a/x/$ref: unresolved $ref `\"#/missing\"`"
        );
    }

    #[test]
    fn ref_cycles_are_errors() {
        let spec = spec("a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n");
        assert!(matches!(spec.check_refs(), Err(SpecError::RefCycle { .. })));
    }

    #[test]
    fn ordered_keys_keep_document_order() {
        let spec = spec("a: {zeta: 1, alpha: 2, mid: {$ref: '#/b'}}\nb: {}\n");
        let keys = spec.ordered_keys(&Pointer::root().join("a"));
        assert_eq!(
            keys,
            Some(vec![
                "zeta".to_owned(),
                "alpha".to_owned(),
                "mid".to_owned()
            ])
        );
        assert_eq!(spec.ordered_keys(&Pointer::root().join("missing")), None);
    }

    #[test]
    fn invalid_yaml_is_an_error() {
        let error = Spec::from_yaml("a: [1, 2", "bad.yaml").expect_err("must fail");
        assert!(
            error.to_string().starts_with("bad.yaml: invalid YAML"),
            "{error}"
        );
    }
}
