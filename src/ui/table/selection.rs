//! Which traces of the table are selected (for delete, export and datasets). Plain Rust, tested natively.
//!
//! A click selects or unselects one row; shift+click extends from the last row clicked (the anchor) to this
//! one. Both ends are found by id in the rows as they are now (filtered, sorted, still arriving), so a range
//! never reaches rows that were between them in an older order.

use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    ids: HashSet<String>,
    anchor: Option<String>,
}

impl Selection {
    pub fn contains(&self, trace_id: &str) -> bool {
        self.ids.contains(trace_id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A click on the row of `trace_id` among `rows` (ids in the table's order): the row, or with `shift` the
    /// rows from the anchor to it, take the clicked row's new state. A row no longer shown does nothing.
    pub fn click<'a>(&mut self, rows: impl Iterator<Item = &'a str> + Clone, trace_id: &str, shift: bool) {
        let index_of = |id: &str| rows.clone().position(|row| row == id);
        let Some(index) = index_of(trace_id) else { return };
        let select = !self.ids.contains(trace_id);
        let range = match (shift, self.anchor.as_deref().and_then(index_of)) {
            (true, Some(start)) => start.min(index)..=start.max(index),
            _ => index..=index,
        };
        for row in rows.skip(*range.start()).take(range.end() - range.start() + 1) {
            match select {
                true => self.ids.insert(row.to_string()),
                false => self.ids.remove(row),
            };
        }
        self.anchor = Some(trace_id.to_string());
    }

    /// Whether every row shown is selected (and there is one).
    pub fn has_all<'a>(&self, mut rows: impl Iterator<Item = &'a str>) -> bool {
        let mut any = false;
        rows.all(|row| {
            any = true;
            self.ids.contains(row)
        }) && any
    }

    /// The header's checkbox: all rows shown, or none when all were.
    pub fn toggle_all<'a>(&mut self, rows: impl Iterator<Item = &'a str> + Clone) {
        let select = !self.has_all(rows.clone());
        self.ids.clear();
        if select {
            self.ids.extend(rows.map(str::to_string));
        }
    }

    /// Forgets traces that are gone (deleted on the server).
    pub fn forget(&mut self, gone: &[String]) {
        self.ids.retain(|id| !gone.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::Selection;

    const ROWS: [&str; 5] = ["a", "b", "c", "d", "e"];

    fn selected(selection: &Selection) -> Vec<&'static str> {
        ROWS.into_iter().filter(|row| selection.contains(row)).collect()
    }

    #[test]
    fn a_shift_click_extends_from_the_last_row_clicked_either_way() {
        let mut selection = Selection::default();
        selection.click(ROWS.into_iter(), "b", false);
        selection.click(ROWS.into_iter(), "d", true);
        assert_eq!(selected(&selection), ["b", "c", "d"]);
        // Shift+click on a selected row unselects back to the anchor (d), upwards.
        selection.click(ROWS.into_iter(), "c", true);
        assert_eq!(selected(&selection), ["b"]);
        // A plain click toggles one row and moves the anchor.
        selection.click(ROWS.into_iter(), "e", false);
        selection.click(ROWS.into_iter(), "a", true);
        assert_eq!(selected(&selection), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn a_range_follows_the_rows_as_they_are_now() {
        let mut selection = Selection::default();
        selection.click(ROWS.into_iter(), "a", false);
        // Re-sorted: e, d, c, b, a. From a to d now spans a, b, c, d in the new order, not by old positions.
        let resorted = ["e", "d", "c", "b", "a"];
        selection.click(resorted.into_iter(), "d", true);
        assert_eq!(selected(&selection), ["a", "b", "c", "d"]);
        // The anchor filtered out: a shift+click selects the clicked row alone.
        let filtered = ["e", "d"];
        selection.click(filtered.into_iter(), "e", true);
        assert!(selection.contains("e") && selection.len() == 5);
        selection.click(filtered.into_iter(), "gone", false);
        assert_eq!(selection.len(), 5, "a row no longer shown does nothing");
    }

    #[test]
    fn select_all_and_forgetting_deleted_traces() {
        let mut selection = Selection::default();
        assert!(!selection.has_all(std::iter::empty()), "no rows, nothing to have all of");
        selection.toggle_all(ROWS.into_iter());
        assert!(selection.has_all(ROWS.into_iter()) && selection.len() == 5);
        selection.forget(&["b".to_string(), "c".to_string()]);
        assert_eq!(selected(&selection), ["a", "d", "e"]);
        selection.toggle_all(ROWS.into_iter());
        assert_eq!(selected(&selection), ROWS, "not all were selected: all are now");
        selection.toggle_all(ROWS.into_iter());
        assert!(selection.is_empty());
    }
}
