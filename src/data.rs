//! The data layer: every view reads traces through here, whatever the source (the bundled demo, trace
//! files by URL, or a tracking server). No component knows which source it has.

use crate::api::{self, ApiError, Experiment, TrackingClient};
use crate::location::Source;
use crate::model::{parse_traces, Trace};
use std::rc::Rc;

/// What the source holds, as the list view needs it.
#[derive(Clone, Debug)]
pub enum Listing {
    Traces(TraceList),
    /// A server was named without experiments: the user picks some.
    ChooseExperiment(Vec<Experiment>),
}

#[derive(Clone, Debug, Default)]
pub struct TraceList {
    pub traces: Vec<Rc<Trace>>,
    /// Files that could not be read; the others still load.
    pub problems: Vec<LoadProblem>,
    /// True when the server has more pages than were loaded.
    pub more_available: bool,
}

/// One input that failed, named so the user knows which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub what: String,
    pub message: String,
}

/// Loads the list of traces (or of experiments to choose from).
pub async fn load_listing(source: &Source) -> Result<Listing, ApiError> {
    match source {
        Source::Server { base_url, experiment_ids } => {
            let client = TrackingClient::new(base_url);
            if experiment_ids.is_empty() {
                return Ok(Listing::ChooseExperiment(client.search_experiments().await?));
            }
            let page = client.search_traces(experiment_ids, None).await?;
            Ok(Listing::Traces(TraceList {
                traces: page.traces.into_iter().map(Rc::new).collect(),
                problems: Vec::new(),
                more_available: page.next_page_token.is_some(),
            }))
        }
        Source::Demo | Source::Files(_) => {
            let mut list = TraceList::default();
            for url in source.file_urls() {
                match api::fetch_text(&url).await {
                    Ok(text) => match parse_traces(&text) {
                        Ok(traces) => list.traces.extend(traces.into_iter().map(Rc::new)),
                        Err(err) => list.problems.push(LoadProblem { what: url.clone(), message: err.to_string() }),
                    },
                    Err(err) => list.problems.push(LoadProblem { what: url.clone(), message: err.to_string() }),
                }
            }
            // Newest first, as the server lists them.
            list.traces.sort_by(|a, b| b.info.request_time_ns.cmp(&a.info.request_time_ns));
            Ok(Listing::Traces(list))
        }
    }
}

/// Loads one whole trace (info and spans).
pub async fn load_trace(source: &Source, trace_id: &str, listing: &TraceList) -> Result<Rc<Trace>, String> {
    let listed = listing.traces.iter().find(|trace| trace.info.trace_id == trace_id);
    match source {
        Source::Server { base_url, .. } => match listed {
            Some(trace) if trace.spans_loaded => Ok(trace.clone()),
            _ => TrackingClient::new(base_url).get_trace(trace_id).await.map(Rc::new).map_err(|err| err.to_string()),
        },
        Source::Demo | Source::Files(_) => listed
            .cloned()
            .ok_or_else(|| format!("There is no trace {trace_id} in the loaded files.")),
    }
}
