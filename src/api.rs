//! The tracking-server client: one typed helper per MLflow REST endpoint, and errors that carry what the
//! server said (`error_code`, `message`) or why it could not be reached.

use crate::analytics::query::{DataPoint, DataPointPage, MetricsQuery};
use crate::location::origin_of;
use crate::model::assessment_edit::Changed;
use crate::model::{parse_traces_value, Assessment, AssessmentKind, ParseError, Trace};
use crate::pacing;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// Largest page `traces/search` accepts (501 gives 400).
pub const MAX_TRACES_PER_PAGE: u32 = 500;
/// The list's first page is smaller: its rows show sooner (the server answers 100 traces several times
/// faster than 500), and scrolling down asks for full pages.
pub const FIRST_PAGE_TRACES: u32 = 100;

/// How long a request may wait for the server's answer to begin (a body may take longer to arrive).
pub const ANSWER_TIMEOUT_MS: i32 = 20_000;

/// Data points asked for per `traces/metrics` page (the server's default is 1,000).
const METRICS_PER_PAGE: u32 = 1000;

/// Pauses before each new attempt of a read that failed for a reason that may pass (server restarting,
/// proxy overloaded); writes are never repeated behind the user's back.
const READ_RETRY_DELAYS_MS: [i32; 2] = [500, 1500];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The URL requested, shown so the user can check it.
    pub url: String,
    pub kind: ApiErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The request never got an answer the page may read: server down, wrong address, or a CORS refusal
    /// (browsers do not tell these apart).
    Unreachable { page_origin: String },
    /// No answer within [`ANSWER_TIMEOUT_MS`]: the server hangs or is overloaded.
    TimedOut,
    /// The server answered with an error status; MLflow's `error_code` and `message` when it sent them.
    Http { status: u16, error_code: Option<String>, message: String },
    /// The server answered 200 with something this viewer cannot read.
    InvalidResponse(String),
    /// Not sent: an id that would change the address it is part of (`/`, `..`, control characters).
    UnsafeId(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ApiErrorKind::Unreachable { page_origin } => write!(
                f,
                "Could not reach {}. The server may be down or the address wrong, or it refused this page's origin \
                 ({page_origin}): start MLflow with --cors-allowed-origins {page_origin}.",
                self.url
            ),
            ApiErrorKind::TimedOut => write!(
                f,
                "{} did not answer within {} seconds. The server may be overloaded or stuck; try again later.",
                self.url,
                ANSWER_TIMEOUT_MS / 1000
            ),
            ApiErrorKind::Http { status, error_code: Some(code), message } => {
                write!(f, "The server answered {status} {code}: {message}")
            }
            // A sign-in in front of the server (MLflow's basic-auth app, a proxy's SSO) answers 401 with no
            // MLflow error code: the browser's own sign-in to that origin is what is missing.
            ApiErrorKind::Http { status: 401, error_code: None, message } => {
                let origin = origin_of(&self.url);
                write!(f, "The server answered 401: {message} Sign in to {origin} in this browser (open it in a tab and sign in), then try again.")?;
                match is_credentialed(origin) {
                    true => Ok(()),
                    false => write!(
                        f,
                        " If this viewer is served from another origin, the sign-in goes with its requests only when its \
                         config.json says \"credentials\": \"include\"."
                    ),
                }
            }
            ApiErrorKind::Http { status, error_code: None, message } => write!(f, "The server answered {status}: {message}"),
            ApiErrorKind::InvalidResponse(problem) => write!(f, "Unexpected answer from {}: {problem}", self.url),
            ApiErrorKind::UnsafeId(id) => write!(
                f,
                "Not sent: the id {id:?} holds a '/', '..' or a control character, which would send the request \
                 to another address than the one meant."
            ),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// Whether trying again a moment later may succeed: no answer at all, or a gateway or rate limit saying
    /// "not now". A timeout is not retried (the user already waited for it).
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, ApiErrorKind::Unreachable { .. } | ApiErrorKind::Http { status: 429 | 502 | 503 | 504, .. })
    }
}

/// Every tracking-server endpoint this client calls. `trace-viewer serve` forwards these and nothing else:
/// python/trace_viewer/endpoints.txt lists them, and a test below keeps the two lists equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// Whether a tracking server answers at all (a GET, which a static file server answers quietly).
    ProbeServer,
    SearchExperiments,
    SearchTraces,
    TraceMetrics,
    TraceInfo,
    /// A trace's spans in the compact form (get-trace-artifact).
    TraceSpans,
    /// A trace with its spans, for servers without get-trace-artifact.
    WholeTrace,
    DeleteTraces,
    SetTraceTag,
    DeleteTraceTag,
    GetRun,
    SearchDatasets,
    CreateDataset,
    UpsertDatasetRecords,
    CreateAssessment,
    UpdateAssessment,
    DeleteAssessment,
    /// An attachment's bytes (`mlflow-attachment://<id>` in a trace's payloads); only under /ajax-api.
    Attachment,
}

