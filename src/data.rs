//! The data layer: every view reads traces through here, whatever the source (the bundled demo, trace
//! files by URL, or a tracking server). Components ask the source named questions (`Source::is_writable`,
//! `filters_on_server`, `fetches_each_trace`, `streams_files`) rather than match on its kind.

use crate::analytics::{self, DataPoint, MetricsQuery, ViewType};
pub use crate::api::PageTokens;
use crate::api::{self, ApiError, ApiErrorKind, Dataset, Experiment, SearchQuery, TracePage, TrackingClient};
use crate::location::{renderer_base, DeployConfig, Source, ViewLocation};
use crate::model::assessment_edit::Changed;
use crate::model::{Assessment, Trace};
use crate::pacing;
use crate::query::{parse_filter, OrderBy};
use crate::sorting::sort_by_key;
use futures::channel::oneshot::Sender;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::ops::ControlFlow;
use std::sync::Arc;

/// What the source holds, as the list view needs it.
#[derive(Clone, Debug)]
pub enum Listing {
    Traces(TraceList),
    /// A server was named without experiments: the user picks some.
    ChooseExperiment(Vec<Experiment>),
}

#[derive(Clone, Debug, Default)]
pub struct TraceList {
    pub traces: Vec<Arc<Trace>>,
    /// Files that could not be read; the others still load.
    pub problems: Vec<LoadProblem>,
    /// Where the next server page starts, when there is one.
    pub next_page_token: Option<String>,
}

/// The files that could not be read, one per line, each with what is wrong.
pub fn problems_text(problems: &[LoadProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.what, p.message)).collect::<Vec<_>>().join("\n")
}

/// Why the data layer could not do what was asked: kept typed up to the view, which says it (`Display`).
#[derive(Clone, Debug)]
pub enum DataError {
    /// The server or the network, with what went wrong (an HTTP status and MLflow's message, no answer, …).
    Api(ApiError),
    /// A write asked of traces that are not on a tracking server.
    ReadOnly,
    /// A trace the loaded files do not hold.
    NotInFiles(String),
    /// A write the server refused because the trace was deleted meanwhile.
    TraceGone(String),
    /// An attachment asked of a trace file, which does not hold them.
    AttachmentNotInFile,
    /// Anything else, in words (a page token handed out twice, a trace whose experiment is unknown, a
    /// config.json that does not read, figures that cannot be computed).
    Other(String),
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataError::Api(error) => write!(f, "{error}"),
            DataError::ReadOnly => f.write_str("Traces loaded from files cannot be changed."),
            DataError::NotInFiles(trace_id) => write!(f, "There is no trace {trace_id} in the loaded files."),
            DataError::TraceGone(trace_id) => {
                write!(f, "trace {trace_id} no longer exists on the server (it was deleted, perhaps by someone else).")
            }
            DataError::AttachmentNotInFile => {
                f.write_str("This attachment is stored on the tracking server; a trace file does not hold it.")
            }
            DataError::Other(message) => f.write_str(message),
        }
    }
}

impl From<ApiError> for DataError {
    fn from(error: ApiError) -> DataError {
        DataError::Api(error)
    }
}

impl From<String> for DataError {
    fn from(message: String) -> DataError {
        DataError::Other(message)
    }
}

/// Said where a view shows it (an error panel's message).
impl From<DataError> for String {
    fn from(error: DataError) -> String {
        error.to_string()
    }
}

/// Files' traces while they are read: what is read so far, and whether that is all.
#[derive(Clone, Debug, Default)]
pub struct FilesSoFar {
    pub traces: Vec<Arc<Trace>>,
    pub problems: Vec<LoadProblem>,
    pub done: bool,
}

/// One input that failed, named so the user knows which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub what: String,
    pub message: String,
}

