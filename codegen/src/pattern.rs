//! JSON Schema `pattern`s compiled into DFA tables, which generated code hands to
//! the runtime's `Pattern` matcher: no regex engine in the user's binary.
//!
//! The DFA is built by `regex-automata` with JSON Schema's search semantics (the
//! pattern may match anywhere unless anchored), then walked from its start state
//! into a table of reachable states, and its 256 input bytes folded into the classes
//! of bytes that behave the same in every state.

use std::collections::{BTreeMap, HashMap};

use regex_automata::dfa::{Automaton, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

/// The most DFA states a pattern may compile to; larger patterns are not enforced.
pub const MAX_STATES: usize = 512;

/// A compiled pattern: the tables of the runtime's `Pattern::from_tables`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledPattern {
    /// The pattern as written.
    pub source: String,
    /// The class of each byte.
    pub classes: Vec<u8>,
    /// How many classes there are.
    pub class_count: usize,
    /// `class_count` next states per state.
    pub transitions: Vec<u16>,
    /// Per state: 0 = go on, 1 = a match was seen, 2 = no match is possible.
    pub kinds: Vec<u8>,
    /// Per state: whether the value may end there.
    pub accepts_at_end: Vec<bool>,
    /// The start state.
    pub start: u16,
}

impl CompiledPattern {
    /// Runs the tables as the runtime does (for tests of the compiler).
    pub fn is_match(&self, text: &str) -> bool {
        let mut state = usize::from(self.start);
        for &byte in text.as_bytes() {
            match self.kinds[state] {
                1 => return true,
                2 => return false,
                _ => {}
            }
            let class = usize::from(self.classes[usize::from(byte)]);
            state = usize::from(self.transitions[state * self.class_count + class]);
        }
        match self.kinds[state] {
            1 => true,
            2 => false,
            _ => self.accepts_at_end[state],
        }
    }
}

/// Compiles `pattern`, or says why it cannot be enforced.
///
/// # Errors
///
/// A sentence for the generated docs and the warning: the syntax is not supported,
/// or the DFA is too large.
pub fn compile(pattern: &str) -> Result<CompiledPattern, String> {
    let source = pattern;
    let pattern = &ecma_classes(pattern);
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .minimize(true)
                .start_kind(regex_automata::dfa::StartKind::Unanchored),
        )
        .build(pattern)
        .map_err(|error| format!("the pattern cannot be compiled ({error})"))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::No))
        .map_err(|error| format!("the pattern has no usable start state ({error})"))?;

    // Number the states reachable from the start, breadth first.
    let mut index: HashMap<StateID, usize> = HashMap::from([(start, 0)]);
    let mut order = vec![start];
    let mut rows: Vec<[StateID; 256]> = Vec::new();
    let mut cursor = 0;
    while let Some(&state) = order.get(cursor) {
        cursor += 1;
        if dfa.is_quit_state(state) {
            return Err("the pattern needs look-around the matcher does not have".to_owned());
        }
        let mut row = [state; 256];
        for byte in 0..=255u8 {
            let next = dfa.next_state(state, byte);
            row[usize::from(byte)] = next;
            if let std::collections::hash_map::Entry::Vacant(entry) = index.entry(next) {
                entry.insert(order.len());
                order.push(next);
                if order.len() > MAX_STATES {
                    return Err(format!(
                        "the pattern needs more than {MAX_STATES} DFA states"
                    ));
                }
            }
        }
        rows.push(row);
    }

    // Bytes that lead every state to the same next state share a class.
    let mut columns: BTreeMap<Vec<usize>, u8> = BTreeMap::new();
    let mut classes = vec![0u8; 256];
    for byte in 0..256 {
        let column: Vec<usize> = rows.iter().map(|row| index[&row[byte]]).collect();
        let next_class = u8::try_from(columns.len()).map_err(|_| "too many byte classes")?;
        let class = *columns.entry(column).or_insert(next_class);
        classes[byte] = class;
    }
    let class_count = columns.len();
    let mut transitions = vec![0u16; order.len() * class_count];
    for (column, class) in &columns {
        for (state, next) in column.iter().enumerate() {
            transitions[state * class_count + usize::from(*class)] =
                u16::try_from(*next).map_err(|_| "too many states")?;
        }
    }
    let kinds = order
        .iter()
        .map(|&state| {
            if dfa.is_match_state(state) {
                1
            } else if dfa.is_dead_state(state) {
                2
            } else {
                0
            }
        })
        .collect();
    let accepts_at_end = order
        .iter()
        .map(|&state| dfa.is_match_state(dfa.next_eoi_state(state)))
        .collect();
    Ok(CompiledPattern {
        source: source.to_owned(),
        classes,
        class_count,
        transitions,
        kinds,
        accepts_at_end,
        start: 0,
    })
}