impl Endpoint {
    pub const ALL: [Endpoint; 18] = [
        Endpoint::ProbeServer,
        Endpoint::SearchExperiments,
        Endpoint::SearchTraces,
        Endpoint::TraceMetrics,
        Endpoint::TraceInfo,
        Endpoint::TraceSpans,
        Endpoint::WholeTrace,
        Endpoint::DeleteTraces,
        Endpoint::SetTraceTag,
        Endpoint::DeleteTraceTag,
        Endpoint::GetRun,
        Endpoint::SearchDatasets,
        Endpoint::CreateDataset,
        Endpoint::UpsertDatasetRecords,
        Endpoint::CreateAssessment,
        Endpoint::UpdateAssessment,
        Endpoint::DeleteAssessment,
        Endpoint::Attachment,
    ];

    /// The HTTP method and the path, `{}` standing for one id as a path segment.
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Endpoint::ProbeServer => ("GET", "/api/2.0/mlflow/experiments/search"),
            Endpoint::SearchExperiments => ("POST", "/api/2.0/mlflow/experiments/search"),
            Endpoint::SearchTraces => ("POST", "/api/3.0/mlflow/traces/search"),
            Endpoint::TraceMetrics => ("POST", "/api/3.0/mlflow/traces/metrics"),
            Endpoint::TraceInfo => ("GET", "/api/3.0/mlflow/traces/{}"),
            Endpoint::TraceSpans => ("GET", "/ajax-api/3.0/mlflow/get-trace-artifact"),
            Endpoint::WholeTrace => ("GET", "/api/3.0/mlflow/traces/get"),
            Endpoint::DeleteTraces => ("POST", "/api/3.0/mlflow/traces/delete-traces"),
            Endpoint::SetTraceTag => ("PATCH", "/api/3.0/mlflow/traces/{}/tags"),
            Endpoint::DeleteTraceTag => ("DELETE", "/api/3.0/mlflow/traces/{}/tags"),
            Endpoint::GetRun => ("GET", "/api/2.0/mlflow/runs/get"),
            Endpoint::SearchDatasets => ("POST", "/api/3.0/mlflow/datasets/search"),
            Endpoint::CreateDataset => ("POST", "/api/3.0/mlflow/datasets/create"),
            Endpoint::UpsertDatasetRecords => ("POST", "/api/3.0/mlflow/datasets/{}/records"),
            Endpoint::CreateAssessment => ("POST", "/api/3.0/mlflow/traces/{}/assessments"),
            Endpoint::UpdateAssessment => ("PATCH", "/api/3.0/mlflow/traces/{}/assessments/{}"),
            Endpoint::DeleteAssessment => ("DELETE", "/api/3.0/mlflow/traces/{}/assessments/{}"),
            Endpoint::Attachment => ("GET", "/ajax-api/2.0/mlflow/get-trace-artifact"),
        }
    }

    fn method(self) -> Method {
        match self.route().0 {
            "POST" => Method::POST,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        }
    }
}

/// The page tokens a paged read has followed. A server that hands one out again would be followed for ever
/// (with empty pages, without the user scrolling): that is an error, not a next page. So is one that keeps
/// offering pages past [`PageTokens::MOST_PAGES`]; and a page that adds nothing ends the read, whatever it
/// offers next (a fresh token with every empty page would otherwise never end).
#[derive(Default)]
pub struct PageTokens(Vec<String>);

impl PageTokens {
    /// Pages one read follows at the most (500,000 traces at full pages).
    pub const MOST_PAGES: usize = 1000;

    /// The token to ask for next, None at the end; Err with what is wrong when it came before or there were too
    /// many. `page_items`: how many items the page that offered it held.
    pub fn follow(&mut self, next: Option<String>, page_items: usize) -> Result<Option<String>, String> {
        match next.filter(|token| !token.is_empty()) {
            None => Ok(None),
            Some(_) if page_items == 0 => Ok(None),
            Some(token) if self.0.contains(&token) => {
                Err(format!("the server sent the page token {token:?} a second time, so its pages would never end"))
            }
            Some(_) if self.0.len() >= Self::MOST_PAGES => {
                Err(format!("the server kept offering pages past {}; the rest was not read", Self::MOST_PAGES))
            }
            Some(token) => {
                self.0.push(token.clone());
                Ok(Some(token))
            }
        }
    }
}

