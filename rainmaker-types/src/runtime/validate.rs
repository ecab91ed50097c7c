//! The JSON Schema keywords that constrain a value without changing its shape
//! (`minLength`, `maximum`, `pattern`, `uniqueItems`, ...), checked on decoded values.
//!
//! The generator writes each constrained schema's rules as a `static` table
//! ([`StringRules`], [`NumberRules`], [`ArrayRules`], [`ObjectRules`]) and, per type,
//! a `validate_at` that hands each value to the one routine of its kind here, so the
//! code per field is a call, not a copy of the check. A broken rule is a
//! [`Violation`] that names the JSON path, the keyword and its limit.
//!
//! ```
//! use rainmaker_types::runtime::validate::{Keyword, Path, StringRules};
//!
//! static NAME: StringRules = StringRules { max_chars: Some(4), ..StringRules::NONE };
//! let root = Path::root();
//! let at = root.key("name");
//! assert!(NAME.check("lamp", &at).is_ok());
//! let violation = NAME.check("lamps", &at).unwrap_err();
//! assert_eq!(violation.keyword(), Keyword::MaxLength);
//! assert_eq!(violation.path(), "$.name");
//! assert_eq!(violation.to_string(), "$.name: 5 characters, over `maxLength` 4");
//! ```

use alloc::string::String;
use core::fmt;

use super::Pattern;

/// A value that can check the rules of its schema: implemented by every generated
/// struct and `oneOf` enum (and their borrowed views). Decoding calls it after the
/// types have done their part; encoding calls it first.
pub trait Validate {
    /// Checks the value found at `at`.
    ///
    /// # Errors
    ///
    /// The first rule broken.
    fn validate_at(&self, at: &Path<'_>) -> Result<(), Violation>;

    /// Checks the value as a whole payload (at `$`).
    ///
    /// # Errors
    ///
    /// The first rule broken.
    fn validate(&self) -> Result<(), Violation> {
        self.validate_at(&Path::root())
    }
}

/// Where a value is inside a payload, built on the stack as validation descends
/// (nothing is allocated unless a rule is broken).
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

/// One step of a [`Path`].
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The payload itself (`$`).
    pub const fn root() -> Self {
        Self {
            parent: None,
            step: Step::Root,
        }
    }

