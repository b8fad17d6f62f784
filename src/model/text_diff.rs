//! Line diffs for comparing two spans' inputs and outputs (and two chat messages): the lines both have,
//! and those only one has, in order. The lines are aligned as the runs' steps are (`compare::align`).

use super::compare::align;
use super::loops::fingerprint;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Only in the first text.
    Removed,
    /// Only in the second.
    Added,
}

/// `before` and `after` line by line: every line of each once, in order, the shared ones once; where lines
/// changed, the removed ones come before the added ones.
pub fn diff_lines(before: &str, after: &str) -> Vec<(Change, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let key = |line: &&str| fingerprint(&[line]);
    let matched = align(&a.iter().map(key).collect::<Vec<_>>(), &b.iter().map(key).collect::<Vec<_>>());
    let mut lines = Vec::with_capacity(a.len().max(b.len()));
    let mut next_a = 0;
    let mut added = Vec::new();
    for (j, line) in b.iter().enumerate() {
        match matched[j] {
            Some(i) => {
                lines.extend(a[next_a..i].iter().map(|removed| (Change::Removed, removed.to_string())));
                lines.append(&mut added);
                lines.push((Change::Same, line.to_string()));
                next_a = i + 1;
            }
            None => added.push((Change::Added, line.to_string())),
        }
    }
    lines.extend(a[next_a..].iter().map(|removed| (Change::Removed, removed.to_string())));
    lines.append(&mut added);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_show_as_removed_then_added_and_the_rest_once() {
        let diff = diff_lines("{\n  \"city\": \"Paris\",\n  \"units\": \"C\"\n}", "{\n  \"city\": \"Rome\",\n  \"units\": \"C\"\n}");
        let shown: Vec<String> = diff
            .iter()
            .map(|(change, line)| {
                format!(
                    "{}{line}",
                    match change {
                        Change::Same => " ",
                        Change::Removed => "-",
                        Change::Added => "+",
                    }
                )
            })
            .collect();
        assert_eq!(shown, [" {", "-  \"city\": \"Paris\",", "+  \"city\": \"Rome\",", "   \"units\": \"C\"", " }"]);
    }

    #[test]
    fn equal_texts_have_no_change_and_empty_ones_no_lines() {
        assert!(diff_lines("a\nb", "a\nb").iter().all(|(change, _)| *change == Change::Same));
        assert!(diff_lines("", "").is_empty());
        assert_eq!(diff_lines("", "x"), [(Change::Added, "x".to_string())]);
        assert_eq!(diff_lines("x", ""), [(Change::Removed, "x".to_string())]);
    }
}