/// An id as one segment of a URL path, every reserved character encoded; refused when it holds what would
/// still change the path (a `/`, `..`) or control characters.
fn path_segment(id: &str) -> Result<String, ApiError> {
    crate::location::path_segment(id).ok_or_else(|| ApiError { url: String::new(), kind: ApiErrorKind::UnsafeId(id.to_string()) })
}

/// Reads an error response body: MLflow's `{"error_code", "message"}`, FastAPI's `{"detail"}`, or text.
pub fn http_error(status: u16, body: &str) -> ApiErrorKind {
    #[derive(Deserialize)]
    struct MlflowError {
        error_code: Option<String>,
        message: Option<String>,
        detail: Option<Value>,
    }
    if let Ok(error) = serde_json::from_str::<MlflowError>(body) {
        let message = error.message.or_else(|| {
            error.detail.map(|detail| match detail {
                Value::String(text) => text,
                other => other.to_string(),
            })
        });
        if error.error_code.is_some() || message.is_some() {
            return ApiErrorKind::Http { status, error_code: error.error_code, message: message.unwrap_or_default() };
        }
    }
    let text = body.trim();
    // HTML error pages say little beyond the status; keep messages short.
    let message = if text.is_empty() || text.starts_with('<') {
        status_text(status).to_string()
    } else {
        crate::model::derive::truncate_chars(text, 300)
    };
    ApiErrorKind::Http { status, error_code: None, message }
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized: this server needs credentials",
        403 => "Forbidden",
        404 => "Not Found: is this an MLflow tracking server, and is the address right?",
        500 => "Internal Server Error",
        502..=504 => "the server is unavailable right now",
        _ => "request failed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Experiment {
    pub experiment_id: String,
    pub name: String,
    #[serde(default)]
    pub lifecycle_stage: Option<String>,
    #[serde(default)]
    pub last_update_time: Option<u64>,
}

/// What a server search asks for, in the REST API's own syntax (already validated by `query`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub filter: Option<String>,
    pub order_by: Option<String>,
}

/// An evaluation dataset on the server.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Dataset {
    pub dataset_id: String,
    pub name: String,
}

/// A page of `traces/search` results (infos only: spans are fetched per trace).
#[derive(Clone, Debug, PartialEq)]
pub struct TracePage {
    pub traces: Vec<Trace>,
    pub next_page_token: Option<String>,
}

/// A client for one tracking server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackingClient {
    base_url: String,
}

