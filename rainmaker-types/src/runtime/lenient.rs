//! Repairs for what the RainMaker C SDK's JSON writer really sends.
//!
//! The SDK's `json_generator` never escapes strings, prints non-finite floats as
//! `nan`/`inf`, writes nothing for a NULL object param (`"o":}`), and some documents
//! are built in fixed buffers that cut them mid-value. [`repair`] rewrites such a
//! payload into JSON, naming every change it made ([`Repair`]); the lenient decoding
//! mode ([`DecodeOptions::sdk_lenient`](super::payload::DecodeOptions::sdk_lenient))
//! decodes the result. An unescaped quote inside a string cannot be repaired (where
//! the string ends is ambiguous): it is a typed error in both modes, found by
//! [`unescaped_quote`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One change the lenient decoder made to a payload before decoding it. Offsets are
/// byte offsets in the payload as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// A non-finite float (`nan`, `-nan`, `inf`, `-inf`) read as `null`.
    NonFinite {
        /// Where the token starts.
        offset: usize,
        /// The token as written.
        text: String,
    },
    /// A value missing after a key (the SDK's NULL object param, `"o":}`) read as
    /// `null`.
    EmptyValue {
        /// Where the value should have been.
        offset: usize,
    },
    /// A raw control character inside a string, read as its escape.
    ControlCharacter {
        /// Where the character is.
        offset: usize,
        /// The character's byte.
        byte: u8,
    },
    /// The document ends before it is complete (the SDK cut it at its buffer's
    /// size): a cut string value was closed as it is, any other incomplete member
    /// (from `kept` on) dropped, and the open objects and arrays closed.
    Truncated {
        /// How long the payload is.
        offset: usize,
        /// How many bytes of the payload were kept.
        kept: usize,
    },
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonFinite { offset, text } => {
                write!(f, "non-finite float `{text}` at byte {offset} read as null")
            }
            Self::EmptyValue { offset } => write!(f, "missing value at byte {offset} read as null"),
            Self::ControlCharacter { offset, byte } => {
                write!(
                    f,
                    "raw control character 0x{byte:02x} in a string at byte {offset} escaped"
                )
            }
            Self::Truncated { offset, kept } => write!(
                f,
                "document cut at byte {offset}: the first {kept} bytes kept, open values closed"
            ),
        }
    }
}

/// Why a payload could not be repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrepairable {
    /// A `"` inside a string that the SDK did not escape: where the string ends is
    /// ambiguous.
    UnescapedQuote {
        /// Where the quote is.
        offset: usize,
    },
    /// Something no SDK writer produces.
    Other {
        /// Where the scan stopped.
        offset: usize,
    },
}

/// The offset of the first unescaped quote inside a string, if the payload's only
/// defect that makes it unreadable is one.
pub fn unescaped_quote(bytes: &[u8]) -> Option<usize> {
    match repair(bytes) {
        Err(Unrepairable::UnescapedQuote { offset }) => Some(offset),
        _ => None,
    }
}

/// Rewrites `bytes` into JSON, undoing the SDK writer's defects; the repaired text
/// and the repairs made (none for a payload that was JSON already).
///
/// # Errors
///
/// [`Unrepairable`] with the offset of what could not be repaired.
pub fn repair(bytes: &[u8]) -> Result<(Vec<u8>, Vec<Repair>), Unrepairable> {
    let mut scanner = Scanner {
        bytes,
        at: 0,
        out: Vec::with_capacity(bytes.len() + 16),
        repairs: Vec::new(),
        stack: Vec::new(),
        safe: None,
        closed: false,
    };
    scanner.run()?;
    Ok((scanner.out, scanner.repairs))
}

/// What the scanner expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (at the top, after a colon, or after a comma in an array).
    Value,
    /// The first element of an array, or its end.
    FirstElement,
    /// The first key of an object, or its end.
    FirstKey,
    /// A key (after a comma in an object).
    Key,
    /// The colon after a key.
    Colon,
    /// A comma or the end of the container.
    CommaOrEnd,
}