/// Where traces come from when the URL names none, for a page at `origin` + `path`: what `config.json`
/// beside the page says; else the tracking server at the page's own origin (below the prefix of MLflow's
/// notebook-renderer path), when one answers there; else the demo data set. A config.json that does not read
/// is an error, not a reason to show something else.
pub async fn default_source(origin: &str, path: &str, url_experiment_ids: &[String]) -> Result<Source, DataError> {
    if let Some(config) = deploy_config().await? {
        api::send_credentials_to(config.credentialed_origin(origin));
        return Ok(config.source(origin, url_experiment_ids));
    }
    let base_url = format!("{origin}{}", renderer_base(path).unwrap_or(""));
    Ok(match TrackingClient::new(&base_url).is_tracking_server().await {
        true => Source::Server { base_url, experiment_ids: url_experiment_ids.to_vec() },
        false => Source::Demo,
    })
}

/// What a tracking server is asked for the list at `location`: its filter (normalised when it parses; a filter
/// that does not, from a hand-edited URL, goes as typed so that the server's answer explains it) and the sort
/// when the server can do it (another is done in the browser). None for a source that filters in the browser.
pub fn server_query(location: &ViewLocation) -> Option<SearchQuery> {
    if !location.source.filters_on_server() {
        return None;
    }
    let filter = location.filter.as_ref().map(|text| parse_filter(text).map(|f| f.to_string()).unwrap_or_else(|_| text.clone()));
    let order_by =
        location.order_by.as_deref().and_then(|text| OrderBy::parse(text).ok()).filter(OrderBy::server_supported).map(|o| o.to_string());
    Some(SearchQuery { filter, order_by })
}

type ConfigAnswer = Result<Option<DeployConfig>, DataError>;

thread_local! {
    /// The one fetch of config.json, shared by whoever asks (the default source, the embedders allowed).
    static DEPLOY_CONFIG: std::cell::RefCell<Option<Shared<LocalBoxFuture<'static, ConfigAnswer>>>> = const { std::cell::RefCell::new(None) };
}

/// `config.json` beside the page: None when there is none (it cannot be fetched, or what answers is not a JSON
/// object: hosts that answer every path with index.html), an error naming what is wrong when it is an object
/// that does not read. Fetched once per page.
pub async fn deploy_config() -> ConfigAnswer {
    let answer =
        DEPLOY_CONFIG.with(|config| config.borrow_mut().get_or_insert_with(|| fetch_deploy_config().boxed_local().shared()).clone());
    answer.await
}

async fn fetch_deploy_config() -> ConfigAnswer {
    let Ok(bytes) = api::fetch_bytes("config.json").await else { return Ok(None) };
    if !bytes.trim_ascii_start().starts_with(b"{") {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|err| DataError::Other(format!("The config.json beside this page cannot be read: {err}.")))
}

/// What a load is doing, for the user: in words, and how far through a file's reading it is (0–1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadStep {
    pub text: String,
    pub fraction: Option<f64>,
}

impl LoadStep {
    /// A step whose share done is not known (a file being fetched, a server asked).
    pub fn text_only(text: String) -> LoadStep {
        LoadStep { text, fraction: None }
    }
}

/// Who hears a listing's load besides its answer.
pub struct LoadListener {
    /// What is being done; for files one step at a time ("Reading traces.json: 12.0 MB, 4,000 traces, 40%…").
    pub progress: Box<dyn Fn(LoadStep)>,
    /// Files' traces read so far, after the answer (see [`read_files`]).
    pub later: Box<dyn Fn(FilesSoFar)>,
    /// Whether the load is still wanted: files stop being read at the next slice once it is not.
    pub wanted: Box<dyn Fn() -> bool>,
}

/// Loads the list of traces (or of experiments to choose from). A server filters and sorts by `query`
/// itself; files are loaded whole and filtered in the browser, their first traces given as soon as they are
/// parsed and the rest through `listener.later`.
pub async fn load_listing(source: &Source, query: &SearchQuery, listener: LoadListener) -> Result<Listing, ApiError> {
    match source {
        Source::Server { base_url, experiment_ids } => {
            let client = TrackingClient::new(base_url);
            if experiment_ids.is_empty() {
                return Ok(Listing::ChooseExperiment(client.search_experiments().await?));
            }
            let page = client.search_traces(experiment_ids, query, None, api::FIRST_PAGE_TRACES).await?;
            Ok(Listing::Traces(TraceList {
                traces: page.traces.into_iter().map(Arc::new).collect(),
                problems: Vec::new(),
                next_page_token: page.next_page_token,
            }))
        }
        Source::Demo | Source::Files(_) => Ok(Listing::Traces(read_files(source.file_urls(), listener).await)),
        // The host page sends these itself.
        Source::Provided => Ok(Listing::Traces(TraceList::default())),
    }
}

