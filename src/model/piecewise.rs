//! Parsing a document a piece at a time, so that the browser can paint and answer input between pieces:
//! a 28 MB trace parsed in one call holds the page for more than a second.
//!
//! A list of traces is read one trace at a time, one trace's document (get-trace-artifact, `Trace.to_json()`)
//! one span at a time, in a single pass over the text: each piece is decoded where it stands and parsed as
//! [`super::parse`] would parse it, and only one piece at a time is held decoded. Other shapes (OTLP,
//! several documents, search answers) and anything invalid are parsed in one call by [`parse_whole`], which
//! also gives the error messages, so that a document reads the same however it is parsed.

use super::error::ParseError;
use super::parse::{as_object, parse_object, parse_span, parse_whole, trace_from_parsed};
use super::{Span, Trace};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

pub struct PiecewiseParse<'a> {
    text: &'a str,
    /// Byte offset of the next thing to read.
    position: usize,
    step: Step,
    pieces_done: usize,
    traces: Vec<Trace>,
    /// How many traces [`Self::take_traces`] handed out already.
    traces_taken: usize,
    spans: Vec<Span>,
    /// Where the streamed spans were: `$.spans` or `$.data.spans`.
    spans_path: Option<&'static str>,
    /// The other members of the document's object (`data` too when its spans are streamed), for the shape check.
    members: Vec<String>,
    info: Option<&'a RawValue>,
    read_whole: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    /// Before a member (or the end) of the document's object, or of its `data` object.
    Members {
        in_data: bool,
        first: bool,
    },
    /// Before an item (or the end) of the document's list of traces, or of a `spans` list.
    Items {
        spans: bool,
        in_data: bool,
        first: bool,
    },
    Finished,
    /// Not a shape read in pieces, or not valid: parsed in one call.
    Whole,
}

/// Members whose presence makes the document another shape (see `parse_object`'s order).
const OTHER_SHAPES: [&str; 6] = ["trace_info", "trace", "resourceSpans", "resource_spans", "traces", "trace_infos"];

impl<'a> PiecewiseParse<'a> {
    pub fn new(text: &'a str) -> PiecewiseParse<'a> {
        let mut parse = PiecewiseParse {
            text,
            position: 0,
            step: Step::Whole,
            pieces_done: 0,
            traces: Vec::new(),
            traces_taken: 0,
            spans: Vec::new(),
            spans_path: None,
            members: Vec::new(),
            info: None,
            read_whole: false,
        };
        parse.skip_whitespace();
        parse.step = match parse.text.as_bytes().get(parse.position) {
            Some(b'[') => Step::Items { spans: false, in_data: false, first: true },
            Some(b'{') => Step::Members { in_data: false, first: true },
            _ => Step::Whole,
        };
        if parse.step != Step::Whole {
            parse.position += 1;
        }
        parse
    }

    /// What a piece is: "spans", or "traces" for a list (and for a document parsed in one call).
    pub fn pieces_are(&self) -> &'static str {
        if self.spans_path.is_some() {
            "spans"
        } else {
            "traces"
        }
    }

    /// How many pieces are parsed (for a document parsed in one call, how many traces it held).
    pub fn done(&self) -> usize {
        self.pieces_done
    }

    /// The share of the text read, from 0 to 1.
    pub fn fraction_read(&self) -> f64 {
        self.position as f64 / self.text.len().max(1) as f64
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Finished
    }

    /// Parses up to `count` more pieces (a document parsed in one call is one piece).
    pub fn parse_pieces(&mut self, count: usize) -> Result<(), ParseError> {
        let mut left = count;
        while left > 0 {
            match self.step {
                Step::Finished => return Ok(()),
                Step::Whole => {
                    self.traces = parse_whole(self.text)?;
                    self.pieces_done = self.traces.len();
                    // Parsed again from the start: those handed out already are the first ones.
                    self.traces.drain(..self.traces_taken.min(self.traces.len()));
                    self.read_whole = true;
                    self.position = self.text.len();
                    self.step = Step::Finished;
                    left -= 1;
                }
                Step::Members { in_data, first } => {
                    if self.next_member(in_data, first).is_none() {
                        self.step = Step::Whole;
                    }
                }
                Step::Items { spans, in_data, first } => match self.next_item(spans, in_data, first) {
                    Some(Some(item)) => {
                        self.step = Step::Items { spans, in_data, first: false };
                        self.parse_item(spans, item)?;
                        left -= 1;
                    }
                    Some(None) => {}
                    None => self.step = Step::Whole,
                },
            }
        }
        Ok(())
    }

    /// The traces complete so far and not taken before: a list's traces as they are parsed (a document read
    /// span by span gives its one trace only at [`Self::finish`]). If the parse then fails, the document is
    /// invalid and so are the traces taken from it.
    pub fn take_traces(&mut self) -> Vec<Trace> {
        let taken = std::mem::take(&mut self.traces);
        self.traces_taken += taken.len();
        taken
    }

