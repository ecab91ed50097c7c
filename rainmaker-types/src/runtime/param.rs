//! Checked topic parameters: the [`TopicParam`] trait every parameter type of a
//! generated `Topic` implements, and [`Param`], the string newtype generated code
//! uses for a parameter whose schema gives its rules (length, pattern).

use alloc::string::String;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::str::FromStr;

use super::pattern::Pattern;

/// Why a string is not a valid value of a topic parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The value is empty.
    #[error("id is empty")]
    Empty,
    /// The value is longer than the limit.
    #[error("id is {len} bytes long, more than the limit of {max}")]
    TooLong {
        /// The value's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The value is shorter than the minimum.
    #[error("id is {len} characters long, fewer than the minimum of {min}")]
    TooShort {
        /// The value's length in characters.
        len: usize,
        /// The minimum.
        min: usize,
    },
    /// The value is a word that topics reserve (a group named `init` would make
    /// `params/local/init` ambiguous).
    #[error("`{0}` is reserved and cannot be used as this id")]
    Reserved(&'static str),
    /// The value holds a character that has a meaning in MQTT topics (`/`, `+`, `#`)
    /// or that the parameter forbids.
    #[error("id holds {found:?} at byte {offset}, which topics cannot carry in an id")]
    ForbiddenChar {
        /// The offending character.
        found: char,
        /// Its byte offset in the value.
        offset: usize,
    },
    /// The value does not match the parameter's pattern.
    #[error("id does not match the pattern `{pattern}`")]
    Pattern {
        /// The pattern, as the document writes it.
        pattern: &'static str,
    },
    /// The value is not one of the parameter's listed values.
    #[error("id is not one of the values the parameter lists")]
    NotListed,
}

/// A value that can stand in a topic segment: parsed from the segment and written
/// back unchanged.
///
/// [`TopicParam::check`] applies the same rules as [`TopicParam::from_segment`]
/// without building the value, so topics can be classified without allocating.
pub trait TopicParam: Sized {
    /// Checks a segment.
    ///
    /// # Errors
    ///
    /// The [`IdError`] that [`TopicParam::from_segment`] would return.
    fn check(segment: &str) -> Result<(), IdError>;

    /// Parses a segment.
    ///
    /// # Errors
    ///
    /// An [`IdError`] saying which rule the segment breaks.
    fn from_segment(segment: &str) -> Result<Self, IdError>;

    /// Builds the value of a segment that passed [`TopicParam::check`], without
    /// checking it again. Given any other segment, the value may break the rules.
    fn from_checked(segment: &str) -> Self;

    /// The segment text.
    fn as_segment(&self) -> &str;
}

/// The rules of a [`Param`], generated from a channel parameter's schema.
pub trait ParamRule {
    /// The parameter's name in the document (`streetlightId`).
    const NAME: &'static str;

    /// Checks a value.
    ///
    /// # Errors
    ///
    /// An [`IdError`] saying which rule the value breaks.
    fn check(value: &str) -> Result<(), IdError>;
}

/// The rules every string parameter follows, then the ones its schema adds: not
/// empty unless `min_chars` is 0, at most `max_bytes` bytes, at least `min_chars`
/// characters, no `/`, `+`, `#` or NUL (they would change the topic), and a match
/// of `pattern`.
///
/// # Errors
///
/// The first rule broken, in that order.
pub fn check_text(
    value: &str,
    min_chars: usize,
    max_bytes: Option<usize>,
    pattern: Option<&Pattern>,
) -> Result<(), IdError> {
    if value.is_empty() && min_chars > 0 {
        return Err(IdError::Empty);
    }
    if let Some(max) = max_bytes
        && value.len() > max
    {
        return Err(IdError::TooLong {
            len: value.len(),
            max,
        });
    }
    if let Some((offset, found)) = value
        .char_indices()
        .find(|&(_, c)| matches!(c, '/' | '+' | '#' | '\0'))
    {
        return Err(IdError::ForbiddenChar { found, offset });
    }
    if min_chars > 1 {
        let len = value.chars().count();
        if len < min_chars {
            return Err(IdError::TooShort {
                len,
                min: min_chars,
            });
        }
    }
    match pattern {
        Some(pattern) if !pattern.is_match(value) => Err(IdError::Pattern {
            pattern: pattern.source(),
        }),
        _ => Ok(()),
    }
}

/// A checked string parameter: the value of a channel parameter whose rules come
/// from the document (`R`).
///
/// ```
/// use rainmaker_types::runtime::{IdError, Param, ParamRule, param::check_text};
///
/// enum RoomRule {}
/// impl ParamRule for RoomRule {
///     const NAME: &'static str = "room";
///     fn check(value: &str) -> Result<(), IdError> {
///         check_text(value, 1, Some(16), None)
///     }
/// }
/// type Room = Param<RoomRule>;
///
/// let room = Room::new("kitchen")?;
/// assert_eq!(room.as_str(), "kitchen");
/// assert_eq!(Room::new("a/b"), Err(IdError::ForbiddenChar { found: '/', offset: 1 }));
/// # Ok::<(), IdError>(())
/// ```
pub struct Param<R> {
    value: String,
    rule: PhantomData<fn() -> R>,
}

impl<R: ParamRule> Param<R> {
    /// Checks and wraps a value.
    ///
    /// # Errors
    ///
    /// An [`IdError`] saying which rule the value breaks.
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        R::check(&value)?;
        Ok(Self {
            value,
            rule: PhantomData,
        })
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The value as an owned string.
    pub fn into_string(self) -> String {
        self.value
    }
}

impl<R: ParamRule> TopicParam for Param<R> {
    fn check(segment: &str) -> Result<(), IdError> {
        R::check(segment)
    }

    fn from_segment(segment: &str) -> Result<Self, IdError> {
        Self::new(segment)
    }

    fn from_checked(segment: &str) -> Self {
        Self {
            value: segment.into(),
            rule: PhantomData,
        }
    }

    fn as_segment(&self) -> &str {
        &self.value
    }
}

impl<R> Clone for Param<R> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            rule: PhantomData,
        }
    }
}

