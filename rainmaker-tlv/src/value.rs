//! Zero-copy views of field values, contiguous or split into fragments.

use core::fmt;

use crate::record::MAX_RECORD_LEN;
use crate::{Error, Result};

/// A field value borrowed from a frame (or from the caller).
///
/// A value of up to 255 bytes is one contiguous slice. A longer value arrives
/// as a run of consecutive records; the view then keeps the run's bytes
/// (headers included) and walks the fragments on demand, so decoding never
/// copies. Equality compares contents, not layout.
///
/// ```
/// use rainmaker_tlv::Value;
///
/// let v = Value::from(&b"hello"[..]);
/// assert_eq!(v.len(), 5);
/// assert_eq!(v.as_slice(), Some(&b"hello"[..]));
/// let mut out = [0u8; 5];
/// v.copy_to_slice(&mut out)?;
/// assert_eq!(&out, b"hello");
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Value<'a> {
    repr: Repr<'a>,
}

#[derive(Clone, Copy)]
enum Repr<'a> {
    /// The value bytes themselves.
    Contiguous(&'a [u8]),
    /// Consecutive records (header + value each) holding `len` value bytes;
    /// every fragment but the last is 255 bytes long.
    Fragmented { records: &'a [u8], len: usize },
}

impl<'a> Value<'a> {
    /// The empty value.
    pub const EMPTY: Value<'static> = Value {
        repr: Repr::Contiguous(&[]),
    };

    /// A contiguous value.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Value {
            repr: Repr::Contiguous(bytes),
        }
    }

    /// A fragmented view over `records`: consecutive wire records holding
    /// `len` value bytes, all 255 bytes long but the last. Built by the
    /// decoder only, which checked that layout.
    pub(crate) const fn fragmented(records: &'a [u8], len: usize) -> Self {
        Value {
            repr: Repr::Fragmented { records, len },
        }
    }

    /// Number of value bytes (fragment headers not counted).
    #[inline]
    pub const fn len(&self) -> usize {
        match self.repr {
            Repr::Contiguous(bytes) => bytes.len(),
            Repr::Fragmented { len, .. } => len,
        }
    }

    /// Whether the value has no bytes.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes as one slice, if the value is contiguous.
    #[inline]
    pub const fn as_slice(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Contiguous(bytes) => Some(bytes),
            Repr::Fragmented { .. } => None,
        }
    }

    /// Whether the value came in more than one record.
    pub const fn is_fragmented(&self) -> bool {
        matches!(self.repr, Repr::Fragmented { .. })
    }

    /// The chunks of the value in order: one slice for a contiguous value,
    /// each fragment for a fragmented one (a trailing empty record, which
    /// the decoder accepts after a multiple of 255 bytes, yields an empty chunk).
    #[inline]
    pub fn chunks(&self) -> Chunks<'a> {
        match self.repr {
            Repr::Contiguous(bytes) => Chunks {
                single: Some(bytes),
                records: &[],
            },
            Repr::Fragmented { records, .. } => Chunks {
                single: None,
                records,
            },
        }
    }

    /// Number of chunks [`Value::chunks`] yields.
    pub fn chunk_count(&self) -> usize {
        self.chunks().count()
    }

    /// Copies the value into the front of `dst` and returns its length.
    ///
    /// Fails with [`Error::BufferTooSmall`] (copying nothing) if `dst` is
    /// shorter than the value.
    pub fn copy_to_slice(&self, dst: &mut [u8]) -> Result<usize> {
        let len = self.len();
        if dst.len() < len {
            return Err(Error::BufferTooSmall {
                needed: len,
                available: dst.len(),
            });
        }
        let mut at = 0;
        for chunk in self.chunks() {
            let end = at + chunk.len();
            if let Some(out) = dst.get_mut(at..end) {
                out.copy_from_slice(chunk);
            }
            at = end;
        }
        Ok(len)
    }

    /// The value as an owned, reassembled buffer.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::with_capacity(self.len());
        self.extend_vec(&mut out);
        out
    }

    /// Appends the value's bytes to `out`.
    #[cfg(feature = "alloc")]
    pub fn extend_vec(&self, out: &mut alloc::vec::Vec<u8>) {
        out.reserve(self.len());
        for chunk in self.chunks() {
            out.extend_from_slice(chunk);
        }
    }

    /// Whether the bytes equal `other`.
    pub fn eq_bytes(&self, other: &[u8]) -> bool {
        if self.len() != other.len() {
            return false;
        }
        let mut rest = other;
        for chunk in self.chunks() {
            match rest.split_at_checked(chunk.len()) {
                Some((head, tail)) if head == chunk => rest = tail,
                _ => return false,
            }
        }
        true
    }

    /// Number of records this value takes when encoded (at least one).
    pub const fn encoded_records(len: usize) -> usize {
        if len == 0 {
            1
        } else {
            len.div_ceil(MAX_RECORD_LEN)
        }
    }
}

