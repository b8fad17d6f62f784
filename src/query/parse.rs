//! Parsing a filter string, with errors that point at the character where the problem starts.
//!
//! What the server accepts, and only that, is accepted here, so a syntax error shows before anything is
//! sent. Text without any comparator (`paris weather`) is a plain-words search: `trace.text ILIKE '%…%'`.

use super::{Clause, Field, Filter, Op, Operand};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// Character (not byte) offset where the problem starts.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for FilterError {}

/// Parses a filter. An empty string is the empty filter (everything matches).
pub fn parse_filter(input: &str) -> Result<Filter, FilterError> {
    if input.trim().is_empty() {
        return Ok(Filter::default());
    }
    if is_plain_words(input) {
        return Ok(Filter {
            clauses: vec![Clause { field: Field::Text, op: Op::ILike, value: Operand::Text(format!("%{}%", input.trim())) }],
        });
    }
    let tokens = tokenize(input)?;
    Parser { input, tokens, next: 0 }.filter()
}

/// Text that does not read as a filter: no comparator, quote, backtick or parenthesis, and not of the
/// form `<field> IS [NOT] NULL` / `<field> LIKE …` (a dotted or known field followed by a keyword). So
/// `weather in paris` searches text rather than failing as a clause.
fn is_plain_words(input: &str) -> bool {
    if input.contains(['=', '<', '>', '!', '\'', '"', '`', '(', ')']) {
        return false;
    }
    let mut words = input.split_whitespace();
    let (first, second) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let looks_like_field = first.contains('.') || resolve_field(&[first.to_string()]).is_ok();
    let comparator_word = matches!(second.to_ascii_uppercase().as_str(), "LIKE" | "ILIKE" | "RLIKE" | "IN" | "IS" | "NOT");
    !(looks_like_field && comparator_word)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A dotted identifier: its segments (backticked ones unquoted).
    Identifier(Vec<String>),
    Word(String),
    Text(String),
    Number(String),
    Comparator(&'static str),
    Open,
    Close,
    Comma,
}

struct Spanned {
    token: Token,
    /// Byte offset in the input.
    at: usize,
}

fn tokenize(input: &str) -> Result<Vec<Spanned>, FilterError> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |at: usize, message: String| FilterError { position: input[..at].chars().count(), message };
    while i < bytes.len() {
        let at = i;
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                tokens.push(Spanned { token: Token::Open, at });
                i += 1;
            }
            b')' => {
                tokens.push(Spanned { token: Token::Close, at });
                i += 1;
            }
            b',' => {
                tokens.push(Spanned { token: Token::Comma, at });
                i += 1;
            }
            b'\'' | b'"' => {
                let end = input[i + 1..].find(c as char).ok_or_else(|| error(at, "this quote is never closed".into()))?;
                tokens.push(Spanned { token: Token::Text(input[i + 1..i + 1 + end].to_string()), at });
                i += end + 2;
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = input.get(i..i + 2).unwrap_or("");
                let comparator = match two {
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    "<>" => "!=",
                    "==" => return Err(error(at, "use = to compare, not ==".into())),
                    _ => match c {
                        b'=' => "=",
                        b'<' => "<",
                        b'>' => ">",
                        _ => return Err(error(at, "! must be followed by = (!=)".into())),
                    },
                };
                i += if ["!=", "<=", ">=", "<>"].contains(&two) { 2 } else { 1 };
                tokens.push(Spanned { token: Token::Comparator(comparator), at });
            }
            b'0'..=b'9' | b'-' | b'.' if c != b'.' || bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let start = i;
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b'e' || bytes[i] == b'E') {
                    i += 1;
                }
                let text = &input[start..i];
                if text.parse::<f64>().is_err() {
                    return Err(error(at, format!("{text} is not a number")));
                }
                tokens.push(Spanned { token: Token::Number(text.to_string()), at });
            }
            b'`' | b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                let mut segments = Vec::new();
                loop {
                    if bytes.get(i) == Some(&b'`') {
                        let end = input[i + 1..].find('`').ok_or_else(|| error(i, "this backtick is never closed".into()))?;
                        segments.push(input[i + 1..i + 1 + end].to_string());
                        i += end + 2;
                    } else {
                        let start = i;
                        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                            i += 1;
                        }
                        if start == i {
                            return Err(error(i, "expected a name after the dot".into()));
                        }
                        segments.push(input[start..i].to_string());
                    }
                    if bytes.get(i) == Some(&b'.') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let token = if segments.len() == 1 && c != b'`' { Token::Word(segments.remove(0)) } else { Token::Identifier(segments) };
                tokens.push(Spanned { token, at });
            }
            _ => {
                let shown = input[i..].chars().next().unwrap_or('?');
                return Err(error(at, format!("unexpected character {shown:?}")));
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Spanned>,
    next: usize,
}

