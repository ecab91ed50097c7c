//! The encoder shared by requests and responses.
//!
//! Records are written in the C implementation's order: request id, role,
//! status, timestamp, command, data. Values longer than 255 bytes are split
//! into 255-byte records; a value of exactly `255 * k` bytes gets no
//! terminating empty record. Data is written only when non-empty.

use crate::record::MAX_RECORD_LEN;
use crate::{
    Command, Error, MAX_DATA_LEN, MAX_REQUEST_ID_LEN, Result, Status, Tag, UserRole, Value,
};

/// The fields of a frame in encoding order; absent ones are not written.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'v, 'a> {
    pub request_id: Option<&'a [u8]>,
    pub role: Option<UserRole>,
    pub status: Option<Status>,
    pub timestamp: Option<u32>,
    pub command: Command,
    pub data: &'v Value<'a>,
}

/// Wire length of a value of `len` bytes (headers included).
#[inline(always)]
const fn value_wire_len(len: usize) -> usize {
    len + 2 * Value::encoded_records(len)
}

/// The encoding methods of a frame type that has `fn fields(&self) -> Fields`:
/// `encoded_len`, `encode` (into a slice, no allocation), and with `alloc`
/// `encode_append` and `to_vec`.
macro_rules! encoding_methods {
    ($frame:ident) => {
        /// Exact length of the output of `encode`.
        #[inline]
        pub fn encoded_len(&self) -> usize {
            self.fields().encoded_len()
        }

        /// Encodes into the front of `buf` without allocating; returns the length
        /// written.
        ///
        /// Fails with [`Error::RequestIdTooLong`](crate::Error::RequestIdTooLong) or
        /// [`Error::DataTooLong`](crate::Error::DataTooLong) for values the protocol
        /// cannot carry and [`Error::BufferTooSmall`](crate::Error::BufferTooSmall)
        #[doc = concat!("when `buf` is shorter than [`", stringify!($frame), "::encoded_len`].")]
        #[inline]
        pub fn encode(&self, buf: &mut [u8]) -> crate::Result<usize> {
            self.fields().encode(buf)
        }

        /// Appends the encoding to `out`; returns the length appended.
        #[cfg(feature = "alloc")]
        pub fn encode_append(&self, out: &mut alloc::vec::Vec<u8>) -> crate::Result<usize> {
            self.fields().encode_append(out)
        }

        /// Encodes into a new vector.
        #[cfg(feature = "alloc")]
        pub fn to_vec(&self) -> crate::Result<alloc::vec::Vec<u8>> {
            let mut out = alloc::vec::Vec::new();
            self.encode_append(&mut out)?;
            Ok(out)
        }
    };
}
pub(crate) use encoding_methods;

impl Fields<'_, '_> {
    /// Exact number of bytes [`Fields::encode`] writes.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        let mut len = 4; // command: header + 2 bytes
        if let Some(id) = self.request_id {
            len += value_wire_len(id.len());
        }
        if self.role.is_some() {
            len += 3;
        }
        if self.status.is_some() {
            len += 3;
        }
        if self.timestamp.is_some() {
            len += 6;
        }
        if !self.data.is_empty() {
            len += value_wire_len(self.data.len());
        }
        len
    }

    /// Checks the limits the protocol puts on variable-size fields.
    #[inline]
    pub fn check(&self) -> Result<()> {
        if let Some(id) = self.request_id
            && id.len() > MAX_REQUEST_ID_LEN
        {
            return Err(Error::RequestIdTooLong {
                offset: None,
                len: id.len(),
            });
        }
        if self.data.len() > MAX_DATA_LEN {
            return Err(Error::DataTooLong {
                offset: None,
                len: self.data.len(),
            });
        }
        Ok(())
    }

    /// Encodes into the front of `buf`; returns the length written.
    #[inline]
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        self.check()?;
        let needed = self.encoded_len();
        let Some(out) = buf.get_mut(..needed) else {
            return Err(Error::BufferTooSmall {
                needed,
                available: buf.len(),
            });
        };
        let mut w = Writer { out };
        if let Some(id) = self.request_id {
            w.record(Tag::REQUEST_ID, id);
        }
        if let Some(role) = self.role {
            w.put([Tag::USER_ROLE.0, 1, role.0]);
        }
        if let Some(status) = self.status {
            w.put([Tag::STATUS.0, 1, status.0]);
        }
        if let Some(ts) = self.timestamp {
            let [a, b, c, d] = ts.to_le_bytes();
            w.put([Tag::TIMESTAMP.0, 4, a, b, c, d]);
        }
        let [lo, hi] = self.command.to_le_bytes();
        w.put([Tag::COMMAND.0, 2, lo, hi]);
        if !self.data.is_empty() {
            w.value(Tag::DATA, self.data);
        }
        debug_assert!(w.out.is_empty());
        Ok(needed)
    }

    /// Appends the encoding to `out`.
    #[cfg(feature = "alloc")]
    pub fn encode_append(&self, out: &mut alloc::vec::Vec<u8>) -> Result<usize> {
        self.check()?;
        let start = out.len();
        let len = self.encoded_len();
        out.resize(start + len, 0);
        let written = self.encode(out.get_mut(start..).unwrap_or_default());
        match written {
            Ok(n) => {
                out.truncate(start + n);
                Ok(n)
            }
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }
}

/// Writes records into a buffer known to be large enough, shrinking the
/// remaining slice as it goes.
struct Writer<'b> {
    out: &'b mut [u8],
}

impl Writer<'_> {
    /// Writes a fixed-size header or small value.
    #[inline(always)]
    fn put<const N: usize>(&mut self, bytes: [u8; N]) {
        let out = core::mem::take(&mut self.out);
        // The buffer was sized with `encoded_len`, so this always succeeds.
        if let Some((head, rest)) = out.split_first_chunk_mut::<N>() {
            *head = bytes;
            self.out = rest;
        }
    }

    #[inline(always)]
    fn put_slice(&mut self, bytes: &[u8]) {
        let out = core::mem::take(&mut self.out);
        if let Some((head, rest)) = out.split_at_mut_checked(bytes.len()) {
            head.copy_from_slice(bytes);
            self.out = rest;
        }
    }

    /// One record of at most 255 bytes, or a fragmented run for longer values.
    #[inline(always)]
    fn record(&mut self, tag: Tag, value: &[u8]) {
        if value.len() <= MAX_RECORD_LEN {
            self.put([tag.0, value.len() as u8]);
            self.put_slice(value);
        } else {
            for chunk in value.chunks(MAX_RECORD_LEN) {
                self.put([tag.0, chunk.len() as u8]);
                self.put_slice(chunk);
            }
        }
    }

    /// A value of any layout. Decoded values keep 255-byte fragments, so
    /// re-fragmenting each non-empty chunk reproduces the canonical layout.
    #[inline]
    fn value(&mut self, tag: Tag, value: &Value<'_>) {
        if let Some(bytes) = value.as_slice() {
            self.record(tag, bytes);
        } else {
            for chunk in value.chunks().filter(|c| !c.is_empty()) {
                self.record(tag, chunk);
            }
        }
    }
}