/// Reads the files in order, a slice at a time, and answers as soon as there are traces to show (or every
/// file is read): 10,000 traces take half a second to parse, their first rows need not wait for the last.
/// The reading goes on after the answer; `later` hears what is read so far each time it has doubled, and
/// at the end (`done`), unless the load stopped being wanted. A file that turns out invalid is taken back
/// out and named in `problems`.
async fn read_files(urls: Vec<String>, listener: LoadListener) -> TraceList {
    let (answer, first_traces) = futures::channel::oneshot::channel::<TraceList>();
    wasm_bindgen_futures::spawn_local(async move {
        let LoadListener { progress, later, wanted } = listener;
        let mut answer = Some(answer);
        let mut so_far = FilesSoFar::default();
        let mut shown = 0;
        let tell = |so_far: &FilesSoFar, answer: &mut Option<Sender<TraceList>>| match answer.take() {
            Some(answer) => {
                let list = TraceList { traces: so_far.traces.clone(), problems: so_far.problems.clone(), next_page_token: None };
                let _ = answer.send(list);
            }
            None => later(so_far.clone()),
        };
        for (number, url) in urls.iter().enumerate() {
            let of_files = if urls.len() > 1 { format!(" (file {} of {})", number + 1, urls.len()) } else { String::new() };
            progress(LoadStep::text_only(format!("Loading {url}{of_files}…")));
            let file_start = so_far.traces.len();
            let read = match api::fetch_bytes(url).await {
                Ok(bytes) => {
                    let size = crate::format::bytes(bytes.len() as u64);
                    progress(LoadStep { text: format!("Reading {url}{of_files}: {size}…"), fraction: Some(0.0) });
                    pacing::let_the_page_paint().await; // the message shows before the first slice
                    let step = |done, fraction| {
                        progress(LoadStep { text: format!("Reading {url}{of_files}: {size}, {done}…"), fraction: Some(fraction) })
                    };
                    let arrived = |traces: Vec<Trace>| {
                        so_far.traces.extend(traces.into_iter().map(Arc::new));
                        if so_far.traces.len() >= (2 * shown).max(1) {
                            shown = so_far.traces.len();
                            tell(&so_far, &mut answer);
                        }
                        if wanted() {
                            ControlFlow::Continue(())
                        } else {
                            ControlFlow::Break(())
                        }
                    };
                    match crate::model::parse::text_of(&bytes) {
                        Ok(text) => pacing::read_in_slices(text, step, arrived).await.map_err(|err| err.to_string()),
                        Err(err) => Err(err.to_string()),
                    }
                }
                Err(err) => Err(err.to_string()),
            };
            if !wanted() {
                return;
            }
            if let Err(message) = read {
                so_far.traces.truncate(file_start);
                so_far.problems.push(LoadProblem { what: url.clone(), message });
            }
        }
        // Newest first, as the server lists them.
        sort_by_key(&mut so_far.traces, |trace| std::cmp::Reverse(trace.info.request_time_ns));
        so_far.done = true;
        if answer.is_some() {
            tell(&so_far, &mut answer);
        }
        later(so_far);
    });
    // Unanswered only if the reading panicked (the panic panel reports it) or stopped being wanted.
    first_traces.await.unwrap_or_default()
}

/// The next page of a server listing.
pub async fn load_more(source: &Source, query: &SearchQuery, page_token: &str) -> Result<TracePage, ApiError> {
    match source {
        Source::Server { base_url, experiment_ids } => {
            TrackingClient::new(base_url).search_traces(experiment_ids, query, Some(page_token), api::MAX_TRACES_PER_PAGE).await
        }
        Source::Demo | Source::Files(_) | Source::Provided => Ok(TracePage { traces: Vec::new(), next_page_token: None }),
    }
}

