//! The hand-written baselines every benchmark measures against in the same run.

/// The topic baseline: split into a `Vec` of segments, then match them (the
/// straightforward hand-written parser); the channel's index and the node id.
pub fn split_and_match(topic: &str) -> Option<(usize, &str)> {
    let segments: Vec<&str> = topic.split('/').collect();
    let segments = match segments.as_slice() {
        ["$aws", "rules", _rule, rest @ ..] => rest,
        all => all,
    };
    match segments {
        ["node", id, "config"] => Some((0, *id)),
        ["node", id, "params", "local", "init"] => Some((1, *id)),
        ["node", id, "params", "local"] => Some((2, *id)),
        ["node", id, "params", "local", _group] => Some((3, *id)),
        ["node", id, "params", "remote"] => Some((4, *id)),
        ["node", id, "params", "remote", _group] => Some((5, *id)),
        ["node", id, "user", "mapping"] => Some((6, *id)),
        ["node", id, "otafetch"] => Some((7, *id)),
        ["node", id, "otaurl"] => Some((8, *id)),
        ["node", id, "otastatus"] => Some((9, *id)),
        ["node", id, "tsdata"] => Some((10, *id)),
        ["node", id, "simple_tsdata"] => Some((11, *id)),
        ["node", id, "from-node"] => Some((12, *id)),
        ["node", id, "to-node"] => Some((13, *id)),
        ["node", id, "alert"] => Some((14, *id)),
        ["$aws", "events", "presence", "connected", id] => Some((15, *id)),
        ["$aws", "events", "presence", "disconnected", id] => Some((16, *id)),
        _ => None,
    }
}

pub mod tlv {
    //! A minimal hand-written zero-copy record walker (no nom, no duplicate or
    //! limit checks). It extracts the same fields as the typed decoder and, for
    //! fragmented data, the run's bytes and length.

    /// The fields of a frame.
    #[derive(Default, Clone, Copy)]
    pub struct Fields<'a> {
        /// Tag 1.
        pub request_id: Option<&'a [u8]>,
        /// Tag 2.
        pub role: Option<u8>,
        /// Tag 4.
        pub timestamp: Option<u32>,
        /// Tag 5.
        pub command: Option<u16>,
        /// Start and end of the data run in the frame, and its value length.
        pub data: Option<(usize, usize, usize)>,
    }

    /// Walks a frame's records; `None` when one overruns the frame.
    #[inline]
    pub fn walk(frame: &[u8]) -> Option<Fields<'_>> {
        let mut f = Fields::default();
        let mut i = 0;
        while i < frame.len() {
            let tag = *frame.get(i)?;
            let len = usize::from(*frame.get(i + 1)?);
            let value = frame.get(i + 2..i + 2 + len)?;
            match tag {
                1 => f.request_id = Some(value),
                2 => f.role = Some(*value.first()?),
                4 => f.timestamp = Some(u32::from_le_bytes(value.try_into().ok()?)),
                5 => f.command = Some(u16::from_le_bytes(value.try_into().ok()?)),
                6 => match &mut f.data {
                    Some((_, end, total)) if *end == i => {
                        *end = i + 2 + len;
                        *total += len;
                    }
                    _ => f.data = Some((i, i + 2 + len, len)),
                },
                _ => {}
            }
            i += 2 + len;
        }
        Some(f)
    }

    /// Copies a data run's fragments into a new buffer.
    #[inline]
    pub fn reassemble(frame: &[u8], (start, end, total): (usize, usize, usize)) -> Vec<u8> {
        let mut out = Vec::with_capacity(total);
        let mut i = start;
        while i < end {
            let len = usize::from(frame[i + 1]);
            out.extend_from_slice(&frame[i + 2..i + 2 + len]);
            i += 2 + len;
        }
        out
    }

    /// Writes a response (request id, status, command, short data) by hand.
    #[inline]
    pub fn encode_response(out: &mut [u8], id: &[u8], status: u8, cmd: u16, data: &[u8]) -> usize {
        let mut i = 0;
        let mut put = |bytes: &[u8]| {
            out[i..i + bytes.len()].copy_from_slice(bytes);
            i += bytes.len();
        };
        put(&[1, id.len() as u8]);
        put(id);
        put(&[3, 1, status]);
        let c = cmd.to_le_bytes();
        put(&[5, 2, c[0], c[1]]);
        put(&[6, data.len() as u8]);
        put(data);
        i
    }
}
