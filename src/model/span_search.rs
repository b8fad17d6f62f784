//! Text search within one trace: which spans mention a term in their name, inputs, outputs, attributes or
//! events. Case-insensitive for ASCII letters; JSON values are walked in place, never serialised, so a
//! search over 50,000 spans allocates nothing per span.

use super::Span;
use serde_json::Value;

/// Indexes of the spans that mention `term` (in the spans' order). An empty term matches nothing.
pub fn matching_spans(spans: &[Span], term: &str) -> Vec<usize> {
    let needle = term.trim().to_ascii_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    spans.iter().enumerate().filter(|(_, span)| span_mentions(span, needle.as_bytes())).map(|(index, _)| index).collect()
}

fn span_mentions(span: &Span, needle: &[u8]) -> bool {
    let text = |text: &str| contains_ignore_ascii_case(text.as_bytes(), needle);
    text(&span.name)
        || span.inputs.as_ref().is_some_and(|value| value_mentions(value, needle))
        || span.outputs.as_ref().is_some_and(|value| value_mentions(value, needle))
        || span.attributes.iter().any(|(key, value)| text(key) || value_mentions(value, needle))
        || span
            .events
            .iter()
            .any(|event| text(&event.name) || event.attributes.iter().any(|(key, value)| text(key) || value_mentions(value, needle)))
}

/// Keys and values anywhere in a JSON value (iteratively: values can be hundreds of levels deep).
fn value_mentions(value: &Value, needle: &[u8]) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        let found = match value {
            Value::String(text) => contains_ignore_ascii_case(text.as_bytes(), needle),
            Value::Number(number) => contains_ignore_ascii_case(number.to_string().as_bytes(), needle),
            Value::Bool(flag) => contains_ignore_ascii_case(if *flag { b"true" } else { b"false" }, needle),
            Value::Null => false,
            Value::Array(items) => {
                stack.extend(items);
                false
            }
            Value::Object(map) => {
                if map.keys().any(|key| contains_ignore_ascii_case(key.as_bytes(), needle)) {
                    return true;
                }
                stack.extend(map.values());
                false
            }
        };
        if found {
            return true;
        }
    }
    false
}

/// `needle` must be lowercase already.
fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.len() > haystack.len() {
        return false;
    }
    let first = needle[0];
    haystack
        .windows(needle.len())
        .any(|window| window[0].to_ascii_lowercase() == first && window.iter().zip(needle).all(|(a, b)| a.to_ascii_lowercase() == *b))
}