impl TrackingClient {
    pub fn new(base_url: &str) -> TrackingClient {
        TrackingClient { base_url: base_url.trim_end_matches('/').to_string() }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The endpoint's URL on this server, each `{}` of its path filled with the next of `ids` as a path
    /// segment (refused when an id would change the path).
    fn url(&self, endpoint: Endpoint, ids: &[&str]) -> Result<String, ApiError> {
        let mut url = self.base_url.clone();
        let mut ids = ids.iter();
        for (index, part) in endpoint.route().1.split("{}").enumerate() {
            if index > 0 {
                url.push_str(&path_segment(ids.next().copied().unwrap_or_default())?);
            }
            url.push_str(part);
        }
        Ok(url)
    }

    /// The endpoint's URL, with a query string.
    fn url_with_query(&self, endpoint: Endpoint, query: &[(&str, &str)]) -> String {
        let pairs: Vec<String> = query.iter().map(|(key, value)| format!("{key}={}", crate::location::encode_component(value))).collect();
        format!("{}{}?{}", self.base_url, endpoint.route().1, pairs.join("&"))
    }

    /// Active experiments, most recently updated first.
    pub async fn search_experiments(&self) -> Result<Vec<Experiment>, ApiError> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            experiments: Vec<Experiment>,
        }
        let url = self.url(Endpoint::SearchExperiments, &[])?;
        let body = json!({"max_results": 1000, "order_by": ["last_update_time DESC"]});
        let page: Page = decode(&url, &read(&url, Read::Post(&body)).await?)?;
        Ok(page.experiments)
    }

    /// Whether a tracking server answers here. Asked with GET, which MLflow's experiment search accepts and a
    /// static file server answers quietly (a POST it refuses with 405, an error in the console).
    pub async fn is_tracking_server(&self) -> bool {
        let url = self.url_with_query(Endpoint::ProbeServer, &[("max_results", "1")]);
        match read(&url, Read::Get).await {
            // A JSON object (a page of experiments) and not, say, a static server's index.html.
            Ok(body) => decode::<Value>(&url, &body).is_ok_and(|answer| answer.is_object()),
            Err(_) => false,
        }
    }

    /// One page of up to `max_results` traces matching `query.filter`, sorted by `query.order_by` (newest
    /// first by default).
    pub async fn search_traces(
        &self,
        experiment_ids: &[String],
        query: &SearchQuery,
        page_token: Option<&str>,
        max_results: u32,
    ) -> Result<TracePage, ApiError> {
        let url = self.url(Endpoint::SearchTraces, &[])?;
        let body = search_body(experiment_ids, query, page_token, max_results);
        let response: Value = decode(&url, &read(&url, Read::Post(&body)).await?)?;
        let traces = parse_traces_value(&json!({ "traces": response.get("traces").cloned().unwrap_or(json!([])) }))
            .map_err(|err| invalid(&url, err))?;
        let next_page_token = response.get("next_page_token").and_then(Value::as_str).filter(|t| !t.is_empty()).map(String::from);
        Ok(TracePage { traces, next_page_token })
    }

    /// Figures aggregated by the server (`traces/metrics`, MLflow 3.5 and later; older servers answer 404),
    /// every page of them.
    pub async fn query_metrics(&self, experiment_ids: &[String], query: &MetricsQuery) -> Result<Vec<DataPoint>, ApiError> {
        let url = self.url(Endpoint::TraceMetrics, &[])?;
        let mut points = Vec::new();
        let mut page_token: Option<String> = None;
        let mut followed = PageTokens::default();
        loop {
            let mut body = query.request_body(experiment_ids);
            body["max_results"] = json!(METRICS_PER_PAGE);
            if let Some(token) = &page_token {
                body["page_token"] = json!(token);
            }
            let page: DataPointPage = decode(&url, &read(&url, Read::Post(&body)).await?)?;
            let added = page.data_points.len();
            points.extend(page.data_points);
            let next = followed
                .follow(page.next_page_token, added)
                .map_err(|problem| ApiError { url: url.clone(), kind: ApiErrorKind::InvalidResponse(problem) })?;
            match next {
                Some(token) => page_token = Some(token),
                None => return Ok(points),
            }
        }
    }

    /// The request time (Unix ms) of the experiments' oldest trace, None when they have none.
    pub async fn oldest_trace_time_ms(&self, experiment_ids: &[String]) -> Result<Option<i64>, ApiError> {
        let oldest_first = SearchQuery { filter: None, order_by: Some("timestamp_ms ASC".into()) };
        let page = self.search_traces(experiment_ids, &oldest_first, None, 1).await?;
        Ok(page.traces.first().and_then(|trace| trace.info.request_time_ns).map(|ns| (ns / 1_000_000) as i64))
    }

    /// A whole trace: its info and its spans. Spans come from get-trace-artifact (the compact form, about
    /// four times faster); servers that lack it get `traces/get` instead.
    pub async fn get_trace(&self, trace_id: &str) -> Result<Trace, ApiError> {
        let info_url = self.trace_info_url(trace_id)?;
        let spans_url = self.url_with_query(Endpoint::TraceSpans, &[("request_id", trace_id)]);
        let (info, artifact) = futures::join!(self.get_json(&info_url), fetch_bytes(&spans_url));
        let info = info?;
        let trace_info = info.pointer("/trace/trace_info");
        let traces = match artifact {
            // A large trace is parsed in slices, so the page keeps answering.
            Ok(bytes) => pacing::parse_bytes_in_slices(&bytes, |_, _| ()).await,
            Err(ApiError { kind: ApiErrorKind::Http { status: 404, .. }, .. }) => {
                let full_url = self.url_with_query(Endpoint::WholeTrace, &[("trace_id", trace_id), ("allow_partial", "true")]);
                let spans = self.get_json(&full_url).await?.pointer("/trace/spans").cloned().unwrap_or(json!([]));
                parse_traces_value(&json!({"trace_info": trace_info, "spans": spans}))
            }
            Err(other) => return Err(other),
        };
        let traces = traces.map_err(|err| invalid(&spans_url, err))?;
        crate::model::parse::trace_of_server(trace_id, trace_info, traces).map_err(|err| invalid(&spans_url, err))
    }

    /// Whether the server still has this trace (it answers 404 once the trace is deleted).
    pub async fn trace_exists(&self, trace_id: &str) -> Result<bool, ApiError> {
        match self.get_json(&self.trace_info_url(trace_id)?).await {
            Ok(_) => Ok(true),
            Err(ApiError { kind: ApiErrorKind::Http { status: 404, .. }, .. }) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// Deletes traces of one experiment; returns how many the server deleted.
    pub async fn delete_traces(&self, experiment_id: &str, trace_ids: &[String]) -> Result<u64, ApiError> {
        let url = self.url(Endpoint::DeleteTraces, &[])?;
        let body = json!({"experiment_id": experiment_id, "request_ids": trace_ids});
        let answer: Value = decode(&url, &send(&url, with_json(request(Endpoint::DeleteTraces.method(), &url), &body)).await?)?;
        Ok(answer.get("traces_deleted").and_then(Value::as_u64).unwrap_or(0))
    }

    /// Sets (adds or changes) a trace tag.
    pub async fn set_trace_tag(&self, trace_id: &str, key: &str, value: &str) -> Result<(), ApiError> {
        let url = self.url(Endpoint::SetTraceTag, &[trace_id])?;
        send(&url, with_json(request(Endpoint::SetTraceTag.method(), &url), &json!({"key": key, "value": value}))).await.map(drop)
    }

    pub async fn delete_trace_tag(&self, trace_id: &str, key: &str) -> Result<(), ApiError> {
        let url = self.url(Endpoint::DeleteTraceTag, &[trace_id])?;
        send(&url, with_json(request(Endpoint::DeleteTraceTag.method(), &url), &json!({"key": key}))).await.map(drop)
    }

    /// A run's name (`runs/get`).
    pub async fn run_name(&self, run_id: &str) -> Result<String, ApiError> {
        let url = self.url_with_query(Endpoint::GetRun, &[("run_id", run_id)]);
        let answer: Value = self.get_json(&url).await?;
        Ok(answer.pointer("/run/info/run_name").and_then(Value::as_str).unwrap_or(run_id).to_string())
    }

    /// Evaluation datasets linked to these experiments.
    pub async fn search_datasets(&self, experiment_ids: &[String]) -> Result<Vec<Dataset>, ApiError> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            datasets: Vec<Dataset>,
        }
        let url = self.url(Endpoint::SearchDatasets, &[])?;
        let body = json!({"experiment_ids": experiment_ids, "max_results": 1000});
        let page: Page = decode(&url, &read(&url, Read::Post(&body)).await?)?;
        Ok(page.datasets)
    }

    pub async fn create_dataset(&self, name: &str, experiment_ids: &[String]) -> Result<Dataset, ApiError> {
        #[derive(Deserialize)]
        struct Created {
            dataset: Dataset,
        }
        let url = self.url(Endpoint::CreateDataset, &[])?;
        let body = json!({"name": name, "experiment_ids": experiment_ids});
        let created: Created = decode(&url, &send(&url, with_json(request(Endpoint::CreateDataset.method(), &url), &body)).await?)?;
        Ok(created.dataset)
    }

    /// Adds (or updates) records; returns how many were inserted and how many updated.
    pub async fn upsert_dataset_records(&self, dataset_id: &str, records: &[Value]) -> Result<(u64, u64), ApiError> {
        let url = self.url(Endpoint::UpsertDatasetRecords, &[dataset_id])?;
        // The REST API takes the records as one JSON string.
        let body = json!({"records": Value::Array(records.to_vec()).to_string()});
        let answer: Value = decode(&url, &send(&url, with_json(request(Endpoint::UpsertDatasetRecords.method(), &url), &body)).await?)?;
        let count = |key: &str| answer.get(key).and_then(Value::as_u64).unwrap_or(0);
        Ok((count("inserted_count"), count("updated_count")))
    }

    /// Logs a new assessment (feedback or expectation, on the trace or one of its spans); returns it as stored.
    pub async fn create_assessment(&self, assessment: &Assessment) -> Result<Assessment, ApiError> {
        let url = self.url(Endpoint::CreateAssessment, &[&assessment.trace_id])?;
        let body = crate::model::write::assessment_request(assessment);
        self.assessment_answer(&url, with_json(request(Endpoint::CreateAssessment.method(), &url), &body)).await
    }

    /// Changes an assessment in place: only the `changed` fields (the update mask names them).
    pub async fn update_assessment(&self, assessment: &Assessment, changed: Changed) -> Result<Assessment, ApiError> {
        let url = self.url(Endpoint::UpdateAssessment, &[&assessment.trace_id, &assessment.assessment_id])?;
        let mut body = crate::model::write::assessment_request(assessment);
        let value_field = match assessment.kind {
            AssessmentKind::Feedback { .. } => "feedback",
            AssessmentKind::Expectation { .. } => "expectation",
        };
        let fields: Vec<&str> = [(changed.value, value_field), (changed.rationale, "rationale")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, field)| field)
            .collect();
        body["update_mask"] = Value::String(fields.join(","));
        self.assessment_answer(&url, with_json(request(Endpoint::UpdateAssessment.method(), &url), &body)).await
    }

    pub async fn delete_assessment(&self, trace_id: &str, assessment_id: &str) -> Result<(), ApiError> {
        let url = self.url(Endpoint::DeleteAssessment, &[trace_id, assessment_id])?;
        send(&url, request(Endpoint::DeleteAssessment.method(), &url).build()).await.map(drop)
    }

    async fn assessment_answer(&self, url: &str, request: Result<Request, gloo_net::Error>) -> Result<Assessment, ApiError> {
        let answer: Value = decode(url, &send(url, request).await?)?;
        let assessment = answer.get("assessment").unwrap_or(&Value::Null);
        crate::model::parse::parse_assessment_value(assessment).map_err(|err| invalid(url, err))
    }

    /// An attachment's bytes (`mlflow-attachment://<id>` in a trace's payloads).
    pub async fn fetch_attachment(&self, trace_id: &str, attachment_id: &str) -> Result<Vec<u8>, ApiError> {
        fetch_bytes(&self.url_with_query(Endpoint::Attachment, &[("request_id", trace_id), ("path", attachment_id)])).await
    }

    fn trace_info_url(&self, trace_id: &str) -> Result<String, ApiError> {
        self.url(Endpoint::TraceInfo, &[trace_id])
    }

    async fn get_json(&self, url: &str) -> Result<Value, ApiError> {
        decode(url, &read(url, Read::Get).await?)
    }
}

