//! Parse errors that say what is wrong and where, in terms a user can act on.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Where in the document, as a JSON path such as `$.data.spans[3].start_time_unix_nano`; empty when the
    /// document as a whole is the problem (not JSON, unknown shape).
    pub path: String,
    pub message: String,
}

impl ParseError {
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> ParseError {
        ParseError { path: path.into(), message: message.into() }
    }

    pub fn whole(message: impl Into<String>) -> ParseError {
        ParseError { path: String::new(), message: message.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// A short description of a JSON value for error messages, never the whole (possibly huge) value.
pub fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                format!("the string \"{shown}…\"")
            } else {
                format!("the string \"{shown}\"")
            }
        }
        Value::Array(items) => format!("a list of {} items", items.len()),
        Value::Object(map) => format!("an object with keys {}", key_list(map)),
    }
}

/// The first few keys of an object, for messages about unexpected shapes.
pub fn key_list(map: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut keys: Vec<&str> = map.keys().map(String::as_str).take(8).collect();
    if keys.is_empty() {
        return "(none)".into();
    }
    if map.len() > keys.len() {
        keys.push("…");
    }
    keys.join(", ")
}
