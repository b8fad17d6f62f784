//! The trace table's columns: MLflow's list, which are shown by default, their widths, how each sorts and
//! what each cell shows.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::derive::truncate_chars;
use crate::model::{Assessment, Trace};
use crate::sorting;
use crate::ui::browser::time::local_time;
use crate::ui::widgets::state_badge::StateBadge;
use leptos::prelude::*;
use std::sync::Arc;

/// Cells show at most this many characters; the full value is in the tooltip.
const CELL_CHARS: usize = 200;
/// Tag chips shown in a cell at most.
const TAG_CHIPS: usize = 20;

/// Run names by run id, filled in as the server answers (provided by the table).
#[derive(Clone, Copy)]
pub struct RunNames(pub RwSignal<std::collections::HashMap<String, String>>);

impl RunNames {
    /// Asks the server for the name of each run the `loaded` rows name, once per run, as rows arrive; the
    /// names are provided to the cells.
    pub fn provide_for(loaded: ReadSignal<Vec<Arc<Trace>>>, source: Source) {
        let names = RwSignal::new(std::collections::HashMap::<String, String>::new());
        provide_context(RunNames(names));
        Effect::new(move |_| {
            let wanted: Vec<String> = loaded.with(|rows| {
                let mut ids: Vec<String> = rows.iter().filter_map(|t| t.run_id().map(str::to_string)).collect();
                sorting::sort_by(&mut ids, Ord::cmp);
                ids.dedup();
                ids.retain(|id| names.with_untracked(|known| !known.contains_key(id)));
                ids
            });
            if wanted.is_empty() {
                return;
            }
            let source = source.clone();
            leptos::task::spawn_local(async move {
                let found = data::run_names(&source, &wanted).await;
                names.update(|known| known.extend(found));
            });
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    TraceId,
    Request,
    Response,
    TraceName,
    Session,
    User,
    Tokens,
    ExecutionTime,
    RequestTime,
    State,
    Run,
    Prompt,
    Source,
    Tags,
    Assessments,
    Expectations,
}

impl Column {
    pub const ALL: [Column; 16] = [
        Column::TraceId,
        Column::Request,
        Column::Response,
        Column::TraceName,
        Column::Session,
        Column::User,
        Column::Tokens,
        Column::ExecutionTime,
        Column::RequestTime,
        Column::State,
        Column::Run,
        Column::Prompt,
        Column::Source,
        Column::Tags,
        Column::Assessments,
        Column::Expectations,
    ];

    /// Stable name for saved preferences.
    pub fn id(self) -> &'static str {
        match self {
            Column::TraceId => "trace_id",
            Column::Request => "request",
            Column::Response => "response",
            Column::TraceName => "trace_name",
            Column::Session => "session",
            Column::User => "user",
            Column::Tokens => "tokens",
            Column::ExecutionTime => "execution_time",
            Column::RequestTime => "request_time",
            Column::State => "state",
            Column::Run => "run",
            Column::Prompt => "prompt",
            Column::Source => "source",
            Column::Tags => "tags",
            Column::Assessments => "assessments",
            Column::Expectations => "expectations",
        }
    }

    pub fn from_id(id: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|column| column.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::TraceId => "Trace ID",
            Column::Request => "Request",
            Column::Response => "Response",
            Column::TraceName => "Trace name",
            Column::Session => "Session",
            Column::User => "User",
            Column::Tokens => "Tokens",
            Column::ExecutionTime => "Execution time",
            Column::RequestTime => "Request time",
            Column::State => "State",
            Column::Run => "Run name",
            Column::Prompt => "Prompt",
            Column::Source => "Source",
            Column::Tags => "Tags",
            Column::Assessments => "Assessments",
            Column::Expectations => "Expectations",
        }
    }

    /// As in MLflow, the less common columns start hidden.
    pub fn shown_by_default(self) -> bool {
        !matches!(self, Column::Run | Column::Prompt | Column::Source | Column::Expectations | Column::Tags)
    }

    pub fn default_width(self) -> u32 {
        match self {
            Column::TraceId => 150,
            Column::Request | Column::Response => 240,
            Column::TraceName => 160,
            Column::Session | Column::User | Column::Run | Column::Prompt | Column::Source => 130,
            Column::Tokens => 80,
            Column::ExecutionTime => 110,
            Column::RequestTime => 160,
            Column::State => 110,
            Column::Tags | Column::Expectations => 200,
            Column::Assessments => 260,
        }
    }

    pub fn numeric(self) -> bool {
        matches!(self, Column::Tokens | Column::ExecutionTime)
    }

    /// `order_by` for this column, when it sorts.
    pub fn order_key(self) -> Option<&'static str> {
        match self {
            Column::TraceId => Some("request_id"),
            Column::TraceName => Some("name"),
            Column::Session => Some("metadata.`mlflow.trace.session`"),
            Column::User => Some("metadata.`mlflow.trace.user`"),
            Column::Tokens => Some("tokens"),
            Column::ExecutionTime => Some("execution_time_ms"),
            Column::RequestTime => Some("timestamp_ms"),
            Column::State => Some("status"),
            Column::Run => Some("run_id"),
            _ => None,
        }
    }

