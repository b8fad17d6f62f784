//! An edit of an assessment as the user made it: only what was changed is changed. A value whose text was
//! left as it was keeps its type and a judge's error; a string value stays a string ("4" is not 4); the
//! rationale is kept as typed. The fields changed are the ones to send. An override keeps what it replaced:
//! [`overridden`] reads that history.

use super::{Assessment, AssessmentKind};
use serde_json::Value;

/// A value as the user edits it: text as itself, anything else as JSON, nothing for null.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A value the user typed with no value to follow: JSON when it reads as JSON (`true`, `0.8`,
/// `["a"]`), else the text itself.
pub fn typed_value(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// Which fields an edit changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub value: bool,
    pub rationale: bool,
}

impl Changed {
    pub fn any(self) -> bool {
        self.value || self.rationale
    }
}

/// `original` after the user left `value` and `rationale` in the edit form.
pub fn edited(original: &Assessment, value: &str, rationale: &str) -> (Assessment, Changed) {
    let (old_value, error) = match &original.kind {
        AssessmentKind::Feedback { value, error } => (value, error.clone()),
        AssessmentKind::Expectation { value } => (value, None),
    };
    let changed =
        Changed { value: value != value_text(old_value), rationale: rationale != original.rationale.as_deref().unwrap_or_default() };
    let mut edited = original.clone();
    if changed.value {
        // A string stays a string whatever it reads as; another value's type follows the text.
        let new_value = match old_value {
            Value::String(_) => Value::String(value.to_string()),
            _ => typed_value(value),
        };
        edited.kind = match original.kind {
            // A value set by hand answers the judge's error: the error no longer stands.
            AssessmentKind::Feedback { .. } => AssessmentKind::Feedback { value: new_value, error: None },
            AssessmentKind::Expectation { .. } => AssessmentKind::Expectation { value: new_value },
        };
    } else if let AssessmentKind::Feedback { value, .. } = &original.kind {
        edited.kind = AssessmentKind::Feedback { value: value.clone(), error };
    }
    if changed.rationale {
        edited.rationale = (!rationale.trim().is_empty()).then(|| rationale.to_string());
    }
    (edited, changed)
}

/// The assessments this one overrode, newest first (each may override an older one in turn).
pub fn overridden(list: &[Assessment], assessment: &Assessment) -> Vec<Assessment> {
    let mut chain = Vec::new();
    let mut next = assessment.overrides.clone();
    while let Some(id) = next.take() {
        let Some(old) = list.iter().find(|a| a.assessment_id == id) else { break };
        if chain.iter().any(|a: &Assessment| a.assessment_id == id) {
            break;
        }
        next = old.overrides.clone();
        chain.push(old.clone());
    }
    chain
}