/// Loads one whole trace (info and spans), from the loaded rows when they hold it.
pub async fn load_trace(source: &Source, trace_id: &str, loaded: &[Arc<Trace>]) -> Result<Arc<Trace>, DataError> {
    let listed = loaded.iter().find(|trace| trace.info.trace_id == trace_id);
    match source {
        Source::Server { base_url, .. } => match listed {
            Some(trace) if trace.spans_loaded => Ok(trace.clone()),
            _ => TrackingClient::new(base_url).get_trace(trace_id).await.map(Arc::new).map_err(DataError::from),
        },
        Source::Demo | Source::Files(_) | Source::Provided => listed.cloned().ok_or_else(|| DataError::NotInFiles(trace_id.to_string())),
    }
}

/// A search's pages, followed until there are no more or at least `enough` traces are read; whether the
/// server had more.
async fn search_pages(
    client: &TrackingClient,
    experiment_ids: &[String],
    query: &SearchQuery,
    enough: usize,
) -> Result<(Vec<Trace>, bool), DataError> {
    let mut traces = Vec::new();
    let mut page_token: Option<String> = None;
    let mut followed = PageTokens::default();
    loop {
        let page =
            client.search_traces(experiment_ids, query, page_token.as_deref(), api::MAX_TRACES_PER_PAGE).await.map_err(DataError::from)?;
        let added = page.traces.len();
        traces.extend(page.traces);
        page_token = followed.follow(page.next_page_token, added)?;
        if page_token.is_none() || traces.len() >= enough {
            return Ok((traces, page_token.is_some()));
        }
    }
}

/// Traces fetched at once when a session's are loaded whole (its turns' tools and messages need their spans).
const SESSION_FETCHES_AT_ONCE: usize = 6;

/// Turns a session view fetches at first, and then at each "Load more": a session's every trace is fetched
/// whole, so a session of thousands of turns is read a part at a time.
pub const SESSION_TURNS_AT_ONCE: usize = 500;

/// A session's traces, whole, in time order; and whether the session has more than were read.
pub struct SessionTraces {
    pub traces: Vec<Arc<Trace>>,
    pub more: bool,
}

/// The first `limit` traces of a session, whole: from the loaded rows for files; from a server, the pages of a
/// `metadata.`mlflow.trace.session`` search (oldest first), then each trace's spans, except for the traces in
/// `fetched` (an earlier, shorter read of the same session).
pub async fn session_traces(
    source: &Source,
    session_id: &str,
    loaded: &[Arc<Trace>],
    fetched: &[Arc<Trace>],
    limit: usize,
) -> Result<SessionTraces, DataError> {
    let Source::Server { base_url, experiment_ids } = source else {
        let traces = loaded.iter().filter(|trace| trace.session() == Some(session_id)).cloned().collect();
        return Ok(SessionTraces { traces, more: false });
    };
    let client = TrackingClient::new(base_url);
    let session = crate::query::quote(session_id).map_err(|unquotable| DataError::Other(unquotable.to_string()))?;
    let query =
        SearchQuery { filter: Some(format!("metadata.`mlflow.trace.session` = {session}")), order_by: Some("timestamp_ms ASC".into()) };
    let (mut infos, more_pages) = search_pages(&client, experiment_ids, &query, limit).await?;
    let more = more_pages || infos.len() > limit;
    infos.truncate(limit);
    let mut whole = Vec::with_capacity(infos.len());
    for batch in infos.chunks(SESSION_FETCHES_AT_ONCE) {
        let fetched = futures::future::join_all(batch.iter().map(|info| async {
            match fetched.iter().find(|trace| trace.info.trace_id == info.info.trace_id) {
                Some(trace) => Ok(trace.clone()),
                None => client.get_trace(&info.info.trace_id).await.map(Arc::new),
            }
        }))
        .await;
        for trace in fetched {
            whole.push(trace.map_err(DataError::from)?);
        }
    }
    Ok(SessionTraces { traces: whole, more })
}

/// Whether the tracking server has a trace (a span link may name one that was never logged or was deleted).
/// Files have only the traces loaded: there is nothing more to ask.
pub async fn trace_exists(source: &Source, trace_id: &str) -> Result<bool, DataError> {
    match source {
        Source::Server { base_url, .. } => TrackingClient::new(base_url).trace_exists(trace_id).await.map_err(DataError::from),
        Source::Demo | Source::Files(_) | Source::Provided => Ok(false),
    }
}

