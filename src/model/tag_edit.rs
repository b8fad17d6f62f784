//! Editing a trace's tags optimistically: a change shows at once and is sent; when the server refuses it,
//! that one tag goes back to what it was, unless the user changed it again meanwhile (other edits, saved or
//! on their way, are kept).

use std::collections::BTreeMap;

pub type Tags = BTreeMap<String, String>;

/// Sets (`Some`) or removes (`None`) a tag; returns its value before.
pub fn apply(tags: &mut Tags, key: &str, value: Option<&str>) -> Option<String> {
    match value {
        Some(value) => tags.insert(key.to_string(), value.to_string()),
        None => tags.remove(key),
    }
}

/// Undoes a refused `apply` of `attempted`, putting back `before`, when the tag still holds what was attempted.
pub fn revert(tags: &mut Tags, key: &str, attempted: Option<&str>, before: Option<String>) {
    if tags.get(key).map(String::as_str) != attempted {
        return;
    }
    match before {
        Some(before) => tags.insert(key.to_string(), before),
        None => tags.remove(key),
    };
}

/// Tags set by MLflow itself (`mlflow.*`): shown read-only, apart from the user's.
pub fn is_system_tag(key: &str) -> bool {
    key.starts_with("mlflow.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_refused_change_puts_the_tag_back_as_it_was() {
        let mut now = tags(&[("env", "dev")]);
        let before = apply(&mut now, "env", Some("prod"));
        assert_eq!(now, tags(&[("env", "prod")]));
        revert(&mut now, "env", Some("prod"), before);
        assert_eq!(now, tags(&[("env", "dev")]));

        let before = apply(&mut now, "new", Some("x"));
        revert(&mut now, "new", Some("x"), before);
        assert_eq!(now, tags(&[("env", "dev")]));

        let before = apply(&mut now, "env", None);
        assert!(now.is_empty());
        revert(&mut now, "env", None, before);
        assert_eq!(now, tags(&[("env", "dev")]));
    }

    #[test]
    fn a_refusal_leaves_a_tag_changed_again_meanwhile() {
        let mut now = tags(&[("env", "dev")]);
        let first = apply(&mut now, "env", Some("prod"));
        apply(&mut now, "env", Some("staging"));
        revert(&mut now, "env", Some("prod"), first);
        assert_eq!(now, tags(&[("env", "staging")]));
    }

    #[test]
    fn mlflow_tags_are_the_system_s() {
        assert!(is_system_tag("mlflow.traceName"));
        assert!(!is_system_tag("team"));
        assert!(!is_system_tag("mlflowish"));
    }
}