impl Parser<'_> {
    fn filter(mut self) -> Result<Filter, FilterError> {
        let mut clauses = vec![self.clause()?];
        while self.next < self.tokens.len() {
            match &self.tokens[self.next].token {
                Token::Word(word) if word.eq_ignore_ascii_case("AND") => {
                    self.next += 1;
                    clauses.push(self.clause()?);
                }
                Token::Word(word) if word.eq_ignore_ascii_case("OR") => {
                    return Err(self.error_here("OR is not supported: clauses can only be joined with AND"))
                }
                _ => return Err(self.error_here("expected AND before the next clause")),
            }
        }
        Ok(Filter { clauses })
    }

    fn clause(&mut self) -> Result<Clause, FilterError> {
        let at = self.position();
        let (segments, identifier_at) = match self.take() {
            Some(Spanned { token: Token::Word(word), at }) => (vec![word], at),
            Some(Spanned { token: Token::Identifier(segments), at }) => (segments, at),
            Some(Spanned { token: Token::Open, .. }) => {
                return Err(self.error_at(at, "parentheses are not supported: join clauses with AND"))
            }
            Some(_) => return Err(self.error_at(at, "expected a field such as trace.status, tag.<key> or span.name")),
            None => return Err(self.error_at(at, "expected a clause after AND")),
        };
        let field = resolve_field(&segments).map_err(|message| self.error_at(identifier_at, &message))?;
        let op_at = self.position();
        let op = self.comparator()?;
        check_comparator(&field, op).map_err(|message| self.error_at(op_at, &message))?;
        let value_at = self.position();
        let value = match op {
            Op::IsNull | Op::IsNotNull => Operand::None,
            Op::In | Op::NotIn => self.list()?,
            _ => match self.take() {
                Some(Spanned { token: Token::Text(text), .. }) => Operand::Text(text),
                Some(Spanned { token: Token::Number(text), .. }) => {
                    let number = text.parse().unwrap_or(0.0);
                    Operand::Number(text, number)
                }
                Some(Spanned { token: Token::Word(word), .. }) => {
                    return Err(self.error_at(value_at, &format!("the value {word} must be quoted: '{word}' (single or double quotes)")))
                }
                _ => return Err(self.error_at(value_at, "expected a value after the comparator")),
            },
        };
        check_operand(&field, op, &value).map_err(|message| self.error_at(value_at, &message))?;
        Ok(Clause { field, op, value })
    }

    fn comparator(&mut self) -> Result<Op, FilterError> {
        let at = self.position();
        let upper_word = |token: Option<&Spanned>| match token {
            Some(Spanned { token: Token::Word(word), .. }) => word.to_ascii_uppercase(),
            _ => String::new(),
        };
        let op = match self.take() {
            Some(Spanned { token: Token::Comparator(symbol), .. }) => match symbol {
                "=" => Op::Eq,
                "!=" => Op::Ne,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                _ => Op::Ge,
            },
            Some(Spanned { token: Token::Word(word), .. }) => match word.to_ascii_uppercase().as_str() {
                "LIKE" => Op::Like,
                "ILIKE" => Op::ILike,
                "RLIKE" => Op::RLike,
                "IN" => Op::In,
                "NOT" if word_is(self.tokens.get(self.next), "IN") => {
                    self.next += 1;
                    Op::NotIn
                }
                "IS" => {
                    let not = upper_word(self.tokens.get(self.next)) == "NOT";
                    if not {
                        self.next += 1;
                    }
                    if upper_word(self.tokens.get(self.next)) != "NULL" {
                        return Err(self.error_here("expected NULL after IS"));
                    }
                    self.next += 1;
                    if not {
                        Op::IsNotNull
                    } else {
                        Op::IsNull
                    }
                }
                _ => return Err(self.error_at(at, &format!("{word} is not a comparator"))),
            },
            None => return Err(self.error_at(at, "expected a comparator (=, !=, <, >, LIKE, IN, IS NULL, …)")),
            Some(_) => return Err(self.error_at(at, "expected a comparator (=, !=, <, >, LIKE, IN, IS NULL, …)")),
        };
        Ok(op)
    }

    fn list(&mut self) -> Result<Operand, FilterError> {
        if !matches!(self.take(), Some(Spanned { token: Token::Open, .. })) {
            return Err(self.error_at(self.position_before(), "IN takes a list in parentheses: ('a', 'b')"));
        }
        let mut items = Vec::new();
        loop {
            match self.take() {
                Some(Spanned { token: Token::Text(text), .. }) => items.push(text),
                _ => return Err(self.error_at(self.position_before(), "expected a quoted value in the list")),
            }
            match self.take() {
                Some(Spanned { token: Token::Comma, .. }) => continue,
                Some(Spanned { token: Token::Close, .. }) => break,
                _ => return Err(self.error_at(self.position_before(), "expected , or ) in the list")),
            }
        }
        Ok(Operand::List(items))
    }

    fn take(&mut self) -> Option<Spanned> {
        let token = self.tokens.get(self.next).map(|s| Spanned { token: s.token.clone(), at: s.at });
        if token.is_some() {
            self.next += 1;
        }
        token
    }

    /// Byte offset of the next token (or the end).
    fn position(&self) -> usize {
        self.tokens.get(self.next).map_or(self.input.len(), |s| s.at)
    }

    fn position_before(&self) -> usize {
        self.tokens.get(self.next.saturating_sub(1)).map_or(self.input.len(), |s| s.at)
    }

    fn error_here(&self, message: &str) -> FilterError {
        self.error_at(self.position(), message)
    }

    fn error_at(&self, at: usize, message: &str) -> FilterError {
        FilterError { position: self.input[..at.min(self.input.len())].chars().count(), message: message.to_string() }
    }
}