    /// The property `key` of the object at `self`.
    pub const fn key(&'a self, key: &'a str) -> Self {
        Self {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The item `index` of the array at `self`.
    pub const fn index(&'a self, index: usize) -> Self {
        Self {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    /// The path as text: `$`, `$.config.devices[0].name`, `$["a b"]`.
    pub fn render(&self) -> String {
        let mut steps = alloc::vec::Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut out = String::from("$");
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) if is_plain_key(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Step::Key(key) => {
                    out.push_str("[\"");
                    for c in key.chars() {
                        if matches!(c, '"' | '\\') {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push_str("\"]");
                }
                Step::Index(index) => {
                    use core::fmt::Write as _;
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }
}

/// Whether `key` can follow a `.` in a rendered path.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A JSON Schema keyword that a value can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Keyword {
    /// `minLength`: the fewest characters (Unicode scalar values).
    MinLength,
    /// `maxLength`: the most characters.
    MaxLength,
    /// `pattern`: a regular expression the string matches somewhere.
    Pattern,
    /// `format`: one of the formats the generated code checks ([`Format`]).
    Format,
    /// `minimum`: the smallest number allowed.
    Minimum,
    /// `maximum`: the largest number allowed.
    Maximum,
    /// `exclusiveMinimum`: numbers must be larger.
    ExclusiveMinimum,
    /// `exclusiveMaximum`: numbers must be smaller.
    ExclusiveMaximum,
    /// `multipleOf`: numbers must be a whole multiple of it.
    MultipleOf,
    /// `minItems`: the fewest array items.
    MinItems,
    /// `maxItems`: the most array items.
    MaxItems,
    /// `uniqueItems`: no two array items are equal.
    UniqueItems,
    /// `minProperties`: the fewest object properties.
    MinProperties,
    /// `maxProperties`: the most object properties.
    MaxProperties,
    /// `dependentRequired`: a property that must be present when another is.
    DependentRequired,
}

impl Keyword {
    /// The keyword as JSON Schema spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::MinLength => "minLength",
            Self::MaxLength => "maxLength",
            Self::Pattern => "pattern",
            Self::Format => "format",
            Self::Minimum => "minimum",
            Self::Maximum => "maximum",
            Self::ExclusiveMinimum => "exclusiveMinimum",
            Self::ExclusiveMaximum => "exclusiveMaximum",
            Self::MultipleOf => "multipleOf",
            Self::MinItems => "minItems",
            Self::MaxItems => "maxItems",
            Self::UniqueItems => "uniqueItems",
            Self::MinProperties => "minProperties",
            Self::MaxProperties => "maxProperties",
            Self::DependentRequired => "dependentRequired",
        }
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the value was, and the keyword's limit it broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Limit {
    /// A count (characters, items, properties): the value's and the limit.
    Count {
        /// How many the value has.
        actual: usize,
        /// The keyword's limit.
        limit: usize,
    },
    /// A number: the value and the limit.
    Number {
        /// The value.
        actual: f64,
        /// The keyword's limit.
        limit: f64,
    },
    /// The pattern the string does not match, as the document writes it.
    Pattern(&'static str),
    /// The format the string is not in.
    Format(Format),
    /// The index of the first item that repeats an earlier one.
    Repeated(usize),
    /// The property that is missing.
    Property(String),
}

/// A value that breaks a rule of its schema: where, which keyword, which limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    path: String,
    keyword: Keyword,
    limit: Limit,
}

impl Violation {
    /// A violation of `keyword` at `path`.
    pub fn new(path: &Path<'_>, keyword: Keyword, limit: Limit) -> Self {
        Self {
            path: path.render(),
            keyword,
            limit,
        }
    }

    /// The JSON path of the value (`$.devices[0].name`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The keyword the value breaks.
    pub fn keyword(&self) -> Keyword {
        self.keyword
    }

    /// The limit, and what the value was.
    pub fn limit(&self) -> &Limit {
        &self.limit
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, keyword) = (&self.path, self.keyword);
        let noun = match keyword {
            Keyword::MinLength | Keyword::MaxLength => "characters",
            Keyword::MinItems | Keyword::MaxItems => "items",
            _ => "properties",
        };
        match &self.limit {
            Limit::Count { actual, limit } => {
                let side = match keyword {
                    Keyword::MinLength | Keyword::MinItems | Keyword::MinProperties => "under",
                    _ => "over",
                };
                write!(f, "{path}: {actual} {noun}, {side} `{keyword}` {limit}")
            }
            Limit::Number { actual, limit } => {
                write!(f, "{path}: {actual} breaks `{keyword}` {limit}")
            }
            Limit::Pattern(pattern) => {
                write!(f, "{path}: does not match `pattern` `{pattern}`")
            }
            Limit::Format(format) => write!(f, "{path}: not a valid `{}`", format.name()),
            Limit::Repeated(index) => {
                write!(
                    f,
                    "{path}: item {index} repeats an earlier one (`uniqueItems`)"
                )
            }
            Limit::Property(name) => {
                write!(f, "{path}: property `{name}` is missing (`{keyword}`)")
            }
        }
    }
}

impl core::error::Error for Violation {}

/// The rules of a string schema.
#[derive(Debug, Clone, Copy)]
pub struct StringRules {
    /// `minLength`.
    pub min_chars: Option<usize>,
    /// `maxLength`.
    pub max_chars: Option<usize>,
    /// `pattern`, compiled by the generator.
    pub pattern: Option<&'static Pattern>,
    /// `format`, when it is one the generated code checks.
    pub format: Option<Format>,
}

impl StringRules {
    /// No rule: the base of a `static` written with `..StringRules::NONE`.
    pub const NONE: Self = Self {
        min_chars: None,
        max_chars: None,
        pattern: None,
        format: None,
    };

    /// Checks `value`, found at `at`.
    ///
    /// # Errors
    ///
    /// The first rule `value` breaks, in the order of the fields.
    pub fn check(&self, value: &str, at: &Path<'_>) -> Result<(), Violation> {
        if self.min_chars.is_some() || self.max_chars.is_some() {
            let actual = value.chars().count();
            let bounds = (self.min_chars, self.max_chars);
            count_within(actual, bounds, (Keyword::MinLength, Keyword::MaxLength), at)?;
        }
        if let Some(pattern) = self.pattern.filter(|pattern| !pattern.is_match(value)) {
            return Err(Violation::new(
                at,
                Keyword::Pattern,
                Limit::Pattern(pattern.source()),
            ));
        }
        if let Some(format) = self.format.filter(|format| !format.accepts(value)) {
            return Err(Violation::new(at, Keyword::Format, Limit::Format(format)));
        }
        Ok(())
    }
}

/// The rules of a number or integer schema.
#[derive(Debug, Clone, Copy)]
pub struct NumberRules {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (the number form of JSON Schema 2019 and later).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf` (greater than 0).
    pub multiple_of: Option<f64>,
}

impl NumberRules {
    /// No rule: the base of a `static` written with `..NumberRules::NONE`.
    pub const NONE: Self = Self {
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        multiple_of: None,
    };

    /// Checks `value` (an integer is checked as the `f64` nearest to it), found at
    /// `at`.
    ///
    /// # Errors
    ///
    /// The first rule `value` breaks, in the order of the fields.
    pub fn check(&self, value: f64, at: &Path<'_>) -> Result<(), Violation> {
        let broken = |keyword, limit| {
            Err(Violation::new(
                at,
                keyword,
                Limit::Number {
                    actual: value,
                    limit,
                },
            ))
        };
        if let Some(limit) = self.minimum.filter(|limit| value < *limit) {
            return broken(Keyword::Minimum, limit);
        }
        if let Some(limit) = self.maximum.filter(|limit| value > *limit) {
            return broken(Keyword::Maximum, limit);
        }
        if let Some(limit) = self.exclusive_minimum.filter(|limit| value <= *limit) {
            return broken(Keyword::ExclusiveMinimum, limit);
        }
        if let Some(limit) = self.exclusive_maximum.filter(|limit| value >= *limit) {
            return broken(Keyword::ExclusiveMaximum, limit);
        }
        if let Some(limit) = self.multiple_of.filter(|limit| !is_multiple(value, *limit)) {
            return broken(Keyword::MultipleOf, limit);
        }
        Ok(())
    }
}

/// Whether `value` is a whole multiple of `step` (`step > 0`): exactly for whole
/// numbers, else within the rounding of one division.
fn is_multiple(value: f64, step: f64) -> bool {
    if step <= 0.0 || !value.is_finite() {
        return false;
    }
    let quotient = value / step;
    if !quotient.is_finite() {
        return false;
    }
    let whole = libm::round(quotient);
    if value == libm::trunc(value) && step == libm::trunc(step) {
        return libm::fmod(value, step) == 0.0;
    }
    libm::fabs(quotient - whole) <= f64::EPSILON * libm::fabs(quotient).max(1.0)
}

/// The rules of an array schema.
#[derive(Debug, Clone, Copy)]
pub struct ArrayRules {
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
}

impl ArrayRules {
    /// No rule: the base of a `static` written with `..ArrayRules::NONE`.
    pub const NONE: Self = Self {
        min_items: None,
        max_items: None,
        unique_items: false,
    };

    /// Checks the items of an array found at `at`; `same(a, b)` compares two items
    /// as JSON values (used for `uniqueItems` only).
    ///
    /// # Errors
    ///
    /// The first rule the array breaks.
    pub fn check<T>(
        &self,
        items: &[T],
        same: impl Fn(&T, &T) -> bool,
        at: &Path<'_>,
    ) -> Result<(), Violation> {
        let bounds = (self.min_items, self.max_items);
        count_within(
            items.len(),
            bounds,
            (Keyword::MinItems, Keyword::MaxItems),
            at,
        )?;
        if self.unique_items {
            for (index, item) in items.iter().enumerate() {
                if items[..index].iter().any(|earlier| same(earlier, item)) {
                    return Err(Violation::new(
                        at,
                        Keyword::UniqueItems,
                        Limit::Repeated(index),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The rules of an object schema on its number of properties.
#[derive(Debug, Clone, Copy)]
pub struct ObjectRules {
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// `maxProperties`.
    pub max_properties: Option<usize>,
}

impl ObjectRules {
    /// No rule.
    pub const NONE: Self = Self {
        min_properties: None,
        max_properties: None,
    };

    /// Checks an object of `count` properties found at `at`.
    ///
    /// # Errors
    ///
    /// The rule the count breaks.
    pub fn check(&self, count: usize, at: &Path<'_>) -> Result<(), Violation> {
        let bounds = (self.min_properties, self.max_properties);
        count_within(
            count,
            bounds,
            (Keyword::MinProperties, Keyword::MaxProperties),
            at,
        )
    }
}

/// `actual` is within `min..=max`, else the violation of `min_keyword` or
/// `max_keyword`.
fn count_within(
    actual: usize,
    (min, max): (Option<usize>, Option<usize>),
    (min_keyword, max_keyword): (Keyword, Keyword),
    at: &Path<'_>,
) -> Result<(), Violation> {
    let broken = match (min, max) {
        (Some(limit), _) if actual < limit => Some((min_keyword, limit)),
        (_, Some(limit)) if actual > limit => Some((max_keyword, limit)),
        _ => None,
    };
    match broken {
        Some((keyword, limit)) => Err(Violation::new(at, keyword, Limit::Count { actual, limit })),
        None => Ok(()),
    }
}

/// The `format` values the generated code checks; any other format is named in the
/// type's docs as unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `date-time`: RFC 3339 (`2024-05-01T12:00:00Z`, `...T12:00:00.5+02:00`).
    DateTime,
    /// `date`: RFC 3339 full-date (`2024-05-01`).
    Date,
    /// `email`: a local part, `@`, and a domain of dot-separated labels.
    Email,
    /// `uri`: an absolute URI (a scheme, `:`, no spaces).
    Uri,
    /// `uuid`: 8-4-4-4-12 hexadecimal digits.
    Uuid,
    /// `ipv4`: a dotted quad of decimal octets without leading zeros.
    Ipv4,
}

impl Format {
    /// Every checked format.
    pub const ALL: [Self; 6] = [
        Self::DateTime,
        Self::Date,
        Self::Email,
        Self::Uri,
        Self::Uuid,
        Self::Ipv4,
    ];

    /// The format as JSON Schema spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::DateTime => "date-time",
            Self::Date => "date",
            Self::Email => "email",
            Self::Uri => "uri",
            Self::Uuid => "uuid",
            Self::Ipv4 => "ipv4",
        }
    }

    /// The checked format called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// Whether `value` is in this format.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Self::DateTime => formats::date_time(value),
            Self::Date => formats::date(value.as_bytes()),
            Self::Email => formats::email(value),
            Self::Uri => formats::uri(value),
            Self::Uuid => formats::uuid(value.as_bytes()),
            Self::Ipv4 => formats::ipv4(value),
        }
    }
}

/// The format checks, each a small hand-written recogniser.
mod formats {
    /// `n` ASCII digits at the start of `bytes`, as a number.
    fn digits(bytes: &[u8], n: usize) -> Option<u32> {
        let part = bytes.get(..n)?;
        part.iter().try_fold(0u32, |acc, byte| {
            byte.is_ascii_digit()
                .then(|| acc * 10 + u32::from(byte - b'0'))
        })
    }

    /// `YYYY-MM-DD` with a day that exists in that month.
    pub(super) fn date(bytes: &[u8]) -> bool {
        let (Some(year), Some(month), Some(day)) = (
            digits(bytes, 4),
            digits(bytes.get(5..).unwrap_or_default(), 2),
            digits(bytes.get(8..).unwrap_or_default(), 2),
        ) else {
            return false;
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return false;
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days).contains(&day)
    }

    /// RFC 3339 `date-time`: a date, `T`, `HH:MM:SS`, optional fraction, and `Z` or
    /// an offset `+HH:MM`.
    pub(super) fn date_time(value: &str) -> bool {
        let bytes = value.as_bytes();
        if bytes.len() < 20 || !date(&bytes[..10]) || !matches!(bytes[10], b'T' | b't') {
            return false;
        }
        let time = &bytes[11..];
        let (Some(hour), Some(minute), Some(second)) = (
            digits(time, 2),
            digits(time.get(3..).unwrap_or_default(), 2),
            digits(time.get(6..).unwrap_or_default(), 2),
        ) else {
            return false;
        };
        if time[2] != b':' || time[5] != b':' || hour > 23 || minute > 59 || second > 60 {
            return false;
        }
        let mut rest = &time[8..];
        if let Some(fraction) = rest.strip_prefix(b".") {
            let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if count == 0 {
                return false;
            }
            rest = &fraction[count..];
        }
        match rest {
            [b'Z' | b'z'] => true,
            [b'+' | b'-', offset @ ..] => {
                offset.len() == 5
                    && offset[2] == b':'
                    && digits(offset, 2).is_some_and(|h| h <= 23)
                    && digits(&offset[3..], 2).is_some_and(|m| m <= 59)
            }
            _ => false,
        }
    }

    /// `local@domain`: a local part of printable characters without spaces, and a
    /// domain of dot-separated labels of letters, digits and hyphens.
    pub(super) fn email(value: &str) -> bool {
        let Some((local, domain)) = value.rsplit_once('@') else {
            return false;
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        local_ok
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    }

    /// An absolute URI: `scheme:` (a letter, then letters, digits, `+`, `-`, `.`)
    /// and a rest of printable ASCII without spaces.
    pub(super) fn uri(value: &str) -> bool {
        let Some((scheme, rest)) = value.split_once(':') else {
            return false;
        };
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && rest
                .chars()
                .all(|c| c.is_ascii_graphic() && !"<>\"{}|\\^`".contains(c))
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal.
    pub(super) fn uuid(bytes: &[u8]) -> bool {
        bytes.len() == 36
            && bytes.iter().enumerate().all(|(index, byte)| match index {
                8 | 13 | 18 | 23 => *byte == b'-',
                _ => byte.is_ascii_hexdigit(),
            })
    }

    /// Four decimal octets (0 to 255, no leading zero) separated by `.`.
    pub(super) fn ipv4(value: &str) -> bool {
        let mut count = 0;
        for part in value.split('.') {
            count += 1;
            let ok = !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && !(part.len() > 1 && part.starts_with('0'))
                && part.parse::<u16>().is_ok_and(|n| n <= 255);
            if !ok {
                return false;
            }
        }
        count == 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn paths_render_keys_indices_and_awkward_keys() {
        let root = Path::root();
        let devices = root.key("devices");
        let first = devices.index(0);
        let name = first.key("a b");
        assert_eq!(name.render(), r#"$.devices[0]["a b"]"#);
        assert_eq!(root.render(), "$");
        assert_eq!(root.key("1st").render(), r#"$["1st"]"#);
    }

    #[test]
    fn strings_count_characters_not_bytes() {
        static RULES: StringRules = StringRules {
            min_chars: Some(2),
            max_chars: Some(2),
            ..StringRules::NONE
        };
        let root = Path::root();
        assert!(RULES.check("é!", &root).is_ok());
        let short = RULES.check("é", &root).unwrap_err();
        assert_eq!(
            short.limit(),
            &Limit::Count {
                actual: 1,
                limit: 2
            }
        );
        assert_eq!(short.to_string(), "$: 1 characters, under `minLength` 2");
    }

    #[test]
    fn numbers_check_each_bound() {
        static RULES: NumberRules = NumberRules {
            minimum: Some(0.0),
            exclusive_maximum: Some(100.0),
            multiple_of: Some(0.5),
            ..NumberRules::NONE
        };
        let root = Path::root();
        assert!(RULES.check(99.5, &root).is_ok());
        assert!(RULES.check(0.0, &root).is_ok());
        let cases = [
            (-1.0, Keyword::Minimum),
            (100.0, Keyword::ExclusiveMaximum),
            (0.25, Keyword::MultipleOf),
        ];
        for (value, keyword) in cases {
            assert_eq!(
                RULES.check(value, &root).unwrap_err().keyword(),
                keyword,
                "{value}"
            );
        }
        assert!(is_multiple(0.3, 0.1));
        assert!(is_multiple(9_007_199_254_740_990.0, 2.0));
        assert!(!is_multiple(7.0, 2.0));
    }

    #[test]
    fn arrays_check_length_and_repeats() {
        static RULES: ArrayRules = ArrayRules {
            max_items: Some(3),
            unique_items: true,
            ..ArrayRules::NONE
        };
        let root = Path::root();
        assert!(RULES.check(&[1, 2, 3], |a, b| a == b, &root).is_ok());
        let repeated = RULES.check(&[1, 2, 1], |a, b| a == b, &root).unwrap_err();
        assert_eq!(repeated.limit(), &Limit::Repeated(2));
        let long = RULES
            .check(&[1, 2, 3, 4], |a, b| a == b, &root)
            .unwrap_err();
        assert_eq!(long.keyword(), Keyword::MaxItems);
    }

    #[test]
    fn formats_accept_and_refuse() {
        let cases: &[(Format, &[&str], &[&str])] = &[
            (
                Format::DateTime,
                &["2024-02-29T23:59:60Z", "2024-05-01T12:00:00.125+02:00"],
                &[
                    "2023-02-29T00:00:00Z",
                    "2024-05-01 12:00:00Z",
                    "2024-05-01T24:00:00Z",
                ],
            ),
            (Format::Date, &["2024-12-31"], &["2024-13-01", "24-12-31"]),
            (
                Format::Email,
                &["a.b+c@example.com", "x@localhost"],
                &["a@", "@b.com", "a b@c.com", "a..b@c.com"],
            ),
            (
                Format::Uri,
                &["https://example.com/a?b=c", "urn:isbn:0451450523"],
                &["example.com", "http://a b", "1http://x"],
            ),
            (
                Format::Uuid,
                &["123e4567-e89b-12d3-a456-426614174000"],
                &[
                    "123e4567e89b12d3a456426614174000",
                    "123e4567-e89b-12d3-a456-42661417400g",
                ],
            ),
            (
                Format::Ipv4,
                &["192.168.0.1", "0.0.0.0"],
                &["256.1.1.1", "01.1.1.1", "1.1.1", "1.1.1.1.1"],
            ),
        ];
        for (format, good, bad) in cases {
            for value in *good {
                assert!(format.accepts(value), "{} {value}", format.name());
            }
            for value in *bad {
                assert!(!format.accepts(value), "{} {value}", format.name());
            }
            assert_eq!(Format::from_name(format.name()), Some(*format));
        }
    }
}
