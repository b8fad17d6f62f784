//! The trace view's keyboard shortcuts: one table gives both what a key does and the help dialog's list.
//! Plain Rust, tested natively.

/// What a shortcut of the trace view does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceKey {
    FocusSearch,
    NextTrace,
    PreviousTrace,
    Back,
    CloseHelp,
    ToggleHelp,
}

/// A line of the help dialog, and the keys (`KeyboardEvent.key`) the trace view acts on for it; keys the span
/// tree or the search box handle themselves are listed with none here.
pub struct Shortcut {
    pub label: &'static str,
    pub what: &'static str,
    keys: &'static [(&'static str, TraceKey)],
}

pub const SHORTCUTS: [Shortcut; 7] = [
    Shortcut { label: "↑ ↓", what: "Select the previous or next span", keys: &[] },
    Shortcut { label: "← →", what: "Fold or unfold the selected span (← on a folded span goes to its parent)", keys: &[] },
    Shortcut { label: "/", what: "Search within the trace", keys: &[("/", TraceKey::FocusSearch)] },
    Shortcut { label: "Enter, Shift+Enter", what: "Next or previous match (in the search box)", keys: &[] },
    Shortcut {
        label: "j k",
        what: "Open the next or previous trace of the table",
        keys: &[("j", TraceKey::NextTrace), ("k", TraceKey::PreviousTrace)],
    },
    Shortcut { label: "Esc", what: "Back to the table (or close this help)", keys: &[("Escape", TraceKey::Back)] },
    Shortcut { label: "?", what: "Show or hide this help", keys: &[("?", TraceKey::ToggleHelp)] },
];

/// What `key` (with no Ctrl, Cmd or Alt) does on the trace view: nothing while the user types in a field,
/// except Esc closing the help; Esc leaves an open image or other overlay to close itself first.
pub fn trace_key(key: &str, typing: bool, help_open: bool, overlay_open: bool) -> Option<TraceKey> {
    let action = SHORTCUTS.iter().flat_map(|shortcut| shortcut.keys).find(|(name, _)| *name == key).map(|(_, action)| *action)?;
    match action {
        TraceKey::Back if help_open => Some(TraceKey::CloseHelp),
        _ if typing => None,
        TraceKey::Back if overlay_open => None,
        other => Some(other),
    }
}

/// The trace after (or before) `current` in the table's order `ids`; None at either end or when it is not
/// listed.
pub fn neighbour(ids: &[String], current: &str, forward: bool) -> Option<String> {
    let at = ids.iter().position(|id| id == current)?;
    let next = if forward { at.checked_add(1) } else { at.checked_sub(1) }?;
    ids.get(next).cloned()
}

#[cfg(test)]
mod tests {
    use super::{neighbour, trace_key, TraceKey, SHORTCUTS};

    #[test]
    fn keys_act_as_the_help_says_and_not_while_typing() {
        assert_eq!(trace_key("j", false, false, false), Some(TraceKey::NextTrace));
        assert_eq!(trace_key("k", false, false, false), Some(TraceKey::PreviousTrace));
        assert_eq!(trace_key("/", false, false, false), Some(TraceKey::FocusSearch));
        assert_eq!(trace_key("?", false, true, false), Some(TraceKey::ToggleHelp));
        assert_eq!(trace_key("j", true, false, false), None, "typing a j in a field");
        assert_eq!(trace_key("x", false, false, false), None);
        // Esc: the help first, then an open image, then back to the table.
        assert_eq!(trace_key("Escape", true, true, true), Some(TraceKey::CloseHelp));
        assert_eq!(trace_key("Escape", false, false, true), None);
        assert_eq!(trace_key("Escape", false, false, false), Some(TraceKey::Back));
        assert_eq!(trace_key("Escape", true, false, false), None, "Esc in the search box only leaves it");
        // Every key acted on is in the help, under a label naming it.
        for shortcut in &SHORTCUTS {
            for (key, _) in shortcut.keys {
                let shown = if *key == "Escape" { "Esc" } else { key };
                assert!(shortcut.label.contains(shown), "{key} listed as {}", shortcut.label);
            }
        }
    }

    #[test]
    fn j_and_k_walk_the_table_order_and_stop_at_its_ends() {
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(neighbour(&ids, "b", true).as_deref(), Some("c"));
        assert_eq!(neighbour(&ids, "b", false).as_deref(), Some("a"));
        assert_eq!(neighbour(&ids, "c", true), None);
        assert_eq!(neighbour(&ids, "a", false), None);
        assert_eq!(neighbour(&ids, "z", true), None);
    }
}
