//! [`Pattern`]: a regular expression compiled by the generator into a DFA table, so
//! that checking a value needs no regex engine at run time (and no allocation).

/// The kind of a DFA state.
const MATCH: u8 = 1;
const DEAD: u8 = 2;

/// A regular expression (a JSON Schema `pattern`) compiled into a DFA.
///
/// The tables are generated; search semantics are those of JSON Schema: the pattern
/// may match anywhere in the value unless it is anchored with `^` and `$`.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    source: &'static str,
    classes: &'static [u8; 256],
    class_count: usize,
    transitions: &'static [u16],
    kinds: &'static [u8],
    accepts_at_end: &'static [bool],
    start: u16,
}

impl Pattern {
    /// A pattern from generated tables: `classes` maps each byte to its class,
    /// `transitions` holds `class_count` next states per state, `kinds` says of each
    /// state whether a match was seen (1) or none is possible any more (2), and
    /// `accepts_at_end` whether the value may end in it.
    pub const fn from_tables(
        source: &'static str,
        classes: &'static [u8; 256],
        class_count: usize,
        transitions: &'static [u16],
        kinds: &'static [u8],
        accepts_at_end: &'static [bool],
        start: u16,
    ) -> Self {
        Self {
            source,
            classes,
            class_count,
            transitions,
            kinds,
            accepts_at_end,
            start,
        }
    }

    /// The pattern as the document writes it.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        let mut state = usize::from(self.start);
        for &byte in text.as_bytes() {
            match self.kinds.get(state) {
                Some(&MATCH) => return true,
                Some(&DEAD) | None => return false,
                Some(_) => {}
            }
            let class = usize::from(self.classes[usize::from(byte)]);
            match self.transitions.get(state * self.class_count + class) {
                Some(&next) => state = usize::from(next),
                None => return false,
            }
        }
        match self.kinds.get(state) {
            Some(&MATCH) => true,
            Some(&DEAD) | None => false,
            Some(_) => self.accepts_at_end.get(state).copied().unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `^[ab]+$`, by hand: class 0 = other bytes, class 1 = `a` or `b`.
    /// State 0 starts, 1 has read at least one letter, 2 is dead.
    const CLASSES: [u8; 256] = {
        let mut classes = [0u8; 256];
        classes[b'a' as usize] = 1;
        classes[b'b' as usize] = 1;
        classes
    };
    const LETTERS: Pattern = Pattern::from_tables(
        "^[ab]+$",
        &CLASSES,
        2,
        &[2, 1, 2, 1, 2, 2],
        &[0, 0, DEAD],
        &[false, true, false],
        0,
    );

    #[test]
    fn hand_built_tables_match() {
        assert!(LETTERS.is_match("abba"));
        assert!(!LETTERS.is_match(""));
        assert!(!LETTERS.is_match("abc"));
        assert_eq!(LETTERS.source(), "^[ab]+$");
    }
}