fn word_is(token: Option<&Spanned>, expected: &str) -> bool {
    matches!(token, Some(Spanned { token: Token::Word(word), .. }) if word.eq_ignore_ascii_case(expected))
}

const ENTITIES: &str = "trace, attributes, tag, metadata, span, feedback, expectation";

fn resolve_field(segments: &[String]) -> Result<Field, String> {
    let attribute = |key: &str| -> Result<Field, String> {
        Ok(match key {
            "status" => Field::Status,
            "timestamp_ms" | "timestamp" => Field::TimestampMs,
            "execution_time_ms" | "execution_time" => Field::ExecutionTimeMs,
            "end_time_ms" | "end_time" => Field::EndTimeMs,
            "request_id" => Field::RequestId,
            "client_request_id" => Field::ClientRequestId,
            "name" => Field::Name,
            "run_id" => Field::RunId,
            "prompt" => Field::Prompt,
            "text" => Field::Text,
            other => {
                return Err(format!(
                    "unknown trace attribute {other}: use status, name, timestamp_ms, execution_time_ms, end_time_ms, \
                     request_id, client_request_id, run_id, prompt or text"
                ))
            }
        })
    };
    let single_key = |entity: &str, rest: &[String]| -> Result<String, String> {
        match rest {
            [key] => Ok(key.clone()),
            [] => Err(format!("{entity}. needs a key")),
            _ => Err(format!("keys with dots need backticks: {entity}.`{}`", rest.join("."))),
        }
    };
    match segments {
        [key] => attribute(key),
        [entity, rest @ ..] => match entity.as_str() {
            "trace" | "attribute" | "attributes" => attribute(&single_key(entity, rest)?),
            "tag" | "tags" => Ok(Field::Tag(single_key(entity, rest)?)),
            "metadata" | "request_metadata" => Ok(Field::Metadata(single_key(entity, rest)?)),
            "feedback" => Ok(Field::Feedback(single_key(entity, rest)?)),
            "expectation" => Ok(Field::Expectation(single_key(entity, rest)?)),
            "issue" => Ok(Field::Issue(single_key(entity, rest)?)),
            "span" => match rest {
                [key] => match key.as_str() {
                    "name" => Ok(Field::SpanName),
                    "type" => Ok(Field::SpanType),
                    "status" => Ok(Field::SpanStatus),
                    "content" => Ok(Field::SpanContent),
                    other => Err(format!(
                        "unknown span field {other}: use span.name, span.type, span.status, span.content or span.attributes.<key>"
                    )),
                },
                [attributes, key] if attributes == "attributes" => Ok(Field::SpanAttribute(key.clone())),
                [attributes, key @ ..] if attributes == "attributes" && !key.is_empty() => {
                    Err(format!("keys with dots need backticks: span.attributes.`{}`", key.join(".")))
                }
                _ => Err("use span.name, span.type, span.status, span.content or span.attributes.<key>".into()),
            },
            other => Err(format!("unknown entity {other}: use {ENTITIES}")),
        },
        [] => Err("expected a field".into()),
    }
}