/// A `traces/search` body. Its text must be what `prefetch.js` writes for the same search, keys in the same
/// order (JSON objects keep the order they are written in), or the prefetched answer is not taken.
fn search_body(experiment_ids: &[String], query: &SearchQuery, page_token: Option<&str>, max_results: u32) -> Value {
    let locations: Vec<Value> =
        experiment_ids.iter().map(|id| json!({"mlflow_experiment": {"experiment_id": id}, "type": "MLFLOW_EXPERIMENT"})).collect();
    let mut body = json!({
        "locations": locations,
        "max_results": max_results,
        "order_by": [query.order_by.as_deref().unwrap_or("timestamp_ms DESC")],
    });
    if let Some(filter) = query.filter.as_deref().filter(|filter| !filter.trim().is_empty()) {
        body["filter"] = json!(filter);
    }
    if let Some(token) = page_token {
        body["page_token"] = json!(token);
    }
    body
}

/// Fetches a file (a trace export, a trace's spans) as bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, ApiError> {
    let response = answer_to_read(url, Read::Get).await?;
    body_within_cap(url, &response).await
}

/// The most an answer's body may hold once unpacked. Beyond it the reading stops: a file that large (or a
/// small compressed answer that unpacks to gigabytes) would take the tab down rather than show anything.
pub const MAX_BODY_BYTES: usize = 256_000_000;

