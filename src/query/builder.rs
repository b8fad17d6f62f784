//! The filter dropdown's rules: the values the loaded traces offer for each choice, and the clauses a
//! filled-in form makes (valid syntax by construction: they are AST clauses, printed into the search box).

use super::{quote, Clause, Field, Op, Operand, Unquotable};
use crate::model::{AssessmentKind, Trace};
use crate::sorting::{btree_set, sort_by};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Distinct values the loaded traces hold for each choice.
#[derive(Clone, Default, PartialEq)]
pub struct Choices {
    pub names: BTreeSet<String>,
    pub users: BTreeSet<String>,
    pub sessions: BTreeSet<String>,
    pub runs: BTreeSet<String>,
    pub tag_keys: BTreeSet<String>,
    /// Feedback name → distinct values, as filter text (`true`, `friendly`, `0.8`).
    pub feedback: Vec<(String, BTreeSet<String>)>,
}

impl Choices {
    pub fn of(traces: &[Arc<Trace>]) -> Choices {
        let mut choices = Choices::default();
        for trace in traces {
            choices.names.insert(trace.name());
            choices.users.extend(trace.user().map(str::to_string));
            choices.sessions.extend(trace.session().map(str::to_string));
            choices.runs.extend(trace.run_id().map(str::to_string));
            choices.tag_keys.extend(trace.user_tags().map(|(key, _)| key.clone()));
            for assessment in trace.feedback().filter(|a| a.valid) {
                let AssessmentKind::Feedback { value, error: None } = &assessment.kind else { continue };
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Bool(_) | Value::Number(_) => value.to_string(),
                    _ => continue,
                };
                match choices.feedback.iter_mut().find(|(name, _)| *name == assessment.name) {
                    Some((_, values)) => {
                        values.insert(text);
                    }
                    None => choices.feedback.push((assessment.name.clone(), btree_set([text]))),
                }
            }
        }
        choices.names.remove("");
        sort_by(&mut choices.feedback, Ord::cmp);
        choices
    }
}

/// What the dropdown's form holds; an empty field asks for nothing. Times are Unix milliseconds (the form's
/// local date and time, converted by the browser).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterForm {
    pub state: String,
    pub name: String,
    pub user: String,
    pub session: String,
    pub run: String,
    pub tag_key: String,
    pub tag_value: String,
    pub feedback_name: String,
    pub feedback_value: String,
    pub min_ms: String,
    pub max_ms: String,
    pub from_ms: Option<f64>,
    pub to_ms: Option<f64>,
}

impl FilterForm {
    /// The clauses the form asks for, in the form's order; refused when a value cannot be quoted.
    pub fn clauses(&self) -> Result<Vec<Clause>, Unquotable> {
        let text = |field: Field, value: &str| {
            quote(value)?;
            Ok::<_, Unquotable>(Clause { field, op: Op::Eq, value: Operand::Text(value.to_string()) })
        };
        let number = |field: Field, op: Op, value: f64| Clause { field, op, value: Operand::Number(format!("{value}"), value) };
        fn chosen(value: &str) -> Option<&str> {
            Some(value.trim()).filter(|value| !value.is_empty())
        }
        let mut clauses = Vec::new();
        for (value, field) in [
            (self.state.as_str(), Field::Status),
            (self.name.as_str(), Field::Name),
            (self.user.as_str(), Field::Metadata("mlflow.trace.user".into())),
            (self.session.as_str(), Field::Metadata("mlflow.trace.session".into())),
            (self.run.as_str(), Field::RunId),
        ] {
            if let Some(value) = chosen(value) {
                clauses.push(text(field, value)?);
            }
        }
        if let Some(key) = chosen(&self.tag_key) {
            clauses.push(text(Field::Tag(key.to_string()), &self.tag_value)?);
        }
        if let Some(feedback) = chosen(&self.feedback_name) {
            let field = Field::Feedback(feedback.to_string());
            clauses.push(match chosen(&self.feedback_value) {
                // Numbers read as "at least"; other values must match.
                Some(value) => match value.parse::<f64>() {
                    Ok(score) => number(field, Op::Ge, score),
                    Err(_) => text(field, value)?,
                },
                None => Clause { field, op: Op::IsNotNull, value: Operand::None },
            });
        }
        for (value, op) in [(self.min_ms.as_str(), Op::Ge), (self.max_ms.as_str(), Op::Le)] {
            if let Some(ms) = chosen(value).and_then(|v| v.parse::<f64>().ok()) {
                clauses.push(number(Field::ExecutionTimeMs, op, ms));
            }
        }
        for (millis, op) in [(self.from_ms, Op::Ge), (self.to_ms, Op::Le)] {
            if let Some(millis) = millis.filter(|m| m.is_finite()) {
                clauses.push(number(Field::TimestampMs, op, millis));
            }
        }
        Ok(clauses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Filter;

    fn printed(form: &FilterForm) -> String {
        Filter { clauses: form.clauses().unwrap() }.to_string()
    }

    #[test]
    fn an_empty_form_asks_for_nothing() {
        assert!(FilterForm::default().clauses().unwrap().is_empty());
        assert!(FilterForm { session: "  ".into(), min_ms: "abc".into(), ..FilterForm::default() }.clauses().unwrap().is_empty());
    }

    #[test]
    fn each_field_becomes_its_clause() {
        let form = FilterForm {
            state: "ERROR".into(),
            session: " s-1 ".into(),
            tag_key: "env".into(),
            tag_value: "prod".into(),
            feedback_name: "correct".into(),
            feedback_value: "0.5".into(),
            min_ms: "100".into(),
            to_ms: Some(1_700_000_000_000.0),
            ..FilterForm::default()
        };
        let text = printed(&form);
        for part in [
            "trace.status = 'ERROR'",
            "'s-1'",
            "tag.env = 'prod'",
            "feedback.correct >= 0.5",
            "trace.execution_time_ms >= 100",
            "trace.timestamp_ms <= 1700000000000",
        ] {
            assert!(text.contains(part), "{part} not in {text}");
        }
        assert_eq!(form.clauses().unwrap().len(), 6);
    }

    #[test]
    fn a_feedback_without_a_value_asks_that_it_is_there_and_a_word_must_match() {
        let any = FilterForm { feedback_name: "tone".into(), ..FilterForm::default() };
        assert_eq!(any.clauses().unwrap()[0].op, Op::IsNotNull);
        let word = FilterForm { feedback_name: "tone".into(), feedback_value: "friendly".into(), ..FilterForm::default() };
        assert_eq!(word.clauses().unwrap()[0].op, Op::Eq);
    }

    #[test]
    fn a_value_holding_both_quote_marks_is_refused_not_injected() {
        let form = FilterForm { user: r#"o'neil "the" user' OR trace.status = 'OK"#.into(), ..FilterForm::default() };
        assert_eq!(form.clauses().unwrap_err(), Unquotable(form.user.clone()));
        let quoted = FilterForm { user: "o'neil".into(), tag_key: "note".into(), tag_value: r#"say "hi""#.into(), ..FilterForm::default() };
        assert_eq!(printed(&quoted), r#"metadata.`mlflow.trace.user` = "o'neil" AND tag.note = 'say "hi"'"#);
    }
}