/// The comparators the server allows for each field.
fn check_comparator(field: &Field, op: Op) -> Result<(), String> {
    use Op::*;
    let allowed: &[Op] = match field {
        Field::Status | Field::SpanName | Field::SpanType | Field::SpanStatus => &[Eq, Ne, In, NotIn, Like, ILike, RLike],
        Field::RequestId | Field::ClientRequestId => &[Eq, Ne, In, NotIn, Like, ILike, RLike],
        Field::TimestampMs | Field::ExecutionTimeMs | Field::EndTimeMs => &[Eq, Ne, Lt, Le, Gt, Ge],
        Field::Name | Field::RunId | Field::Tag(_) => &[Eq, Ne, Like, ILike, RLike, IsNull, IsNotNull],
        Field::Metadata(key) if key == "mlflow.trace.tokenUsage" => &[Eq, Ne, IsNull, IsNotNull],
        Field::Metadata(_) => &[Eq, Ne, Like, ILike, RLike, IsNull, IsNotNull],
        Field::Prompt => &[Eq],
        Field::Text | Field::SpanContent => &[Like, ILike],
        Field::SpanAttribute(_) => &[Eq, Ne, Like, ILike, RLike],
        Field::Feedback(_) | Field::Expectation(_) => &[Eq, Ne, Lt, Le, Gt, Ge, Like, ILike, RLike, IsNull, IsNotNull],
        Field::Issue(_) => &[Eq, Ne, Like, ILike, RLike, In, NotIn, IsNull, IsNotNull],
    };
    if allowed.contains(&op) {
        Ok(())
    } else {
        let names: Vec<&str> = allowed.iter().map(|op| op.as_str()).collect();
        Err(format!("{} cannot be used with {field}; use {}", op.as_str(), names.join(", ")))
    }
}

fn check_operand(field: &Field, op: Op, value: &Operand) -> Result<(), String> {
    let numeric_op = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    match (field, value) {
        (Field::TimestampMs | Field::ExecutionTimeMs | Field::EndTimeMs, Operand::Text(text)) if text.trim().parse::<f64>().is_err() => {
            Err(format!("{field} compares numbers (milliseconds), not '{text}'"))
        }
        (Field::Feedback(_) | Field::Expectation(_), Operand::Number(text, _)) if !numeric_op => {
            Err(format!("quote the value for {}: '{text}'", op.as_str()))
        }
        (Field::Feedback(_) | Field::Expectation(_), Operand::Text(text)) if numeric_op && text.trim().parse::<f64>().is_err() => {
            Err(format!("{} compares numbers, not '{text}'", op.as_str()))
        }
        (field, Operand::Number(text, _)) if !field.is_numeric() && !matches!(field, Field::Feedback(_) | Field::Expectation(_)) => {
            Err(format!("the value {text} must be quoted: '{text}'"))
        }
        (Field::Prompt, Operand::Text(text)) if !text.contains('/') => {
            Err(format!("prompt takes 'name/version', e.g. 'my-prompt/2', not '{text}'"))
        }
        _ => Ok(()),
    }
}