/// Reads a body chunk by chunk, stopping with an error past [`MAX_BODY_BYTES`].
async fn body_within_cap(url: &str, response: &Response) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError {
        url: url.to_string(),
        kind: ApiErrorKind::InvalidResponse(format!(
            "the answer is over {} once unpacked, more than this viewer reads; it was stopped",
            crate::format::bytes(MAX_BODY_BYTES as u64)
        )),
    };
    let declared = response.headers().get("content-length").and_then(|length| length.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let Some(stream) = response.body() else { return Ok(Vec::new()) };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let failed =
        |err: JsValue| ApiError { url: url.to_string(), kind: ApiErrorKind::InvalidResponse(format!("the answer broke off: {err:?}")) };
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    // Made once: a file arrives in hundreds of chunks.
    let (done_key, value_key) = (JsValue::from_str("done"), JsValue::from_str("value"));
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await.map_err(failed)?;
        if js_sys::Reflect::get(&chunk, &done_key).ok().and_then(|done| done.as_bool()).unwrap_or(true) {
            return Ok(bytes);
        }
        // A fetch body's chunks are Uint8Arrays (`Uint8Array::new` would copy each one first).
        let part: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &value_key).map_err(failed)?.unchecked_into();
        if bytes.len() + part.length() as usize > MAX_BODY_BYTES {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let at = bytes.len();
        bytes.resize(at + part.length() as usize, 0);
        part.copy_to(&mut bytes[at..]);
    }
}

/// A request that only reads: a GET, or a POST of a JSON body (MLflow's search endpoints).
enum Read<'a> {
    Get,
    Post(&'a Value),
}

/// Sends a read and returns the answer's body as text.
async fn read(url: &str, how: Read<'_>) -> Result<String, ApiError> {
    let response = answer_to_read(url, how).await?;
    body_text(url, &response).await
}