    /// The cell's full value as text (tooltips, CSV).
    pub fn text(self, trace: &Trace) -> String {
        match self {
            Column::TraceId => trace.info.trace_id.clone(),
            Column::Request => trace.request_preview().unwrap_or_default(),
            Column::Response => trace.response_preview().unwrap_or_default(),
            Column::TraceName => trace.name(),
            Column::Session => trace.session().unwrap_or_default().to_string(),
            Column::User => trace.user().unwrap_or_default().to_string(),
            Column::Tokens => trace.token_usage().map(|u| u.total_tokens.to_string()).unwrap_or_default(),
            Column::ExecutionTime => trace.info.execution_duration_ns.map(format::duration_ns).unwrap_or_default(),
            Column::RequestTime => trace.info.request_time_ns.map(local_time).unwrap_or_default(),
            Column::State => trace.info.state.as_str().to_string(),
            Column::Run => trace.run_id().unwrap_or_default().to_string(),
            Column::Prompt => trace.linked_prompts().iter().map(|p| format!("{}/{}", p.name, p.version)).collect::<Vec<_>>().join(", "),
            Column::Source => trace.source().name.unwrap_or_default(),
            Column::Tags => trace.user_tags().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "),
            Column::Assessments => assessment_summary(trace.feedback()),
            Column::Expectations => assessment_summary(trace.expectations()),
        }
    }

    /// The cell as shown: plain text for most, badges and chips where they read faster.
    pub fn cell(self, trace: &Trace) -> AnyView {
        match self {
            Column::State => view! { <StateBadge state=trace.info.state.clone() /> }.into_any(),
            Column::Tokens => {
                let usage = trace.token_usage();
                let title = usage
                    .map(|u| {
                        format!(
                            "{} input, {} output, {} total",
                            format::count(u.input_tokens),
                            format::count(u.output_tokens),
                            format::count(u.total_tokens)
                        )
                    })
                    .unwrap_or_default();
                view! { <span title=title>{usage.map(|u| format::count(u.total_tokens))}</span> }.into_any()
            }
            Column::Assessments => chips(trace.feedback()),
            Column::Expectations => chips(trace.expectations()),
            Column::Run => {
                let run_id = trace.run_id().unwrap_or_default().to_string();
                let names = use_context::<RunNames>();
                let shown = {
                    let run_id = run_id.clone();
                    move || names.and_then(|names| names.0.with(|known| known.get(&run_id).cloned())).unwrap_or_else(|| run_id.clone())
                };
                view! { <span title=run_id.clone()>{shown}</span> }.into_any()
            }
            Column::Tags => {
                // A cell shows a few chips (it is cut at its width anyway); the count says what else there is.
                let count = trace.user_tags().count();
                let tags: Vec<_> = trace.user_tags().take(TAG_CHIPS).map(|(k, v)| format!("{k}: {v}")).collect();
                let more = (count > TAG_CHIPS)
                    .then(|| view! { <span class="chip muted">{format!("+{} more", format::count((count - TAG_CHIPS) as u64))}</span> });
                view! { <span class="chips">{tags.into_iter().map(|tag| view! { <span class="chip">{tag}</span> }).collect_view()}{more}</span> }.into_any()
            }
            other => {
                let text = other.text(trace);
                let shown = truncate_chars(&text, CELL_CHARS);
                view! { <span title=text>{shown}</span> }.into_any()
            }
        }
    }
}

/// Valid assessments only: one overridden by another is history, not the current judgement.
fn current<'a>(assessments: impl Iterator<Item = &'a Assessment>) -> Vec<&'a Assessment> {
    assessments.filter(|assessment| assessment.valid).collect()
}

fn assessment_summary<'a>(assessments: impl Iterator<Item = &'a Assessment>) -> String {
    current(assessments).iter().map(|a| format!("{}: {}", a.name, format::assessment_value(a).0)).collect::<Vec<_>>().join(", ")
}

fn chips<'a>(assessments: impl Iterator<Item = &'a Assessment>) -> AnyView {
    let chips = current(assessments)
        .into_iter()
        .map(|assessment| {
            let (value, tone) = format::assessment_value(assessment);
            let title = match &assessment.rationale {
                Some(rationale) => format!("{} ({}): {value}. {rationale}", assessment.name, assessment.source_type),
                None => format!("{} ({}): {value}", assessment.name, assessment.source_type),
            };
            view! {
                <span class=format!("chip chip-{tone}") title=title>
                    <span class="chip-name">{assessment.name.clone()}</span>
                    " "
                    <span class="chip-value">{value}</span>
                </span>
            }
        })
        .collect_view();
    view! { <span class="chips">{chips}</span> }.into_any()
}