/// Whether traces can be changed (tags, deletion): only on a tracking server, not in files.
fn server_client(source: &Source) -> Result<TrackingClient, DataError> {
    match source {
        Source::Server { base_url, .. } => Ok(TrackingClient::new(base_url)),
        Source::Demo | Source::Files(_) | Source::Provided => Err(DataError::ReadOnly),
    }
}

/// Deletes traces on the server, one request per experiment; returns how many the server deleted.
pub async fn delete_traces(source: &Source, traces: &[Arc<Trace>]) -> Result<Deleted, DataError> {
    let client = server_client(source)?;
    let single_experiment = match source {
        Source::Server { experiment_ids, .. } if experiment_ids.len() == 1 => Some(experiment_ids[0].clone()),
        _ => None,
    };
    let mut by_experiment: Vec<(String, Vec<String>)> = Vec::new();
    for trace in traces {
        let experiment = trace
            .info
            .experiment_id
            .clone()
            .or_else(|| single_experiment.clone())
            .ok_or_else(|| format!("The experiment of trace {} is not known, so it cannot be deleted.", trace.info.trace_id))?;
        match by_experiment.iter_mut().find(|(id, _)| *id == experiment) {
            Some((_, ids)) => ids.push(trace.info.trace_id.clone()),
            None => by_experiment.push((experiment, vec![trace.info.trace_id.clone()])),
        }
    }
    // One request per experiment: when one fails after others succeeded, those stay deleted and are told.
    let mut deleted = Deleted::default();
    for (experiment, ids) in by_experiment {
        match client.delete_traces(&experiment, &ids).await {
            Ok(count) => {
                deleted.count += count;
                deleted.trace_ids.extend(ids);
            }
            Err(err) => {
                deleted.failure = Some(err.to_string());
                break;
            }
        }
    }
    Ok(deleted)
}

/// What a bulk delete did: the traces deleted (by the server's count and by id) and, when a request failed,
/// why the rest were not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deleted {
    pub count: u64,
    pub trace_ids: Vec<String>,
    pub failure: Option<String>,
}

pub async fn set_trace_tag(source: &Source, trace_id: &str, key: &str, value: &str) -> Result<(), DataError> {
    let client = server_client(source)?;
    explain_write(&client, trace_id, client.set_trace_tag(trace_id, key, value).await).await
}

pub async fn delete_trace_tag(source: &Source, trace_id: &str, key: &str) -> Result<(), DataError> {
    let client = server_client(source)?;
    explain_write(&client, trace_id, client.delete_trace_tag(trace_id, key).await).await
}

/// Logs an assessment on the server; returns it as stored (with its id and times).
pub async fn create_assessment(source: &Source, assessment: &Assessment) -> Result<Assessment, DataError> {
    let client = server_client(source)?;
    explain_write(&client, &assessment.trace_id, client.create_assessment(assessment).await).await
}

pub async fn update_assessment(source: &Source, assessment: &Assessment, changed: Changed) -> Result<Assessment, DataError> {
    let client = server_client(source)?;
    explain_write(&client, &assessment.trace_id, client.update_assessment(assessment, changed).await).await
}

pub async fn delete_assessment(source: &Source, trace_id: &str, assessment_id: &str) -> Result<(), DataError> {
    let client = server_client(source)?;
    explain_write(&client, trace_id, client.delete_assessment(trace_id, assessment_id).await).await
}

/// A write the server refused may be about a trace someone else deleted meanwhile; MLflow then answers with
/// whatever its store said (a database constraint, say), so ask whether the trace still exists and say that.
async fn explain_write<T>(client: &TrackingClient, trace_id: &str, result: Result<T, ApiError>) -> Result<T, DataError> {
    match result {
        Err(error @ ApiError { kind: ApiErrorKind::Http { .. }, .. }) => match client.trace_exists(trace_id).await {
            Ok(false) => Err(DataError::TraceGone(trace_id.to_string())),
            _ => Err(DataError::Api(error)),
        },
        other => other.map_err(DataError::Api),
    }
}