/// A point where the output could be cut and closed: after a complete member or an
/// opening bracket.
#[derive(Debug, Clone, Copy)]
struct Safe {
    out: usize,
    depth: usize,
    input: usize,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    out: Vec<u8>,
    repairs: Vec<Repair>,
    /// The open containers (`{` or `[`).
    stack: Vec<u8>,
    safe: Option<Safe>,
    /// Set once a cut document has been closed: nothing more is read.
    closed: bool,
}

impl Scanner<'_> {
    fn run(&mut self) -> Result<(), Unrepairable> {
        let mut expect = Expect::Value;
        loop {
            if self.closed {
                return Ok(());
            }
            self.whitespace();
            let Some(&byte) = self.bytes.get(self.at) else {
                return self.end(expect);
            };
            expect = match expect {
                Expect::Value | Expect::FirstElement => {
                    if expect == Expect::FirstElement && byte == b']' {
                        self.close(byte)?
                    } else {
                        self.value(byte)?
                    }
                }
                Expect::FirstKey if byte == b'}' => self.close(byte)?,
                Expect::FirstKey | Expect::Key => {
                    if byte != b'"' {
                        return Err(Unrepairable::Other { offset: self.at });
                    }
                    self.string(true)?;
                    Expect::Colon
                }
                Expect::Colon => {
                    if byte != b':' {
                        return Err(Unrepairable::Other { offset: self.at });
                    }
                    self.copy();
                    Expect::Value
                }
                Expect::CommaOrEnd => match byte {
                    b',' => {
                        self.copy();
                        if self.stack.last() == Some(&b'{') {
                            Expect::Key
                        } else {
                            Expect::Value
                        }
                    }
                    b'}' | b']' => self.close(byte)?,
                    _ => return Err(Unrepairable::Other { offset: self.at }),
                },
            };
            if expect == Expect::CommaOrEnd && self.stack.is_empty() {
                // The document is complete: only whitespace may follow.
                self.whitespace();
                return if self.at == self.bytes.len() {
                    Ok(())
                } else {
                    Err(Unrepairable::Other { offset: self.at })
                };
            }
        }
    }

    /// A value starting with `byte`.
    fn value(&mut self, byte: u8) -> Result<Expect, Unrepairable> {
        match byte {
            b'{' | b'[' => {
                self.copy();
                self.stack.push(byte);
                self.mark_safe();
                return Ok(if byte == b'{' {
                    Expect::FirstKey
                } else {
                    Expect::FirstElement
                });
            }
            b'"' => self.string(false)?,
            b'}' | b',' | b']' if !self.stack.is_empty() => {
                self.repairs.push(Repair::EmptyValue { offset: self.at });
                self.out.extend_from_slice(b"null");
            }
            _ => self.scalar()?,
        }
        self.mark_safe();
        Ok(Expect::CommaOrEnd)
    }

    /// A number or a literal (`true`, `false`, `null`), or a non-finite float.
    fn scalar(&mut self) -> Result<(), Unrepairable> {
        let start = self.at;
        let end = self.bytes[start..]
            .iter()
            .position(|byte| !matches!(byte, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'-' | b'.'))
            .map_or(self.bytes.len(), |length| start + length);
        let token = &self.bytes[start..end];
        if token.is_empty() {
            return Err(Unrepairable::Other { offset: start });
        }
        let unsigned = token.strip_prefix(b"-").unwrap_or(token);
        if unsigned.eq_ignore_ascii_case(b"nan")
            || unsigned.eq_ignore_ascii_case(b"inf")
            || unsigned.eq_ignore_ascii_case(b"infinity")
        {
            self.repairs.push(Repair::NonFinite {
                offset: start,
                text: String::from_utf8_lossy(token).into_owned(),
            });
            self.out.extend_from_slice(b"null");
        } else if !(matches!(token, b"true" | b"false" | b"null")
            || token
                .first()
                .is_some_and(|first| first.is_ascii_digit() || *first == b'-'))
        {
            return Err(Unrepairable::Other { offset: start });
        } else if end == self.bytes.len() && !self.stack.is_empty() {
            // A number or literal running into the end may be cut: not complete.
            self.at = end;
            return self.truncated();
        } else {
            self.out.extend_from_slice(token);
        }
        self.at = end;
        Ok(())
    }

    /// A string (the scanner is on its opening quote); `key` says what must follow
    /// its closing quote (`:` for a key; `,`, `}` or `]` for a value).
    fn string(&mut self, key: bool) -> Result<(), Unrepairable> {
        let start = self.out.len();
        self.copy();
        loop {
            let Some(&byte) = self.bytes.get(self.at) else {
                return self.cut_string(key, start);
            };
            match byte {
                b'\\' => {
                    if self.at + 1 >= self.bytes.len() {
                        self.at = self.bytes.len();
                        return self.cut_string(key, start);
                    }
                    self.copy();
                    self.copy();
                }
                b'"' => {
                    let quote = self.at;
                    let next = self.bytes[quote + 1..]
                        .iter()
                        .find(|byte| !byte.is_ascii_whitespace());
                    let closes = match next {
                        None => true,
                        Some(b':') => key,
                        Some(b',' | b'}' | b']') => !key,
                        Some(_) => false,
                    };
                    if !closes {
                        return Err(Unrepairable::UnescapedQuote { offset: quote });
                    }
                    self.copy();
                    return Ok(());
                }
                0x00..=0x1f => {
                    self.repairs.push(Repair::ControlCharacter {
                        offset: self.at,
                        byte,
                    });
                    let escape = match byte {
                        b'\n' => String::from("\\n"),
                        b'\r' => String::from("\\r"),
                        b'\t' => String::from("\\t"),
                        0x08 => String::from("\\b"),
                        0x0c => String::from("\\f"),
                        other => alloc::format!("\\u{other:04x}"),
                    };
                    self.out.extend_from_slice(escape.as_bytes());
                    self.at += 1;
                }
                _ => self.copy(),
            }
        }
    }

    /// The input ends inside a string that starts at `start` in the output. A cut
    /// value keeps its text (closed, without a split character); a cut key drops
    /// its member.
    fn cut_string(&mut self, key: bool, start: usize) -> Result<(), Unrepairable> {
        if !key {
            if let Err(error) = core::str::from_utf8(&self.out[start..])
                && error.error_len().is_none()
            {
                self.out.truncate(start + error.valid_up_to());
            }
            self.out.push(b'"');
            self.mark_safe();
        }
        self.truncated()
    }

    /// Closes the container on top with `byte` (`}` or `]`).
    fn close(&mut self, byte: u8) -> Result<Expect, Unrepairable> {
        let open = if byte == b'}' { b'{' } else { b'[' };
        if self.stack.pop() != Some(open) {
            return Err(Unrepairable::Other { offset: self.at });
        }
        self.copy();
        self.mark_safe();
        Ok(Expect::CommaOrEnd)
    }

    /// The end of the input, expecting `expect`.
    fn end(&mut self, expect: Expect) -> Result<(), Unrepairable> {
        if expect == Expect::CommaOrEnd && self.stack.is_empty() {
            return Ok(());
        }
        self.truncated()
    }

    /// Cuts the output at the last safe point and closes what was open there.
    fn truncated(&mut self) -> Result<(), Unrepairable> {
        let Some(safe) = self.safe else {
            return Err(Unrepairable::Other {
                offset: self.bytes.len(),
            });
        };
        self.out.truncate(safe.out);
        self.stack.truncate(safe.depth);
        // A comma written after the safe point is gone with the truncation.
        while let Some(open) = self.stack.pop() {
            self.out.push(if open == b'{' { b'}' } else { b']' });
        }
        self.repairs.push(Repair::Truncated {
            offset: self.bytes.len(),
            kept: safe.input,
        });
        self.at = self.bytes.len();
        self.closed = true;
        Ok(())
    }

    fn mark_safe(&mut self) {
        self.safe = Some(Safe {
            out: self.out.len(),
            depth: self.stack.len(),
            input: self.at,
        });
    }

    fn whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.copy();
        }
    }

    fn copy(&mut self) {
        if let Some(&byte) = self.bytes.get(self.at) {
            self.out.push(byte);
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn repaired(text: &str) -> (String, Vec<Repair>) {
        let (bytes, repairs) = repair(text.as_bytes()).expect("repairable");
        (String::from_utf8(bytes).expect("UTF-8"), repairs)
    }

    #[test]
    fn valid_json_is_unchanged() {
        for text in [
            r#"{"a":{"b":[1,2.5,"x",true,null,{}]}}"#,
            "[]",
            "{}",
            "3",
            r#""s""#,
        ] {
            assert_eq!(repaired(text), (text.to_owned(), Vec::new()), "{text}");
        }
    }

    #[test]
    fn non_finite_floats_and_empty_values_become_null() {
        assert_eq!(
            repaired(r#"{"Bad":{"f":nan,"g":-inf,"o":}}"#),
            (
                r#"{"Bad":{"f":null,"g":null,"o":null}}"#.to_owned(),
                vec![
                    Repair::NonFinite {
                        offset: 12,
                        text: "nan".into()
                    },
                    Repair::NonFinite {
                        offset: 20,
                        text: "-inf".into()
                    },
                    Repair::EmptyValue { offset: 29 },
                ]
            )
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        let (text, repairs) = repaired("{\"s\":\"a\nb\tc\u{1}\"}");
        assert_eq!(text, r#"{"s":"a\nb\tc\u0001"}"#);
        assert_eq!(repairs.len(), 3);
        assert_eq!(
            repairs[0],
            Repair::ControlCharacter {
                offset: 7,
                byte: b'\n'
            }
        );
    }

    #[test]
    fn cut_documents_keep_every_complete_member() {
        assert_eq!(
            repaired(r#"{"id":"J1","status":"failed","additional_info":"OTA fai"#),
            (
                r#"{"id":"J1","status":"failed","additional_info":"OTA fai"}"#.to_owned(),
                vec![Repair::Truncated {
                    offset: 55,
                    kept: 55
                }]
            )
        );
        assert_eq!(repaired(r#"{"a":1,"b"#).0, r#"{"a":1}"#);
        let (bytes, _) = repair(b"{\"a\":\"caf\xc3").expect("repairable");
        assert_eq!(bytes, br#"{"a":"caf"}"#);
        assert_eq!(repaired(r#"{"a":"x\"#).0, r#"{"a":"x"}"#);
        assert_eq!(repaired(r#"{"a":[1,{"b":2},3"#).0, r#"{"a":[1,{"b":2}]}"#);
        assert_eq!(repaired(r#"{"a":{"b":"#).0, r#"{"a":{}}"#);
        assert_eq!(repaired(r#"{"#).0, "{}");
        assert_eq!(repaired(r#"{"a":1,"#).0, r#"{"a":1}"#);
    }

    #[test]
    fn unescaped_quotes_are_named() {
        let text = br#"{"Bad":{"s":"say "hi""}}"#;
        assert_eq!(
            repair(text),
            Err(Unrepairable::UnescapedQuote { offset: 17 })
        );
        assert_eq!(unescaped_quote(text), Some(17));
        assert_eq!(
            unescaped_quote(br#"{"esp.alert.str":"Door "front" open"}"#),
            Some(23)
        );
        assert_eq!(unescaped_quote(b"{]"), None);
    }

    #[test]
    fn garbage_is_not_repaired() {
        for text in ["", "x", "{]", "[}", r#"{"a" 1}"#, r#"{"a":1}x"#, "{1:2}"] {
            assert!(repair(text.as_bytes()).is_err(), "{text}");
        }
    }
}
