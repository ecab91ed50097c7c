//! Keys of ordered maps (params documents keep their wire order): duplicate
//! detection while reading, and lookups, each in n log n or log n once a map is
//! large, instead of comparing every key with every other.

use alloc::collections::BTreeSet;
use core::cmp::Ordering;

use crate::prelude::*;

/// Maps with more entries than this are checked through a set and looked up through
/// a sorted index; smaller ones are scanned (faster, and no allocation).
pub(crate) const SMALL: usize = 16;

/// The keys seen so far while a map is read.
#[derive(Default)]
pub(crate) struct Seen {
    set: Option<BTreeSet<String>>,
}

impl Seen {
    /// Whether `key` is already among the keys of `entries` (the pairs read so far);
    /// records it if not.
    pub(crate) fn repeats<K: AsRef<str>, V>(&mut self, entries: &[(K, V)], key: &str) -> bool {
        if entries.len() < SMALL {
            return entries.iter().any(|(known, _)| known.as_ref() == key);
        }
        let set = self.set.get_or_insert_with(|| {
            // Inserted one by one: collecting would sort first, and link a stable
            // sort into firmware for it.
            let mut set = BTreeSet::new();
            for (known, _) in entries {
                set.insert(known.as_ref().to_owned());
            }
            set
        });
        !set.insert(key.to_owned())
    }
}

/// Sorts `positions` by the key each one names: a heapsort, O(n log n) at worst.
/// Every caller shares it (the key is looked up through `dyn Fn`), and it is a few
/// hundred bytes of code where `sort_unstable_by` links 5 KiB into a firmware.
pub(crate) fn sort_by_key_text<'a>(positions: &mut [u32], key: &dyn Fn(u32) -> &'a str) {
    let len = positions.len();
    // A max-heap first, then the largest moved behind it one at a time.
    for node in (0..len / 2).rev() {
        sift_down(positions, node, len, key);
    }
    for end in (1..len).rev() {
        positions.swap(0, end);
        sift_down(positions, 0, end, key);
    }
}

/// Moves `heap[node]` down the max-heap `heap[..end]` until both children are
/// smaller.
fn sift_down<'a>(heap: &mut [u32], mut node: usize, end: usize, key: &dyn Fn(u32) -> &'a str) {
    let at = |heap: &[u32], index: usize| heap.get(index).map(|position| key(*position));
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && at(heap, child) < at(heap, child + 1) {
            child += 1;
        }
        if at(heap, node) >= at(heap, child) {
            return;
        }
        heap.swap(node, child);
        node = child;
    }
}

/// The positions of a large map's entries, sorted by key; `None` for a small map.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Index(Option<Vec<u32>>);

impl Index {
    /// The index of `entries` (whose keys are unique).
    pub(crate) fn of<K: AsRef<str>, V>(entries: &[(K, V)]) -> Self {
        if entries.len() <= SMALL {
            return Self(None);
        }
        let mut positions: Vec<u32> = (0..entries.len())
            .filter_map(|position| u32::try_from(position).ok())
            .collect();
        sort_by_key_text(&mut positions, &|position| key_at(entries, position));
        Self(Some(positions))
    }

    /// Whether this is a sorted index (the map is large).
    pub(crate) fn is_indexed(&self) -> bool {
        self.0.is_some()
    }

    /// The position of `key` in `entries`.
    pub(crate) fn find<K: AsRef<str>, V>(&self, entries: &[(K, V)], key: &str) -> Option<usize> {
        match &self.0 {
            None => entries.iter().position(|(known, _)| known.as_ref() == key),
            Some(positions) => {
                let found = positions
                    .binary_search_by(|position| key_at(entries, *position).cmp(key))
                    .ok()?;
                positions.get(found).map(|position| *position as usize)
            }
        }
    }

    /// Records the entry just appended to `entries` (with a key not present before).
    pub(crate) fn pushed<K: AsRef<str>, V>(&mut self, entries: &[(K, V)]) {
        match &mut self.0 {
            None if entries.len() > SMALL => *self = Self::of(entries),
            None => {}
            Some(positions) => {
                let Some(last) = entries.len().checked_sub(1) else {
                    return;
                };
                let Ok(last) = u32::try_from(last) else {
                    return;
                };
                let key = key_at(entries, last);
                let at = positions
                    .binary_search_by(|position| match key_at(entries, *position).cmp(key) {
                        Ordering::Equal => Ordering::Less,
                        other => other,
                    })
                    .unwrap_or_else(|at| at);
                positions.insert(at, last);
            }
        }
    }
}

fn key_at<K: AsRef<str>, V>(entries: &[(K, V)], position: u32) -> &str {
    entries
        .get(position as usize)
        .map_or("", |(key, _)| key.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_heapsort_orders_like_the_standard_sort(
            keys in proptest::collection::vec("[a-d]{0,3}", 0..64),
        ) {
            let key = |position: u32| keys.get(position as usize).map_or("", String::as_str);
            let all: Vec<u32> = (0..keys.len()).filter_map(|n| u32::try_from(n).ok()).collect();
            let mut sorted = all.clone();
            sort_by_key_text(&mut sorted, &key);
            let mut expected = all.clone();
            expected.sort_by(|a, b| key(*a).cmp(key(*b)));
            // Every position once, and the keys in order.
            let mut positions = sorted.clone();
            positions.sort_unstable();
            prop_assert_eq!(positions, all);
            let sorted: Vec<&str> = sorted.iter().map(|position| key(*position)).collect();
            let expected: Vec<&str> = expected.iter().map(|position| key(*position)).collect();
            prop_assert_eq!(sorted, expected);
        }
    }

    fn entries(count: usize) -> Vec<(String, usize)> {
        (0..count).map(|n| (format!("k{}", count - n), n)).collect()
    }

    #[test]
    fn small_and_large_maps_find_every_key() {
        for count in [0, 3, SMALL, SMALL + 1, 200] {
            let entries = entries(count);
            let index = Index::of(&entries);
            assert_eq!(index.0.is_some(), count > SMALL);
            for (position, (key, _)) in entries.iter().enumerate() {
                assert_eq!(index.find(&entries, key), Some(position), "{count} {key}");
            }
            assert_eq!(index.find(&entries, "missing"), None);
        }
    }

    #[test]
    fn pushed_keys_are_found() {
        let mut entries = entries(SMALL);
        let mut index = Index::of(&entries);
        for n in 0..40 {
            entries.push((format!("new{n}"), n));
            index.pushed(&entries);
            assert_eq!(index, Index::of(&entries));
        }
        assert_eq!(index.find(&entries, "new7"), Some(SMALL + 7));
    }

    #[test]
    fn repeats_are_seen_in_small_and_large_maps() {
        let mut seen = Seen::default();
        let mut read: Vec<(String, ())> = Vec::new();
        for n in 0..100 {
            let key = format!("k{n}");
            assert!(!seen.repeats(&read, &key));
            read.push((key, ()));
        }
        assert!(seen.repeats(&read, "k3"));
        assert!(seen.repeats(&read, "k99"));
        let mut small = Seen::default();
        assert!(small.repeats(&read[..2], "k1"));
    }
}