/// The bytes of an attachment of a trace on the server (files carry their media inline).
pub async fn attachment(source: &Source, trace_id: &str, attachment_id: &str) -> Result<Vec<u8>, DataError> {
    match source {
        Source::Server { base_url, .. } => {
            TrackingClient::new(base_url).fetch_attachment(trace_id, attachment_id).await.map_err(DataError::from)
        }
        Source::Demo | Source::Files(_) | Source::Provided => Err(DataError::AttachmentNotInFile),
    }
}

/// Evaluation datasets of the listed experiments (a server's; files have none).
pub async fn datasets(source: &Source) -> Result<Vec<Dataset>, DataError> {
    let client = server_client(source)?;
    let Source::Server { experiment_ids, .. } = source else { return Ok(Vec::new()) };
    client.search_datasets(experiment_ids).await.map_err(DataError::from)
}

/// Which dataset receives the records: an existing one, or a new one by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatasetTarget {
    Existing(Dataset),
    New(String),
}

/// Adds the traces to an evaluation dataset as records (whole traces are fetched where only their info is
/// loaded). Returns the dataset and how many records were inserted and updated.
pub async fn add_to_dataset(source: &Source, target: DatasetTarget, traces: &[Arc<Trace>]) -> Result<(Dataset, u64, u64), DataError> {
    let client = server_client(source)?;
    let mut records = Vec::with_capacity(traces.len());
    for trace in traces {
        let whole = load_trace(source, &trace.info.trace_id, std::slice::from_ref(trace)).await?;
        records.push(whole.dataset_record());
    }
    let dataset = match target {
        DatasetTarget::Existing(dataset) => dataset,
        DatasetTarget::New(name) => {
            let experiment_ids = match source {
                Source::Server { experiment_ids, .. } => experiment_ids.clone(),
                _ => Vec::new(),
            };
            client.create_dataset(&name, &experiment_ids).await.map_err(DataError::from)?
        }
    };
    let (inserted, updated) = client.upsert_dataset_records(&dataset.dataset_id, &records).await.map_err(DataError::from)?;
    Ok((dataset, inserted, updated))
}

/// Names of runs by id, as far as the source knows them (a server does; files only have ids). Runs that
/// cannot be read are left out and shown by id.
pub async fn run_names(source: &Source, run_ids: &[String]) -> Vec<(String, String)> {
    let Ok(client) = server_client(source) else { return Vec::new() };
    let mut names = Vec::with_capacity(run_ids.len());
    for run_id in run_ids {
        if let Ok(name) = client.run_name(run_id).await {
            names.push((run_id.clone(), name));
        }
    }
    names
}

/// Where the overview's figures came from, said under the charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FiguresOrigin {
    /// The tracking server's metrics endpoint.
    Server,
    /// Computed in the browser; the text says from what.
    Browser(String),
}

/// A server without the metrics endpoint: at most this many traces are read to compute figures, …
const FALLBACK_TRACES: usize = 5000;
/// … and the spans (for tool calls and cost) of at most this many of them, newest first.
const FALLBACK_TRACES_WITH_SPANS: usize = 200;

/// The request time (Unix ms) of the oldest trace, for the "all time" range.
pub async fn oldest_trace_ms(source: &Source, loaded: &[Arc<Trace>]) -> Result<Option<i64>, DataError> {
    match source {
        Source::Server { base_url, experiment_ids } => {
            TrackingClient::new(base_url).oldest_trace_time_ms(experiment_ids).await.map_err(DataError::from)
        }
        // Traces without a time have no place on the time axis.
        Source::Demo | Source::Files(_) | Source::Provided => Ok(loaded
            .iter()
            .filter(|trace| trace.info.request_time_ns.is_some())
            .map(|trace| analytics::compute::trace_time_ms(trace))
            .min()),
    }
}