/// ECMA-262's shorthand classes (what JSON Schema's `pattern` means) written out
/// for the Rust regex syntax, whose `\d`, `\w` and `\s` are Unicode-wide: `\d` is
/// `[0-9]`, `\w` is `[A-Za-z0-9_]`, and `\s` is ECMA's white space and line
/// terminators (Rust's also holds U+0085 and lacks U+FEFF). Inside a bracket class
/// the members are inserted; a negated shorthand inside one (`[^\S]`) is left as
/// Rust reads it.
fn ecma_classes(pattern: &str) -> String {
    const SPACE: &str = r"\t\n\x0B\x0C\r \u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}";
    const DIGIT: &str = "0-9";
    const WORD: &str = "A-Za-z0-9_";
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let members = match next {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (members, next.is_ascii_uppercase(), in_class) {
                    (Some(members), false, true) => out.push_str(members),
                    (Some(members), false, false) => out.push_str(&format!("[{members}]")),
                    (Some(members), true, false) => out.push_str(&format!("[^{members}]")),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` first in the class is a member, not its end.
                let rest = chars.as_str();
                for prefix in ["^]", "]", "^"] {
                    if let Some(after) = rest.strip_prefix(prefix) {
                        out.push_str(prefix);
                        chars = after.chars();
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(pattern: &str, matching: &[&str], other: &[&str]) {
        let compiled = compile(pattern).unwrap_or_else(|error| panic!("{pattern}: {error}"));
        for text in matching {
            assert!(compiled.is_match(text), "{pattern} should match {text:?}");
        }
        for text in other {
            assert!(
                !compiled.is_match(text),
                "{pattern} should not match {text:?}"
            );
        }
    }

    #[test]
    fn anchored_patterns_match_whole_values() {
        check(
            "^[^/+#]+$",
            &["7C9EBD4A1B2C", "é", "a b"],
            &["", "a/b", "+", "x#"],
        );
        check(
            "^[0-9A-F]{12}$",
            &["7C9EBD4A1B2C"],
            &["7C9EBD4A1B2", "7c9ebd4a1b2c", "7C9EBD4A1B2CD"],
        );
    }

    #[test]
    fn unanchored_patterns_search() {
        check("[0-9]", &["a1", "9"], &["", "abc"]);
        check("^ab", &["abc"], &["cab"]);
        check("z$", &["xyz"], &["zx"]);
    }

    #[test]
    fn alternations_and_repetitions() {
        check("^(on|off)$", &["on", "off"], &["o", "onoff", "offf"]);
        check("^a{2,3}$", &["aa", "aaa"], &["a", "aaaa"]);
    }

    #[test]
    fn bad_patterns_say_why() {
        assert!(compile("(").is_err());
        assert!(compile(r"\bword\b").is_err());
    }

    #[test]
    fn tables_are_compact() {
        // UTF-8 needs a few classes of its own (lead and continuation bytes).
        let compiled = compile("^[^/+#]+$").expect("compiles");
        assert!(compiled.class_count <= 16, "{}", compiled.class_count);
        assert!(compiled.kinds.len() <= 16, "{}", compiled.kinds.len());
        let ascii = compile("^[0-9a-f]{2}$").expect("compiles");
        assert!(ascii.class_count <= 3, "{}", ascii.class_count);
    }

    #[test]
    fn shorthand_classes_mean_what_ecma_262_says() {
        let space = compile(r"^\s$").expect("compiles");
        assert!(space.is_match("\u{3000}") && space.is_match("\u{FEFF}"));
        assert!(!space.is_match("\u{85}"), "U+0085 is not ECMA white space");
        let digit = compile(r"^\d+$").expect("compiles");
        assert!(digit.is_match("042") && !digit.is_match("٤٢"));
        let word = compile(r"^[\w-]+$").expect("compiles");
        assert!(word.is_match("a_b-9") && !word.is_match("é"));
        let not_space = compile(r"^\S+$").expect("compiles");
        assert!(not_space.is_match("ab") && !not_space.is_match("a b"));
        assert_eq!(compile(r"[\s]").expect("compiles").source, r"[\s]");
        assert_eq!(ecma_classes(r"[]\d]\w"), "[]0-9][A-Za-z0-9_]");
    }
}