/// A body read within [`MAX_BODY_BYTES`], as text.
async fn body_text(url: &str, response: &Response) -> Result<String, ApiError> {
    let bytes = body_within_cap(url, response).await?;
    String::from_utf8(bytes)
        .map_err(|_| ApiError { url: url.to_string(), kind: ApiErrorKind::InvalidResponse("the answer is not UTF-8 text".into()) })
}

/// Sends a read, built anew for each attempt (see [`retrying`]), the first attempt answered by a prefetched
/// request when there is one; returns the successful answer.
async fn answer_to_read(url: &str, how: Read<'_>) -> Result<Response, ApiError> {
    let body = match how {
        Read::Get => None,
        Read::Post(body) => Some(body.to_string()),
    };
    let mut prefetched = take_prefetched(url, body.as_deref());
    retrying(|| {
        let request = match &body {
            None => request(Method::GET, url).build(),
            Some(body) => request(Method::POST, url).header("Content-Type", "application/json").body(body.clone()),
        };
        receive(url, request, prefetched.take())
    })
    .await
}

/// The answer that `prefetch.js` (beside index.html) started for exactly this request before the app ran,
/// taken once: a link's first requests go out while the wasm is still loading. Its keys are "GET <url>" and
/// "POST <url> <body>"; a request it guessed differently is simply sent anew.
fn take_prefetched(url: &str, body: Option<&str>) -> Option<js_sys::Promise> {
    let window: JsValue = web_sys::window()?.into();
    let started = js_sys::Reflect::get(&window, &"__traceViewerPrefetched".into()).ok().filter(JsValue::is_object)?;
    let key = JsValue::from_str(&match body {
        Some(body) => format!("POST {url} {body}"),
        None => format!("GET {url}"),
    });
    let answer = js_sys::Reflect::get(&started, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(started.unchecked_ref::<js_sys::Object>(), &key);
    Some(answer)
}

/// Runs a read again after each pause of [`READ_RETRY_DELAYS_MS`] while it fails transiently.
async fn retrying<T, Attempt>(mut attempt: impl FnMut() -> Attempt) -> Result<T, ApiError>
where
    Attempt: std::future::Future<Output = Result<T, ApiError>>,
{
    for delay_ms in READ_RETRY_DELAYS_MS {
        match attempt().await {
            Err(error) if error.is_transient() => pacing::sleep(delay_ms).await,
            finished => return finished,
        }
    }
    attempt().await
}

thread_local! {
    /// The one origin besides the page's own whose requests carry the browser's credentials (config.json's
    /// `credentials: "include"` for its server).
    static CREDENTIALED_ORIGIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Lets requests to `origin` carry the browser's credentials for it from now on (None: only the page's own).
pub fn send_credentials_to(origin: Option<String>) {
    CREDENTIALED_ORIGIN.with(|credentialed| *credentialed.borrow_mut() = origin);
}

fn is_credentialed(origin: &str) -> bool {
    CREDENTIALED_ORIGIN.with(|credentialed| credentialed.borrow().as_deref() == Some(origin.to_ascii_lowercase().as_str()))
}

/// A request with a JSON body, written by `Value`'s own `Display` (gloo's `json` serializes through a second
/// copy of serde_json's writer in the wasm).
fn with_json(builder: RequestBuilder, body: &Value) -> Result<Request, gloo_net::Error> {
    builder.header("Content-Type", "application/json").body(body.to_string())
}

/// A request to `url`: with the browser's credentials when `url` is on the credentialed origin, else with
/// the browser's default (credentials for the page's own origin only).
fn request(method: Method, url: &str) -> RequestBuilder {
    let builder = RequestBuilder::new(url).method(method);
    match is_credentialed(origin_of(url)) {
        true => builder.credentials(web_sys::RequestCredentials::Include),
        false => builder,
    }
}

/// Sends a request and returns the body of a successful answer; any failure becomes an [`ApiError`].
async fn send(url: &str, request: Result<Request, gloo_net::Error>) -> Result<String, ApiError> {
    let response = receive(url, request, None).await?;
    body_text(url, &response).await
}

/// Sends a request, or awaits the `prefetched` answer to it; an unreachable server or an error status (with
/// its body's message) is an [`ApiError`].
async fn receive(url: &str, request: Result<Request, gloo_net::Error>, prefetched: Option<js_sys::Promise>) -> Result<Response, ApiError> {
    let error = |kind| ApiError { url: url.to_string(), kind };
    let request = request.map_err(|err| error(ApiErrorKind::InvalidResponse(err.to_string())))?;
    let answer = std::pin::pin!(async move {
        match prefetched {
            Some(answer) => wasm_bindgen_futures::JsFuture::from(answer)
                .await
                .map(|response| Response::from(response.unchecked_into::<web_sys::Response>()))
                .map_err(drop),
            None => request.send().await.map_err(drop),
        }
    });
    let response: Response = match futures::future::select(answer, std::pin::pin!(pacing::sleep(ANSWER_TIMEOUT_MS))).await {
        futures::future::Either::Left((answer, _)) => {
            answer.map_err(|()| error(ApiErrorKind::Unreachable { page_origin: page_origin() }))?
        }
        // The request is left to finish or fail on its own; nobody waits for it any more.
        futures::future::Either::Right(_) => return Err(error(ApiErrorKind::TimedOut)),
    };
    if !response.ok() {
        let status = response.status();
        let text = body_text(url, &response).await.unwrap_or_default();
        return Err(error(http_error(status, &text)));
    }
    Ok(response)
}

fn decode<T: serde::de::DeserializeOwned>(url: &str, body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body)
        .map_err(|err| ApiError { url: url.to_string(), kind: ApiErrorKind::InvalidResponse(format!("not the JSON expected ({err})")) })
}

