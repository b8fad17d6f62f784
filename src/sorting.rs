//! One stable sort for the whole app.
//!
//! Every `slice::sort_by` call with its own closure compiles its own copy of the standard library's sort
//! (about 3.6 KB of wasm each; 24 copies were 6 % of the binary). These functions sort positions through
//! one `dyn` comparator, so the standard sort is compiled once, and then move the items into that order.
//! `collect()` into a `BTreeMap`, a `BTreeSet` or a JSON object sorts too (one more copy per call site):
//! [`btree_map`], [`btree_set`] and [`json_object`] insert instead.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    // Nothing to order, and nothing allocated (a span tree sorts the children of every span, most have none).
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    put_in_order(items, order);
}

/// Sorts `items` stably by the key `key` gives each, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Collects pairs into a map like `collect()` (a later value for the same key wins), without sorting.
pub fn btree_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// Collects items into a set like `collect()`, without sorting.
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Collects pairs into a JSON object like `collect()` (a later value for the same key wins), without sorting.
pub fn json_object(pairs: impl IntoIterator<Item = (String, serde_json::Value)>) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    object.extend(pairs);
    serde_json::Value::Object(object)
}

/// The positions `0..len` in the order `compare` gives them; equal ones keep their order.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    #[allow(clippy::disallowed_methods)] // the one copy of the standard sort
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Rearranges `items` so that position `k` holds the item that was at `order[k]`, by following each cycle of
/// the permutation with swaps.
fn put_in_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Pairs sorted by their first element only, so that stability shows in the second.
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 33, 200] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|position| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, position)
                })
                .collect();
            let mut expected = items.clone();
            #[allow(clippy::disallowed_methods)] // the standard sort is what it is checked against
            expected.sort_by_key(|item| item.0);
            let mut sorted = items.clone();
            sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            assert_eq!(sorted, expected, "{len} items");

            let mut expected = items.clone();
            #[allow(clippy::disallowed_methods)]
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            let mut sorted = items;
            sort_by_key(&mut sorted, |item| std::cmp::Reverse(item.0));
            assert_eq!(sorted, expected, "{len} items by key");
        }
    }

    #[test]
    fn collects_like_collect() {
        let pairs = || [(3, "c"), (1, "a"), (3, "c2"), (2, "b")];
        assert_eq!(btree_map(pairs()), pairs().into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(btree_set(pairs().map(|(key, _)| key)), pairs().into_iter().map(|(key, _)| key).collect::<BTreeSet<_>>());
        let json_pairs = || pairs().map(|(key, value)| (key.to_string(), serde_json::Value::from(value)));
        assert_eq!(json_object(json_pairs()), serde_json::Value::Object(json_pairs().into_iter().collect()));
        assert_eq!(json_object(json_pairs())["3"], "c2");
    }
}
