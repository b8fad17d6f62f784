//! Values derived from a parsed trace, the way MLflow's UI derives its columns: name, previews, session,
//! user, tokens, cost, tags without system keys, run, linked prompts, source, feedback and expectations.

use super::{Assessment, AssessmentKind, Cost, Span, TokenUsage, Trace};
use serde_json::Value;

/// Previews are cut to this many characters, as MLflow cuts `request_preview`.
pub const PREVIEW_CHARS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptRef {
    pub name: String,
    pub version: String,
}

/// Where a trace was produced: the entry point and, when known, the git checkout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceInfo {
    pub name: Option<String>,
    pub source_type: Option<String>,
    pub git_repo_url: Option<String>,
    pub git_commit: Option<String>,
    pub git_branch: Option<String>,
}

impl Trace {
    /// The span without a parent; None for an in-progress trace whose root has not been logged yet.
    pub fn root_span(&self) -> Option<&Span> {
        self.spans.iter().find(|span| span.parent_id.is_none())
    }

    /// How long it ran: the root span's own duration (exact), else the server's (whole milliseconds).
    pub fn duration_ns(&self) -> Option<u64> {
        self.root_span().and_then(Span::duration_ns).or(self.info.execution_duration_ns)
    }

    /// The `mlflow.traceName` tag, else the root span's name.
    pub fn name(&self) -> String {
        if let Some(name) = self.info.tags.get("mlflow.traceName") {
            return name.clone();
        }
        self.root_span().or(self.spans.first()).map(|span| span.name.clone()).unwrap_or_default()
    }

    pub fn request_preview(&self) -> Option<String> {
        self.info
            .request_preview
            .clone()
            .or_else(|| self.info.metadata.get("mlflow.traceInputs").cloned())
            .or_else(|| self.root_span()?.inputs.as_ref().map(preview_of))
    }

    pub fn response_preview(&self) -> Option<String> {
        self.info
            .response_preview
            .clone()
            .or_else(|| self.info.metadata.get("mlflow.traceOutputs").cloned())
            .or_else(|| self.root_span()?.outputs.as_ref().map(preview_of))
    }

    /// The root span's full inputs (the table's Request), when spans are loaded.
    pub fn request(&self) -> Option<&Value> {
        self.root_span()?.inputs.as_ref()
    }

    pub fn response(&self) -> Option<&Value> {
        self.root_span()?.outputs.as_ref()
    }

    pub fn session(&self) -> Option<&str> {
        self.info.metadata.get("mlflow.trace.session").map(String::as_str)
    }

    pub fn user(&self) -> Option<&str> {
        self.info.metadata.get("mlflow.trace.user").map(String::as_str)
    }

    /// `mlflow.trace.tokenUsage` when the server computed it, else the sum over spans.
    pub fn token_usage(&self) -> Option<TokenUsage> {
        if let Some(usage) = self
            .info
            .metadata
            .get("mlflow.trace.tokenUsage")
            .and_then(|text| serde_json::from_str(text).ok())
            .as_ref()
            .and_then(token_usage_from)
        {
            return Some(usage);
        }
        let mut spans = self.spans.iter().filter_map(Span::token_usage).peekable();
        spans.peek()?;
        Some(spans.fold(TokenUsage::default(), |sum, usage| sum.plus(&usage)))
    }

    /// `mlflow.trace.cost` when the server computed it, else the sum over spans.
    pub fn cost(&self) -> Option<Cost> {
        if let Some(cost) =
            self.info.metadata.get("mlflow.trace.cost").and_then(|text| serde_json::from_str(text).ok()).as_ref().and_then(cost_from)
        {
            return Some(cost);
        }
        let mut spans = self.spans.iter().filter_map(Span::cost).peekable();
        spans.peek()?;
        Some(spans.fold(Cost::default(), |sum, cost| Cost {
            input_cost: sum.input_cost + cost.input_cost,
            output_cost: sum.output_cost + cost.output_cost,
            total_cost: sum.total_cost + cost.total_cost,
        }))
    }

    /// Tags users set, without MLflow's own `mlflow.*` keys.
    pub fn user_tags(&self) -> impl Iterator<Item = (&String, &String)> {
        self.info.tags.iter().filter(|(key, _)| !key.starts_with("mlflow."))
    }

    /// Metadata users set, without MLflow's own `mlflow.*` keys.
    pub fn user_metadata(&self) -> impl Iterator<Item = (&String, &String)> {
        self.info.metadata.iter().filter(|(key, _)| !key.starts_with("mlflow."))
    }

    pub fn run_id(&self) -> Option<&str> {
        self.info.metadata.get("mlflow.sourceRun").map(String::as_str).filter(|id| !id.is_empty())
    }