fn invalid(url: &str, err: ParseError) -> ApiError {
    ApiError { url: url.to_string(), kind: ApiErrorKind::InvalidResponse(err.to_string()) }
}

fn page_origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_else(|| "this page".into())
}

#[cfg(test)]
mod tests {
    use super::{search_body, Endpoint, SearchQuery};

    #[test]
    fn the_first_pages_search_is_written_as_prefetch_js_writes_it() {
        // JSON.stringify({locations: [{mlflow_experiment: {experiment_id: "1"}, type: …}], max_results: 100, order_by: […]})
        let query = SearchQuery { filter: None, order_by: None };
        assert_eq!(
            search_body(&["1".to_string()], &query, None, super::FIRST_PAGE_TRACES).to_string(),
            r#"{"locations":[{"mlflow_experiment":{"experiment_id":"1"},"type":"MLFLOW_EXPERIMENT"}],"max_results":100,"order_by":["timestamp_ms DESC"]}"#
        );
    }

    /// `trace-viewer serve`'s allow-list (python/trace_viewer/endpoints.txt), as (method, path) pairs.
    fn forwarded() -> Vec<(String, String)> {
        include_str!("../python/trace_viewer/endpoints.txt")
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (method, path) = line.split_once(' ').expect("a line is METHOD PATH");
                (method.to_string(), path.to_string())
            })
            .collect()
    }

    #[test]
    fn serve_forwards_exactly_the_endpoints_the_viewer_calls() {
        let called: Vec<(String, String)> =
            Endpoint::ALL.iter().map(|endpoint| endpoint.route()).map(|(method, path)| (method.to_string(), path.to_string())).collect();
        for endpoint in &called {
            assert!(forwarded().contains(endpoint), "the viewer calls {endpoint:?}, which trace-viewer serve does not forward");
        }
        for endpoint in forwarded() {
            assert!(called.contains(&endpoint), "trace-viewer serve forwards {endpoint:?}, which the viewer never calls");
        }
    }

    /// Every REST path written anywhere in the viewer's requesting code (this file and the prefetch script),
    /// with `{}` for what is filled in; a path written outside `Endpoint::route` would bypass the list.
    fn written_paths(source: &str) -> Vec<String> {
        let mut paths = Vec::new();
        for prefix in ["/api/", "/ajax-api/"] {
            for (at, _) in source.match_indices(prefix) {
                if at > 0 && source.as_bytes()[at - 1].is_ascii_alphanumeric() {
                    continue; // "/ajax-api/" also holds "/api/": counted once, as itself
                }
                let rest = &source[at..];
                let end = rest.find(['"', '`', '?', ' ', '\n', ')', ',']).unwrap_or(rest.len());
                paths.push(rest[..end].replace("${traceIds[0]}", "{}"));
            }
        }
        paths
    }

    #[test]
    fn every_rest_path_the_viewer_writes_is_an_endpoint() {
        let routes: Vec<&str> = Endpoint::ALL.iter().map(|endpoint| endpoint.route().1).collect();
        let code = include_str!("api.rs").split("#[cfg(test)]").next().unwrap();
        let written: Vec<String> = written_paths(code).into_iter().chain(written_paths(include_str!("../assets/prefetch.js"))).collect();
        assert!(written.len() >= routes.len(), "{written:?}");
        for path in written {
            // Doc comments name prefixes only ("under /ajax-api"): a full path has a version and a name.
            if path.matches('/').count() > 3 {
                assert!(routes.contains(&path.as_str()), "{path} is requested but is not an Endpoint (so not forwarded by serve)");
            }
        }
    }
}
