//! Editing an assessment changes only what the user changed: a string stays a string, a judge's error stays
//! while the value is untouched, and only the changed fields are sent.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use trace_viewer::model::assessment_edit::{edited, value_text, Changed};
use trace_viewer::model::{Assessment, AssessmentError, AssessmentKind};

fn feedback(value: Value, rationale: Option<&str>, error: Option<AssessmentError>) -> Assessment {
    Assessment {
        assessment_id: "a-1".into(),
        name: "score".into(),
        trace_id: "tr-1".into(),
        span_id: None,
        source_type: "LLM_JUDGE".into(),
        source_id: Some("judge".into()),
        kind: AssessmentKind::Feedback { value, error },
        rationale: rationale.map(str::to_string),
        create_time_ns: None,
        last_update_time_ns: None,
        metadata: Default::default(),
        overrides: None,
        valid: true,
    }
}

fn value_of(assessment: &Assessment) -> &Value {
    match &assessment.kind {
        AssessmentKind::Feedback { value, .. } | AssessmentKind::Expectation { value } => value,
    }
}

#[test]
fn editing_only_the_rationale_keeps_the_value_exactly() {
    for value in [json!("4"), json!("true"), json!("null"), json!("  padded  "), json!(4), json!(true), json!({"a": [1]})] {
        let original = feedback(value.clone(), Some("old"), None);
        let (after, changed) = edited(&original, &value_text(&value), "new reason");
        assert_eq!(changed, Changed { value: false, rationale: true }, "{value}");
        assert_eq!(value_of(&after), &value, "the value and its type are kept");
        assert_eq!(after.rationale.as_deref(), Some("new reason"));
    }
}

#[test]
fn a_judges_error_stays_until_a_value_is_set() {
    let error = AssessmentError { code: Some("RATE_LIMIT".into()), message: Some("judge failed".into()), stack_trace: None };
    let original = feedback(Value::Null, None, Some(error.clone()));
    let (after, changed) = edited(&original, "", "looked at it");
    assert_eq!(changed, Changed { value: false, rationale: true });
    assert!(matches!(&after.kind, AssessmentKind::Feedback { error: Some(kept), .. } if *kept == error));
    let (after, changed) = edited(&original, "0.7", "");
    assert_eq!(changed, Changed { value: true, rationale: false });
    assert!(matches!(&after.kind, AssessmentKind::Feedback { value, error: None } if *value == json!(0.7)));
}

#[test]
fn a_changed_value_keeps_its_kind_and_nothing_changed_sends_nothing() {
    let (after, _) = edited(&feedback(json!("4"), None, None), "5", "");
    assert_eq!(value_of(&after), &json!("5"), "a string stays a string");
    let (after, _) = edited(&feedback(json!(4), None, None), "5", "");
    assert_eq!(value_of(&after), &json!(5), "a number stays a number");
    let (after, _) = edited(&feedback(json!(true), None, None), "false", "");
    assert_eq!(value_of(&after), &json!(false));
    let (after, changed) = edited(&feedback(json!("x"), Some("why"), None), "x", "why");
    assert!(!changed.any());
    assert_eq!(after, feedback(json!("x"), Some("why"), None));
    let (after, _) = edited(&feedback(json!(1), Some("why"), None), "1", "   ");
    assert_eq!(after.rationale, None, "a rationale emptied is removed");
}

#[test]
fn an_override_lists_what_it_replaced_newest_first_and_a_cycle_ends_it() {
    use trace_viewer::model::assessment_edit::overridden;
    let with = |id: &str, overrides: Option<&str>| Assessment {
        assessment_id: id.into(),
        overrides: overrides.map(str::to_string),
        ..feedback(json!(true), None, None)
    };
    let list = vec![with("a-1", None), with("a-2", Some("a-1")), with("a-3", Some("a-2"))];
    let ids = |chain: Vec<Assessment>| chain.into_iter().map(|a| a.assessment_id).collect::<Vec<_>>();
    assert_eq!(ids(overridden(&list, &list[2])), ["a-2", "a-1"]);
    assert!(overridden(&list, &list[0]).is_empty());
    assert_eq!(ids(overridden(&list, &with("x", Some("gone")))), Vec::<String>::new(), "an override of a deleted one");
    // Hand-written data where two override each other: each is listed once.
    let cycle = vec![with("p", Some("q")), with("q", Some("p"))];
    assert_eq!(ids(overridden(&cycle, &cycle[0])), ["q", "p"]);
}