/// The answers to the overview's queries, in order: from the server's metrics endpoint, or computed in the
/// browser by the same rules from the loaded traces (files) or from the server's traces (a server without
/// the endpoint answers 404).
pub async fn overview_answers(
    source: &Source,
    loaded: &[Arc<Trace>],
    queries: &[MetricsQuery],
) -> Result<(Vec<Vec<DataPoint>>, FiguresOrigin), DataError> {
    let compute_all = |traces: &[Arc<Trace>]| -> Result<Vec<Vec<DataPoint>>, DataError> {
        queries.iter().map(|query| analytics::compute(traces, query).map_err(DataError::Other)).collect()
    };
    let Source::Server { base_url, experiment_ids } = source else {
        let note = format!("Computed in the browser from the {} loaded traces.", loaded.len());
        return Ok((compute_all(loaded)?, FiguresOrigin::Browser(note)));
    };
    let client = TrackingClient::new(base_url);
    let answers = futures::future::join_all(queries.iter().map(|query| client.query_metrics(experiment_ids, query))).await;
    match answers.into_iter().collect::<Result<Vec<_>, ApiError>>() {
        Ok(answers) => Ok((answers, FiguresOrigin::Server)),
        Err(ApiError { kind: ApiErrorKind::Http { status: 404, .. }, .. }) => {
            let (traces, note) = server_traces_for_figures(&client, experiment_ids, queries).await?;
            Ok((compute_all(&traces)?, FiguresOrigin::Browser(note)))
        }
        Err(err) => Err(DataError::Api(err)),
    }
}

/// The traces in the queries' time range, read from a server without the metrics endpoint; spans too when
/// a query counts spans. Returns them with a note of what was read.
async fn server_traces_for_figures(
    client: &TrackingClient,
    experiment_ids: &[String],
    queries: &[MetricsQuery],
) -> Result<(Vec<Arc<Trace>>, String), DataError> {
    let range = queries.first().map(|query| (query.start_ms, query.end_ms)).unwrap_or_default();
    let bounds = [range.0.map(|start| format!("trace.timestamp_ms >= {start}")), range.1.map(|end| format!("trace.timestamp_ms <= {end}"))];
    let filter = bounds.into_iter().flatten().collect::<Vec<_>>().join(" AND ");
    let search = SearchQuery { filter: (!filter.is_empty()).then_some(filter), order_by: None };
    let (traces, more) = search_pages(client, experiment_ids, &search, FALLBACK_TRACES).await?;
    let mut traces: Vec<Arc<Trace>> = traces.into_iter().map(Arc::new).collect();
    let mut note = format!(
        "This server has no metrics endpoint: figures computed in the browser from {}{} traces.",
        if more { "its newest " } else { "" },
        traces.len()
    );
    if queries.iter().any(|query| query.view == ViewType::Spans) {
        let with_spans = traces.len().min(FALLBACK_TRACES_WITH_SPANS);
        for chunk in (0..with_spans).collect::<Vec<_>>().chunks(4) {
            let fetched = futures::future::join_all(chunk.iter().map(|&i| client.get_trace(&traces[i].info.trace_id))).await;
            for (&i, trace) in chunk.iter().zip(fetched) {
                traces[i] = Arc::new(trace.map_err(DataError::from)?);
            }
        }
        if with_spans < traces.len() {
            note.push_str(&format!(" Tool calls and cost come from the newest {with_spans}."));
        }
    }
    Ok((traces, note))
}

#[cfg(test)]
mod tests {
    use super::DataError;
    use crate::api::{ApiError, ApiErrorKind};

    #[test]
    fn each_data_error_says_what_went_wrong_and_about_which_trace() {
        let http = ApiError {
            url: "http://h/api".into(),
            kind: ApiErrorKind::Http { status: 404, error_code: Some("RESOURCE_DOES_NOT_EXIST".into()), message: "No trace".into() },
        };
        assert_eq!(DataError::from(http.clone()).to_string(), http.to_string());
        assert_eq!(DataError::NotInFiles("tr-1".into()).to_string(), "There is no trace tr-1 in the loaded files.");
        assert!(DataError::TraceGone("tr-2".into()).to_string().starts_with("trace tr-2 no longer exists on the server"));
        assert_eq!(String::from(DataError::ReadOnly), "Traces loaded from files cannot be changed.");
        assert_eq!(DataError::from("the list ends".to_string()).to_string(), "the list ends");
    }
}