impl Default for Value<'_> {
    fn default() -> Self {
        Value::EMPTY
    }
}

impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Value::new(bytes)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Value<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        Value::new(bytes)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Value::new(text.as_bytes())
    }
}

impl PartialEq for Value<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if let (Some(a), Some(b)) = (self.as_slice(), other.as_slice()) {
            return a == b;
        }
        // Compare two chunk streams of possibly different layouts.
        let mut left = self.chunks().filter(|c| !c.is_empty());
        let mut right = other.chunks().filter(|c| !c.is_empty());
        let (mut a, mut b): (&[u8], &[u8]) = (&[], &[]);
        loop {
            if a.is_empty() {
                a = left.next().unwrap_or_default();
            }
            if b.is_empty() {
                b = right.next().unwrap_or_default();
            }
            if a.is_empty() || b.is_empty() {
                return a.is_empty() && b.is_empty();
            }
            let n = a.len().min(b.len());
            let (a_head, a_tail) = a.split_at(n);
            let (b_head, b_tail) = b.split_at(n);
            if a_head != b_head {
                return false;
            }
            a = a_tail;
            b = b_tail;
        }
    }
}

impl Eq for Value<'_> {}

impl PartialEq<[u8]> for Value<'_> {
    fn eq(&self, other: &[u8]) -> bool {
        self.eq_bytes(other)
    }
}

impl PartialEq<&[u8]> for Value<'_> {
    fn eq(&self, other: &&[u8]) -> bool {
        self.eq_bytes(other)
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({} bytes", self.len())?;
        if self.is_fragmented() {
            write!(f, " in {} fragments", self.chunk_count())?;
        }
        f.write_str(": ")?;
        const SHOWN: usize = 64;
        let mut shown = 0;
        for chunk in self.chunks() {
            for &b in chunk.iter().take(SHOWN - shown) {
                if b.is_ascii_graphic() || b == b' ' {
                    write!(f, "{}", char::from(b))?;
                } else {
                    write!(f, "\\x{b:02x}")?;
                }
            }
            shown += chunk.len().min(SHOWN - shown);
        }
        if self.len() > SHOWN {
            f.write_str("...")?;
        }
        f.write_str(")")
    }
}

/// Iterator over the chunks of a [`Value`], see [`Value::chunks`].
#[derive(Clone, Debug)]
pub struct Chunks<'a> {
    single: Option<&'a [u8]>,
    records: &'a [u8],
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if let Some(bytes) = self.single.take() {
            return Some(bytes);
        }
        // `records` was validated by the decoder; `get` keeps this total
        // anyway, ending the walk on anything unexpected.
        let records = core::mem::take(&mut self.records);
        let (&[_, len], rest) = records.split_first_chunk::<2>()?;
        let (chunk, rest) = rest.split_at_checked(usize::from(len))?;
        self.records = rest;
        Some(chunk)
    }
}

impl core::iter::FusedIterator for Chunks<'_> {}
