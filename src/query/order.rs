//! `order_by` as the server accepts it (`timestamp_ms DESC`, `trace.name ASC`, `tag.env`, …), sorting loaded
//! traces the same way; `tokens` sorts loaded rows only (the server cannot).

use super::key_text;
use crate::model::Trace;
use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderKey {
    Timestamp,
    ExecutionTime,
    EndTime,
    Status,
    Name,
    RequestId,
    RunId,
    Tag(String),
    Metadata(String),
    /// Total tokens: loaded rows only.
    Tokens,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderBy {
    pub key: OrderKey,
    pub descending: bool,
}

impl Default for OrderBy {
    /// Newest first, as MLflow lists traces.
    fn default() -> OrderBy {
        OrderBy { key: OrderKey::Timestamp, descending: true }
    }
}

impl OrderBy {
    pub fn parse(text: &str) -> Result<OrderBy, String> {
        let mut words = text.split_whitespace();
        let key_text = words.next().ok_or("order_by is empty")?;
        let descending = match words.next().map(str::to_ascii_uppercase).as_deref() {
            None | Some("ASC") => false,
            Some("DESC") => true,
            Some(other) => return Err(format!("order_by direction must be ASC or DESC, not {other}")),
        };
        let key_text = key_text.strip_prefix("trace.").unwrap_or(key_text);
        let unquote = |key: &str| key.trim_matches('`').to_string();
        let key = match key_text {
            "timestamp_ms" | "timestamp" => OrderKey::Timestamp,
            "execution_time_ms" | "execution_time" => OrderKey::ExecutionTime,
            "end_time_ms" | "end_time" => OrderKey::EndTime,
            "status" => OrderKey::Status,
            "name" => OrderKey::Name,
            "request_id" => OrderKey::RequestId,
            "run_id" => OrderKey::RunId,
            "tokens" => OrderKey::Tokens,
            other => match other.split_once('.') {
                Some(("tag" | "tags", key)) => OrderKey::Tag(unquote(key)),
                Some(("metadata" | "request_metadata", key)) => OrderKey::Metadata(unquote(key)),
                _ => return Err(format!("cannot sort by {other}")),
            },
        };
        Ok(OrderBy { key, descending })
    }

    /// Whether the tracking server can sort by this key itself.
    pub fn server_supported(&self) -> bool {
        self.key != OrderKey::Tokens
    }

    pub fn compare(&self, a: &Trace, b: &Trace) -> Ordering {
        let ordering = match &self.key {
            OrderKey::Timestamp => a.info.request_time_ns.cmp(&b.info.request_time_ns),
            OrderKey::ExecutionTime => a.info.execution_duration_ns.cmp(&b.info.execution_duration_ns),
            OrderKey::EndTime => end_time(a).cmp(&end_time(b)),
            OrderKey::Status => a.info.state.as_str().cmp(b.info.state.as_str()),
            OrderKey::Name => a.name().cmp(&b.name()),
            OrderKey::RequestId => a.info.trace_id.cmp(&b.info.trace_id),
            OrderKey::RunId => a.run_id().cmp(&b.run_id()),
            OrderKey::Tag(key) => a.info.tags.get(key).cmp(&b.info.tags.get(key)),
            OrderKey::Metadata(key) => a.info.metadata.get(key).cmp(&b.info.metadata.get(key)),
            OrderKey::Tokens => tokens(a).cmp(&tokens(b)),
        };
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

fn end_time(trace: &Trace) -> Option<u64> {
    Some(trace.info.request_time_ns? + trace.info.execution_duration_ns.unwrap_or(0))
}

fn tokens(trace: &Trace) -> Option<u64> {
    trace.token_usage().map(|usage| usage.total_tokens)
}

impl fmt::Display for OrderBy {
    /// The server's form, e.g. `timestamp_ms DESC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            OrderKey::Timestamp => f.write_str("timestamp_ms")?,
            OrderKey::ExecutionTime => f.write_str("execution_time_ms")?,
            OrderKey::EndTime => f.write_str("end_time_ms")?,
            OrderKey::Status => f.write_str("status")?,
            OrderKey::Name => f.write_str("name")?,
            OrderKey::RequestId => f.write_str("request_id")?,
            OrderKey::RunId => f.write_str("run_id")?,
            OrderKey::Tag(key) => write!(f, "tag.{}", key_text(key))?,
            OrderKey::Metadata(key) => write!(f, "metadata.{}", key_text(key))?,
            OrderKey::Tokens => f.write_str("tokens")?,
        }
        f.write_str(if self.descending { " DESC" } else { " ASC" })
    }
}