    /// The traces not taken yet, once every piece is parsed (the rest is parsed now otherwise).
    pub fn finish(mut self) -> Result<Vec<Trace>, ParseError> {
        self.parse_pieces(usize::MAX)?;
        if self.read_whole {
            return Ok(self.traces);
        }
        if !self.is_streamed_shape() {
            return parse_whole(self.text);
        }
        if self.spans_path.is_none() {
            return Ok(self.traces);
        }
        let own_info = self.info.map(|raw| decode(raw, "$.info")).transpose()?;
        let info = own_info.as_ref().filter(|value| !value.is_null()).map(|value| as_object(value, "$.info")).transpose()?;
        Ok(vec![trace_from_parsed(info.map(|info| (info, "$.info")), Some(self.spans))?])
    }

    /// Whether what was streamed is what `parse_object` would have read: a list, or the spans of the one
    /// place it looks for them.
    fn is_streamed_shape(&self) -> bool {
        let has = |name: &str| self.members.iter().any(|member| member == name);
        let once = |name: &str| self.members.iter().filter(|member| *member == name).count() <= 1;
        match self.spans_path {
            None => self.members.is_empty(),
            Some("$.data.spans") => once("data") && once("info") && !has("spans"),
            Some(_) => !has("data") && once("info") && !OTHER_SHAPES.iter().any(|name| has(name)),
        }
    }

    /// Reads one member of an object, or its end. None when the document is not a streamed shape.
    fn next_member(&mut self, in_data: bool, first: bool) -> Option<()> {
        self.skip_whitespace();
        match *self.text.as_bytes().get(self.position)? {
            b'}' => {
                self.position += 1;
                self.step = if in_data { Step::Members { in_data: false, first: false } } else { self.end_of_document()? };
                return Some(());
            }
            b',' if !first => {
                self.position += 1;
                self.skip_whitespace();
            }
            _ if !first => return None,
            _ => {}
        }
        let name: String = self.next_value()?;
        self.skip_whitespace();
        self.expect(b':')?;
        self.skip_whitespace();
        let opens = self.text.as_bytes().get(self.position).copied();
        if !in_data && OTHER_SHAPES.contains(&name.as_str()) {
            return None;
        }
        let streams = self.spans_path.is_none();
        match (name.as_str(), opens) {
            ("data", Some(b'{')) if !in_data && streams => {
                self.position += 1;
                self.step = Step::Members { in_data: true, first: true };
            }
            ("spans", Some(b'[')) if streams => {
                self.position += 1;
                self.spans_path = Some(if in_data { "$.data.spans" } else { "$.spans" });
                self.step = Step::Items { spans: true, in_data, first: true };
            }
            _ => {
                let value: &'a RawValue = self.next_value()?;
                if name == "info" && !in_data {
                    self.info = Some(value);
                }
                self.step = Step::Members { in_data, first: false };
            }
        }
        if !in_data {
            self.members.push(name);
        }
        Some(())
    }

    /// The next item of a list: Some(None) at its end (the step moves on), None when not valid.
    fn next_item(&mut self, spans: bool, in_data: bool, first: bool) -> Option<Option<Value>> {
        self.skip_whitespace();
        match *self.text.as_bytes().get(self.position)? {
            b']' => {
                self.position += 1;
                self.step = if spans { Step::Members { in_data, first: false } } else { self.end_of_document()? };
                return Some(None);
            }
            b',' if !first => {
                self.position += 1;
                self.skip_whitespace();
            }
            _ if !first => return None,
            _ => {}
        }
        self.next_value().map(Some)
    }

    fn parse_item(&mut self, spans: bool, item: Value) -> Result<(), ParseError> {
        let index = self.pieces_done;
        self.pieces_done += 1;
        if spans {
            let path = format!("{}[{index}]", self.spans_path.unwrap_or("$.spans"));
            self.spans.push(parse_span(as_object(&item, &path)?, &path)?);
        } else {
            let path = format!("$[{index}]");
            self.traces.extend(parse_object(as_object(&item, &path)?, &path)?);
        }
        Ok(())
    }

    /// After the document's closing bracket only whitespace may follow (more is several documents).
    fn end_of_document(&mut self) -> Option<Step> {
        self.skip_whitespace();
        (self.position == self.text.len()).then_some(Step::Finished)
    }

    /// Decodes the one JSON value that starts at the position and moves past it.
    fn next_value<T: Deserialize<'a>>(&mut self) -> Option<T> {
        let mut stream = serde_json::Deserializer::from_str(&self.text[self.position..]).into_iter::<T>();
        let value = stream.next()?.ok()?;
        self.position += stream.byte_offset();
        Some(value)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.text.as_bytes().get(self.position) == Some(&byte)).then(|| self.position += 1)
    }

    fn skip_whitespace(&mut self) {
        let rest = &self.text.as_bytes()[self.position..];
        self.position += rest.iter().take_while(|byte| matches!(byte, b' ' | b'\n' | b'\r' | b'\t')).count();
    }
}

fn decode(raw: &RawValue, path: &str) -> Result<Value, ParseError> {
    serde_json::from_str(raw.get()).map_err(|err| ParseError::at(path, format!("not valid JSON: {err}")))
}
