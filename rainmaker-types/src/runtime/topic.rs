//! The pieces generated topic parsers are built from: splitting a topic into
//! segments, and [`Miss`], the furthest point a failed parse reached.

use super::error::{TopicError, TopicErrorReason};
use super::param::{IdError, TopicParam};

/// Writes `address` with its parameters (`{name}`, and the wildcards `+` and `#`)
/// replaced by `values`, in address order; values left over become further segments
/// and parameters left without one stay as written, so parsing the result reports
/// the segment at fault.
pub fn fill_address(address: &str, values: &[&str]) -> alloc::string::String {
    let mut values = values.iter();
    let mut out = alloc::string::String::with_capacity(address.len() + 16);
    for (index, segment) in address.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        match (segment.find('{'), segment.rfind('}')) {
            (Some(open), Some(close)) if open < close => match values.next() {
                Some(value) => {
                    out.push_str(segment.get(..open).unwrap_or_default());
                    out.push_str(value);
                    out.push_str(segment.get(close + 1..).unwrap_or_default());
                }
                None => out.push_str(segment),
            },
            _ if segment == "+" || segment == "#" => {
                out.push_str(values.next().copied().unwrap_or(segment));
            }
            _ => out.push_str(segment),
        }
    }
    for extra in values {
        out.push('/');
        out.push_str(extra);
    }
    out
}

/// Splits off the first `/`-separated segment: the segment, and what follows the
/// `/` (`None` when the segment is the last one).
#[inline]
pub fn split(rest: &str) -> (&str, Option<&str>) {
    // Segments are short: a plain loop beats `memchr`'s setup.
    match rest.bytes().position(|byte| byte == b'/') {
        Some(at) => (rest.get(..at).unwrap_or(rest), rest.get(at + 1..)),
        None => (rest, None),
    }
}

/// The parameter inside a segment that mixes text and a parameter
/// (`params-{group}`), when the segment has that text around it.
#[inline]
pub fn strip<'a>(segment: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    segment.strip_prefix(prefix)?.strip_suffix(suffix)
}

/// Checks a multi-level wildcard capture (`#`): any number of segments, without `+`,
/// `#` or NUL.
///
/// # Errors
///
/// [`IdError::ForbiddenChar`] at the first forbidden character.
pub fn check_levels(rest: &str) -> Result<(), IdError> {
    match rest
        .char_indices()
        .find(|&(_, c)| matches!(c, '+' | '#' | '\0'))
    {
        Some((offset, found)) => Err(IdError::ForbiddenChar { found, offset }),
        None => Ok(()),
    }
}

/// Checks a segment as a `P`, turning a failure into a [`Miss`] at `segment`.
///
/// # Errors
///
/// A [`Miss`] with [`TopicErrorReason::InvalidId`].
#[inline]
pub fn check<P: TopicParam>(value: &str, segment: usize) -> Result<(), Miss> {
    P::check(value).map_err(|error| Miss::new(segment, TopicErrorReason::InvalidId(error)))
}

/// Why a topic failed to parse, and at which segment; of two attempts, the one that
/// got further wins ([`Miss::or`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    segment: usize,
    reason: TopicErrorReason,
}

impl Miss {
    /// A failure at the 0-based `segment`.
    pub const fn new(segment: usize, reason: TopicErrorReason) -> Self {
        Self { segment, reason }
    }

    /// The failure that got further (`self` on a tie).
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        if other.segment > self.segment {
            other
        } else {
            self
        }
    }

    /// The same failure, `offset` segments further (for a topic parsed after a prefix
    /// such as `$aws/rules/<rule>/`).
    #[must_use]
    pub fn shifted(mut self, offset: usize) -> Self {
        self.segment += offset;
        self
    }

    /// The 0-based segment at fault.
    pub const fn segment(&self) -> usize {
        self.segment
    }

    /// The error for the whole `topic`.
    pub fn into_error(self, topic: &str) -> TopicError {
        TopicError::new(topic, self.segment, self.reason)
    }
}

/// Splits a basic-ingest topic (`$aws/rules/<rule>/<plain topic>`): `None` when the
/// topic is not in that form, else its rule and the plain topic.
///
/// # Errors
///
/// A [`Miss`] when the rule is empty or nothing follows it.
pub fn split_ingest(topic: &str) -> Option<Result<(&str, &str), Miss>> {
    let rest = topic.strip_prefix(super::INGEST_PREFIX)?;
    Some(match split(rest) {
        ("", _) => Err(Miss::new(2, TopicErrorReason::unknown_rule(""))),
        (_, None) => Err(Miss::new(3, TopicErrorReason::MissingSegment)),
        (rule, Some(plain)) => Ok((rule, plain)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_walks_segments() {
        assert_eq!(split("a/b/c"), ("a", Some("b/c")));
        assert_eq!(split("c"), ("c", None));
        assert_eq!(split("/x"), ("", Some("x")));
        assert_eq!(strip("params-g1", "params-", ""), Some("g1"));
        assert_eq!(strip("param", "params-", ""), None);
    }

    #[test]
    fn the_furthest_miss_wins() {
        let near = Miss::new(1, TopicErrorReason::UnknownPrefix);
        let far = Miss::new(3, TopicErrorReason::MissingSegment);
        assert_eq!(near.clone().or(far.clone()), far);
        assert_eq!(far.clone().or(near), far);
    }

    #[test]
    fn ingest_topics_split_at_the_rule() {
        assert_eq!(split_ingest("node/x"), None);
        assert_eq!(
            split_ingest("$aws/rules/r/node/x"),
            Some(Ok(("r", "node/x")))
        );
        assert_eq!(
            split_ingest("$aws/rules/r"),
            Some(Err(Miss::new(3, TopicErrorReason::MissingSegment)))
        );
    }
}