    /// Prompt versions linked to the trace (`mlflow.linkedPrompts`, on the trace or its spans).
    pub fn linked_prompts(&self) -> Vec<PromptRef> {
        let from_tag = self.info.tags.get("mlflow.linkedPrompts").and_then(|text| serde_json::from_str::<Value>(text).ok());
        let from_spans = || self.spans.iter().find_map(|span| span.attribute("mlflow.linkedPrompts").cloned());
        match from_tag.or_else(from_spans) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| {
                    Some(PromptRef {
                        name: item.get("name")?.as_str()?.to_string(),
                        version: match item.get("version")? {
                            Value::String(version) => version.clone(),
                            other => other.to_string(),
                        },
                    })
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn source(&self) -> SourceInfo {
        let get = |key: &str| self.info.metadata.get(key).filter(|value| !value.is_empty()).cloned();
        SourceInfo {
            name: get("mlflow.source.name"),
            source_type: get("mlflow.source.type"),
            git_repo_url: get("mlflow.source.git.repoURL"),
            git_commit: get("mlflow.source.git.commit"),
            git_branch: get("mlflow.source.git.branch"),
        }
    }

    /// The trace as an evaluation dataset record, as MLflow's SDK makes one: the root span's inputs and
    /// outputs, the current expectations by name, and the trace as its source.
    pub fn dataset_record(&self) -> Value {
        let mut expectations = serde_json::Map::new();
        for assessment in self.expectations().filter(|a| a.valid) {
            if let AssessmentKind::Expectation { value } = &assessment.kind {
                expectations.insert(assessment.name.clone(), value.clone());
            }
        }
        let mut source_data = serde_json::json!({"trace_id": self.info.trace_id});
        if let Some(session) = self.session() {
            source_data["session_id"] = serde_json::json!(session);
        }
        serde_json::json!({
            "inputs": self.request().cloned().unwrap_or_else(|| serde_json::json!({})),
            "outputs": self.response().cloned(),
            "expectations": expectations,
            "source": {"source_type": "TRACE", "source_data": source_data},
        })
    }

    pub fn feedback(&self) -> impl Iterator<Item = &Assessment> {
        self.info.assessments.iter().filter(|a| matches!(a.kind, AssessmentKind::Feedback { .. }))
    }

    /// Valid feedback as "name: value" (a judge's error left out), for summaries.
    pub fn feedback_labels(&self) -> Vec<String> {
        self.feedback()
            .filter(|a| a.valid)
            .filter_map(|a| match &a.kind {
                AssessmentKind::Feedback { value, error: None } => {
                    Some(format!("{}: {}", a.name, value.as_str().map_or_else(|| value.to_string(), str::to_string)))
                }
                _ => None,
            })
            .collect()
    }

    pub fn expectations(&self) -> impl Iterator<Item = &Assessment> {
        self.info.assessments.iter().filter(|a| matches!(a.kind, AssessmentKind::Expectation { .. }))
    }
}

impl Span {
    /// `mlflow.chat.tokenUsage`, or the GenAI `gen_ai.usage.*` counts.
    pub fn token_usage(&self) -> Option<TokenUsage> {
        if let Some(usage) = self.attribute("mlflow.chat.tokenUsage").and_then(token_usage_from) {
            return Some(usage);
        }
        let input = self.attribute("gen_ai.usage.input_tokens").and_then(count);
        let output = self.attribute("gen_ai.usage.output_tokens").and_then(count);
        if input.is_none() && output.is_none() {
            return None;
        }
        let (input, output) = (input.unwrap_or(0), output.unwrap_or(0));
        Some(TokenUsage {
            input_tokens: input,
            output_tokens: output,
            total_tokens: input + output,
            cache_read_input_tokens: self.attribute("gen_ai.usage.cache_read.input_tokens").and_then(count),
            cache_creation_input_tokens: self.attribute("gen_ai.usage.cache_creation.input_tokens").and_then(count),
        })
    }

    pub fn cost(&self) -> Option<Cost> {
        self.attribute("mlflow.llm.cost").and_then(cost_from)
    }

    /// The model that served an LLM span.
    pub fn model(&self) -> Option<&str> {
        ["mlflow.llm.model", "gen_ai.response.model", "gen_ai.request.model"].iter().find_map(|key| self.attribute(key)?.as_str())
    }

    pub fn provider(&self) -> Option<&str> {
        ["mlflow.llm.provider", "gen_ai.provider.name", "gen_ai.system"].iter().find_map(|key| self.attribute(key)?.as_str())
    }
}

impl TokenUsage {
    pub fn plus(&self, other: &TokenUsage) -> TokenUsage {
        let add = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        TokenUsage {
            input_tokens: self.input_tokens + other.input_tokens,
            output_tokens: self.output_tokens + other.output_tokens,
            total_tokens: self.total_tokens + other.total_tokens,
            cache_read_input_tokens: add(self.cache_read_input_tokens, other.cache_read_input_tokens),
            cache_creation_input_tokens: add(self.cache_creation_input_tokens, other.cache_creation_input_tokens),
        }
    }
}

fn token_usage_from(value: &Value) -> Option<TokenUsage> {
    let object = value.as_object()?;
    let get = |key: &str| object.get(key).and_then(count);
    let input = get("input_tokens");
    let output = get("output_tokens");
    let total = get("total_tokens");
    if input.is_none() && output.is_none() && total.is_none() {
        return None;
    }
    Some(TokenUsage {
        input_tokens: input.unwrap_or(0),
        output_tokens: output.unwrap_or(0),
        total_tokens: total.unwrap_or(input.unwrap_or(0) + output.unwrap_or(0)),
        cache_read_input_tokens: get("cache_read_input_tokens"),
        cache_creation_input_tokens: get("cache_creation_input_tokens"),
    })
}

fn cost_from(value: &Value) -> Option<Cost> {
    let object = value.as_object()?;
    let get = |key: &str| object.get(key).and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()));
    let (input, output) = (get("input_cost"), get("output_cost"));
    let total = get("total_cost").or_else(|| Some(input? + output?))?;
    Some(Cost { input_cost: input.unwrap_or(0.0), output_cost: output.unwrap_or(0.0), total_cost: total })
}

/// A token count given as a number or a numeric string.
fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A one-line preview of a JSON value: strings as they are, anything else as compact JSON; cut to
/// [`PREVIEW_CHARS`].
pub fn preview_of(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    truncate_chars(&text, PREVIEW_CHARS)
}

pub fn truncate_chars(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
