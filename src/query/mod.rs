//! MLflow's trace search filter syntax: parsed to an AST ([`parse`]), printed back canonically for the
//! server (`Display`), and evaluated on traces in memory ([`eval`]) with the server's semantics, so that
//! searching loaded files and searching a tracking server give the same traces. Pure Rust.
//!
//! The grammar, as measured on a live MLflow server (../shared/mlflow/API.md (d)): clauses
//! `<identifier> <comparator> <value>` joined by `AND` only (no `OR`, no parentheses); strings quoted with
//! `'` or `"`; keys containing dots in backticks (``tag.`mlflow.traceName` ``).

pub mod builder;
pub mod eval;
pub mod order;
pub mod parse;

use std::fmt;

pub use eval::{span_contents, Matcher};
pub use order::{OrderBy, OrderKey};
pub use parse::{parse_filter, FilterError};

/// A whole filter: every clause must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub clauses: Vec<Clause>,
}

impl Filter {
    /// Whether this filter keeps only traces that `broader` keeps: it starts with `broader`'s clauses, each
    /// the same or a `LIKE`/`ILIKE` '%…%' search for longer text around the old one, and may add more
    /// (every clause must hold). Typing on in the search box narrows, so the table then tests only the
    /// traces the last search kept.
    pub fn narrows(&self, broader: &Filter) -> bool {
        broader.clauses.len() <= self.clauses.len()
            && broader.clauses.iter().zip(&self.clauses).all(|(old, new)| old == new || new.searches_around(old))
    }
}

impl Clause {
    /// `field LIKE '%longer%'` against `field LIKE '%long%'` (ILIKE: case aside): any text holding the
    /// longer holds the shorter.
    fn searches_around(&self, shorter: &Clause) -> bool {
        let (Some(longer_text), Some(shorter_text)) = (self.searched_text(), shorter.searched_text()) else { return false };
        self.field == shorter.field
            && self.op == shorter.op
            && match self.op {
                Op::Like => longer_text.contains(shorter_text),
                Op::ILike => longer_text.to_lowercase().contains(&shorter_text.to_lowercase()),
                _ => false,
            }
    }

    /// The text between the `%`s of a '%…%' pattern.
    fn searched_text(&self) -> Option<&str> {
        match &self.value {
            Operand::Text(pattern) if pattern.len() >= 2 => pattern.strip_prefix('%')?.strip_suffix('%'),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub field: Field,
    pub op: Op,
    pub value: Operand,
}

/// What a clause looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Status,
    TimestampMs,
    ExecutionTimeMs,
    EndTimeMs,
    RequestId,
    ClientRequestId,
    /// The trace name (tag `mlflow.traceName`).
    Name,
    /// Metadata `mlflow.sourceRun`.
    RunId,
    /// A linked prompt, `name/version`.
    Prompt,
    /// Full text over every span's content.
    Text,
    Tag(String),
    Metadata(String),
    SpanName,
    SpanType,
    SpanStatus,
    SpanContent,
    SpanAttribute(String),
    Feedback(String),
    Expectation(String),
    /// Accepted by the server; never matches loaded traces (issues are not part of trace files).
    Issue(String),
}

impl Field {
    /// Fields tested span by span: their clauses must all hold for the same span. `trace.text` is one (the
    /// server searches it in the span table).
    pub fn is_span_field(&self) -> bool {
        matches!(self, Field::SpanName | Field::SpanType | Field::SpanStatus | Field::SpanContent | Field::SpanAttribute(_) | Field::Text)
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Field::TimestampMs | Field::ExecutionTimeMs | Field::EndTimeMs)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    ILike,
    RLike,
    In,
    NotIn,
    IsNull,
    IsNotNull,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Like => "LIKE",
            Op::ILike => "ILIKE",
            Op::RLike => "RLIKE",
            Op::In => "IN",
            Op::NotIn => "NOT IN",
            Op::IsNull => "IS NULL",
            Op::IsNotNull => "IS NOT NULL",
        }
    }
}

/// The right-hand side of a clause.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Text(String),
    /// A number as written (kept as text so it prints back unchanged), with its value.
    Number(String, f64),
    List(Vec<String>),
    /// `IS NULL` / `IS NOT NULL` take none.
    None,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, clause) in self.clauses.iter().enumerate() {
            if index > 0 {
                f.write_str(" AND ")?;
            }
            write!(f, "{clause}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.op.as_str())?;
        match &self.value {
            // A clause's text came from a quoted literal or from the filter builder, which refuses what cannot
            // be quoted; were it ever otherwise, the clause prints without its literal (a syntax error the
            // search box shows) rather than with injected text.
            Operand::Text(text) => match quote(text) {
                Ok(quoted) => write!(f, " {quoted}"),
                Err(_) => Ok(()),
            },
            Operand::Number(text, _) => write!(f, " {text}"),
            Operand::List(items) => match items.iter().map(|item| quote(item)).collect::<Result<Vec<_>, _>>() {
                Ok(quoted) => write!(f, " ({})", quoted.join(", ")),
                Err(_) => Ok(()),
            },
            Operand::None => Ok(()),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Status => f.write_str("trace.status"),
            Field::TimestampMs => f.write_str("trace.timestamp_ms"),
            Field::ExecutionTimeMs => f.write_str("trace.execution_time_ms"),
            Field::EndTimeMs => f.write_str("trace.end_time_ms"),
            Field::RequestId => f.write_str("trace.request_id"),
            Field::ClientRequestId => f.write_str("trace.client_request_id"),
            Field::Name => f.write_str("trace.name"),
            Field::RunId => f.write_str("trace.run_id"),
            Field::Prompt => f.write_str("prompt"),
            Field::Text => f.write_str("trace.text"),
            Field::Tag(key) => write!(f, "tag.{}", key_text(key)),
            Field::Metadata(key) => write!(f, "metadata.{}", key_text(key)),
            Field::SpanName => f.write_str("span.name"),
            Field::SpanType => f.write_str("span.type"),
            Field::SpanStatus => f.write_str("span.status"),
            Field::SpanContent => f.write_str("span.content"),
            Field::SpanAttribute(key) => write!(f, "span.attributes.{}", key_text(key)),
            Field::Feedback(key) => write!(f, "feedback.{}", key_text(key)),
            Field::Expectation(key) => write!(f, "expectation.{}", key_text(key)),
            Field::Issue(key) => write!(f, "issue.{}", key_text(key)),
        }
    }
}

/// A key as written in a filter: bare when it is a plain identifier, in backticks otherwise.
pub fn key_text(key: &str) -> String {
    let plain =
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        key.to_string()
    } else {
        format!("`{key}`")
    }
}

/// A string literal: single quotes unless the text holds one. MLflow's grammar has no escapes inside quotes,
/// so text holding both quote marks cannot be written as a literal at all.
pub fn quote(text: &str) -> Result<String, Unquotable> {
    match (text.contains('\''), text.contains('"')) {
        (true, true) => Err(Unquotable(text.to_string())),
        (true, false) => Ok(format!("\"{text}\"")),
        (false, _) => Ok(format!("'{text}'")),
    }
}

/// Text that MLflow's filter syntax cannot quote (it holds both `'` and `"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unquotable(pub String);

impl fmt::Display for Unquotable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "This value holds both ' and \", which MLflow's filter syntax cannot quote, so it cannot be searched for: {}", self.0)
    }
}
