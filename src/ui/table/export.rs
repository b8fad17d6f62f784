//! The table's exports: the selected traces whole (spans fetched where only the info is loaded) as JSON, or as
//! one HTML file holding the viewer too (opens from disk, no server); and the rows and columns shown as CSV.

use super::columns::Column;
use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::Trace;
use crate::ui::browser::download::download;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ExportButtons(
    source: Source,
    /// The selected traces.
    chosen: Signal<Vec<Arc<Trace>>>,
    /// The rows shown, in their order.
    rows: Signal<Vec<Arc<Trace>>>,
    /// The columns shown, in their order.
    columns: Signal<Vec<Column>>,
    /// Where the outcome is said: (message, whether it is an error).
    notice: RwSignal<Option<(String, bool)>>,
) -> impl IntoView {
    let exporting = RwSignal::new(false);
    let export_traces = move |as_page: bool| {
        let chosen = chosen.get_untracked();
        exporting.set(true);
        notice.set(None);
        let source = source.clone();
        leptos::task::spawn_local(async move {
            let mut whole = Vec::with_capacity(chosen.len());
            for trace in &chosen {
                match data::load_trace(&source, &trace.info.trace_id, std::slice::from_ref(trace)).await {
                    Ok(trace) => whole.push(trace),
                    Err(message) => {
                        notice.set(Some((format!("Export stopped at {}: {message}", trace.info.trace_id), true)));
                        exporting.set(false);
                        return;
                    }
                }
            }
            let refs: Vec<&Trace> = whole.iter().map(|trace| &**trace).collect();
            let json = crate::model::write::traces_to_json(&refs);
            let (file_name, mime_type) = if as_page { ("traces.html", "text/html") } else { ("traces.json", "application/json") };
            let text = match as_page {
                true => standalone_page_with(&json).await,
                false => Ok(json),
            };
            match text.and_then(|text| download(file_name, mime_type, &text)) {
                Ok(()) => notice.set(Some((format!("Exported {} traces to {file_name}.", whole.len()), false))),
                Err(message) => notice.set(Some((message, true))),
            }
            exporting.set(false);
        });
    };
    let export_csv = move || {
        let columns = columns.get_untracked();
        let mut text = format::csv_record(&columns.iter().map(|c| c.label()).collect::<Vec<_>>());
        rows.with_untracked(|rows| {
            for trace in rows {
                text.push_str(&format::csv_record(&columns.iter().map(|c| c.text(trace)).collect::<Vec<_>>()));
            }
        });
        if let Err(message) = download("traces.csv", "text/csv", &text) {
            notice.set(Some((message, true)));
        }
    };
    let export_button = move |label: &'static str, title: &'static str, as_page: bool| {
        let export_traces = export_traces.clone();
        view! {
            <button class="button" title=title disabled=move || exporting.get() || chosen.with(Vec::is_empty) on:click=move |_| export_traces(as_page)>
                {move || if exporting.get() { "Exporting…" } else { label }}
            </button>
        }
    };
    view! {
        {export_button("Export JSON", "The selected traces, spans included, as a file this viewer (and MLflow) can load", false)}
        {export_button("Export HTML", "The selected traces and this viewer in one HTML file that opens from disk, with no server", true)}
        <button class="button" title="The rows and columns shown, as CSV" on:click=move |_| export_csv()>"Export CSV"</button>
    }
}

/// standalone.html beside the page, with these traces written in.
async fn standalone_page_with(traces_json: &str) -> Result<String, String> {
    let template = crate::api::fetch_bytes("standalone.html").await.map_err(|err| err.to_string())?;
    let template = String::from_utf8(template).map_err(|_| "standalone.html is not text.".to_string())?;
    crate::ui::browser::embed::standalone_page(&template, traces_json)
}