impl<R> PartialEq for Param<R> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<R> Eq for Param<R> {}

impl<R> PartialOrd for Param<R> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<R> Ord for Param<R> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<R> Hash for Param<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<R: ParamRule> fmt::Debug for Param<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", R::NAME, self.value)
    }
}

impl<R> fmt::Display for Param<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<R: ParamRule> FromStr for Param<R> {
    type Err = IdError;

    fn from_str(value: &str) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl<R: ParamRule> TryFrom<&str> for Param<R> {
    type Error = IdError;

    fn try_from(value: &str) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl<R: ParamRule> TryFrom<String> for Param<R> {
    type Error = IdError;

    fn try_from(value: String) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl<R> AsRef<str> for Param<R> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<R> PartialEq<str> for Param<R> {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<R> PartialEq<&str> for Param<R> {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

impl<R> serde::Serialize for Param<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, R: ParamRule> serde::Deserialize<'de> for Param<R> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}

/// A single-level wildcard (`+`) of a channel address: any segment, empty included,
/// without `/`, `+`, `#` or NUL.
impl TopicParam for String {
    fn check(segment: &str) -> Result<(), IdError> {
        check_text(segment, 0, None, None)
    }

    fn from_segment(segment: &str) -> Result<Self, IdError> {
        check_text(segment, 0, None, None)?;
        Ok(segment.into())
    }

    fn from_checked(segment: &str) -> Self {
        segment.into()
    }

    fn as_segment(&self) -> &str {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    enum Short {}
    impl ParamRule for Short {
        const NAME: &'static str = "short";
        fn check(value: &str) -> Result<(), IdError> {
            check_text(value, 2, Some(4), None)
        }
    }

    #[test]
    fn rules_apply_in_order() {
        assert_eq!(Param::<Short>::new(""), Err(IdError::Empty));
        assert_eq!(
            Param::<Short>::new("é"),
            Err(IdError::TooShort { len: 1, min: 2 })
        );
        assert_eq!(
            Param::<Short>::new("abcde"),
            Err(IdError::TooLong { len: 5, max: 4 })
        );
        assert_eq!(
            Param::<Short>::new("a#"),
            Err(IdError::ForbiddenChar {
                found: '#',
                offset: 1
            })
        );
        let value = Param::<Short>::new("ab").expect("valid");
        assert_eq!(format!("{value:?} {value}"), "short(\"ab\") ab");
    }

    #[test]
    fn wildcard_segments_may_be_empty_but_not_hold_separators() {
        assert_eq!(String::from_segment("").as_deref(), Ok(""));
        assert!(String::check("a/b").is_err());
    }
}
