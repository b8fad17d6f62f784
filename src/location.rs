//! What the viewer shows, as it is written in the page's URL query, so that a link reopens the same view,
//! Back works and an iframe is configured by its `src` alone. Pure Rust, tested natively.
//!
//! The parameter names are a public contract (links and embeds depend on them):
//! - `traces=<url>` (repeatable): trace files to open;
//! - `server=<base url>`: a tracking server, with `experiment_id=<id>` (repeatable);
//! - `trace_id=<id>`: the trace to open (repeated, as MLflow's notebook renderer URL gives several: the traces
//!   shown one at a time with a pager, `page=<n>` the one shown, from 0), `span_id=<hex id>` the span selected in it, and `search=<text>` the
//!   search within that trace;
//! - `filter=<expression>`: MLflow's search filter (the REST API's name for it);
//! - `order_by=<key> [ASC|DESC]`: the sort, in the REST API's form;
//! - `embed=1`: the view without the app's own header, for an iframe in another page;
//! - `view=overview`: the overview charts instead of the list, with `tab=usage|quality|tools`,
//!   `range=1h|24h|7d|30d|all|custom` (custom: `from=` and `to=`, UTC dates or date-times) and
//!   `unit=minute|hour|day|week|month`.
//!
//! With neither `traces` nor `server`, the bundled demo data set is shown.

/// Where traces come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The demo data set shipped with the app.
    Demo,
    /// Trace files by URL (relative to the page, or absolute).
    Files(Vec<String>),
    /// A tracking server that speaks MLflow's REST API.
    Server { base_url: String, experiment_ids: Vec<String> },
    /// Traces handed over by the page hosting the viewer (a `postMessage`); a URL cannot name them.
    Provided,
}

/// Path of the bundled demo data set, relative to index.html.
pub const DEMO_TRACES_URL: &str = "demo/traces.json";

impl Source {
    /// The files to fetch for a file-based source.
    pub fn file_urls(&self) -> Vec<String> {
        match self {
            Source::Demo => vec![DEMO_TRACES_URL.to_string()],
            Source::Files(urls) => urls.clone(),
            Source::Server { .. } | Source::Provided => Vec::new(),
        }
    }

    /// True when searches and figures are answered by a tracking server; otherwise they are computed from
    /// the traces loaded in the browser.
    pub fn filters_on_server(&self) -> bool {
        matches!(self, Source::Server { .. })
    }

    /// Whether edits (tags, assessments, deletion, datasets) may be written: only to a tracking server, never
    /// to files or to traces a page handed over.
    pub fn is_writable(&self) -> bool {
        matches!(self, Source::Server { .. })
    }

    /// Whether one trace is fetched on its own (a server); files hold every trace they list.
    pub fn fetches_each_trace(&self) -> bool {
        matches!(self, Source::Server { .. })
    }

    /// Whether the list is read from files, its first rows shown while the rest is still read.
    pub fn streams_files(&self) -> bool {
        matches!(self, Source::Demo | Source::Files(_))
    }

    /// The same tracking server with other experiments; None for a source that is not a server.
    pub fn with_experiments(&self, experiment_ids: Vec<String>) -> Option<Source> {
        match self {
            Source::Server { base_url, .. } => Some(Source::Server { base_url: base_url.clone(), experiment_ids }),
            Source::Demo | Source::Files(_) | Source::Provided => None,
        }
    }

    /// What the header says the traces come from.
    pub fn label(&self) -> String {
        match self {
            Source::Demo => "Demo data set".into(),
            Source::Provided => "Traces in this page".into(),
            Source::Files(urls) if urls.len() == 1 => urls[0].clone(),
            Source::Files(urls) => format!("{} files", urls.len()),
            Source::Server { base_url, experiment_ids } if experiment_ids.is_empty() => base_url.clone(),
            Source::Server { base_url, experiment_ids } => format!("{base_url} · experiment {}", experiment_ids.join(", ")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewLocation {
    pub source: Source,
    pub trace_id: Option<String>,
    /// Every `trace_id` of the URL when it names several (a notebook's traces): paged through.
    pub trace_ids: Vec<String>,
    pub span_id: Option<String>,
    /// Text searched for within the open trace's spans.
    pub search: Option<String>,
    pub filter: Option<String>,
    pub order_by: Option<String>,
    /// Shown inside another page: no header of its own.
    pub embed: bool,
    /// The overview charts, when they are shown instead of the list.
    pub overview: Option<OverviewParams>,
    /// A session shown as its conversation (`session=<id>`), when it is shown instead of the list.
    pub session: Option<String>,
    /// The open trace drawn as its agent graph (`view=graph`) instead of its tree and timeline.
    pub graph: bool,
    /// Traces compared side by side (`compare=<id>,<id>`), when they are shown instead of the list; as
    /// given (the comparison says what is wrong with them).
    pub compare: Vec<String>,
}

/// The overview's tab, time range and time unit as the URL gives them (read by `analytics::time`; a value
/// that does not parse falls back to the default there).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OverviewParams {
    pub tab: Option<String>,
    pub range: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub unit: Option<String>,
}

impl ViewLocation {
    /// The list of `source`'s traces, unfiltered.
    pub fn of(source: Source) -> ViewLocation {
        ViewLocation {
            source,
            trace_id: None,
            trace_ids: Vec::new(),
            span_id: None,
            search: None,
            filter: None,
            order_by: None,
            embed: false,
            overview: None,
            session: None,
            graph: false,
            compare: Vec::new(),
        }
    }

    /// Reads a query string (with or without the leading `?`).
    pub fn from_query(query: &str) -> ViewLocation {
        let pairs = parse_query(query);
        let all = |name: &str| -> Vec<String> {
            pairs.iter().filter(|(key, value)| key == name && !value.trim().is_empty()).map(|(_, value)| value.trim().to_string()).collect()
        };
        let first = |name: &str| all(name).into_iter().next();
        let source = if let Some(server) = first("server") {
            Source::Server { base_url: server.trim_end_matches('/').to_string(), experiment_ids: all("experiment_id") }
        } else {
            let files = all("traces");
            if files.is_empty() {
                Source::Demo
            } else {
                Source::Files(files)
            }
        };
        ViewLocation {
            source,
            trace_id: {
                let page: usize = first("page").and_then(|page| page.parse().ok()).unwrap_or(0);
                all("trace_id").get(page).cloned().or_else(|| first("trace_id"))
            },
            trace_ids: Some(all("trace_id")).filter(|ids| ids.len() > 1).unwrap_or_default(),
            span_id: first("span_id"),
            search: first("search"),
            filter: first("filter"),
            order_by: first("order_by"),
            embed: first("embed").is_some_and(|value| value == "1" || value == "true"),
            overview: (first("view").as_deref() == Some("overview")).then(|| OverviewParams {
                tab: first("tab"),
                range: first("range"),
                from: first("from"),
                to: first("to"),
                unit: first("unit"),
            }),
            session: first("session"),
            graph: first("view").as_deref() == Some("graph"),
            compare: all("compare")
                .iter()
                .flat_map(|ids| ids.split(','))
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// The query string for this location (with the leading `?`, or empty).
    pub fn to_query(&self) -> String {
        let paged: String;
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        match &self.source {
            Source::Demo | Source::Provided => {}
            Source::Files(urls) => pairs.extend(urls.iter().map(|url| ("traces", url.as_str()))),
            Source::Server { base_url, experiment_ids } => {
                pairs.push(("server", base_url));
                pairs.extend(experiment_ids.iter().map(|id| ("experiment_id", id.as_str())));
            }
        }
        let page = self.trace_id.as_ref().and_then(|id| self.trace_ids.iter().position(|listed| listed == id));
        if let Some(page) = page {
            pairs.extend(self.trace_ids.iter().map(|id| ("trace_id", id.as_str())));
            if page > 0 {
                paged = page.to_string();
                pairs.push(("page", &paged));
            }
        }
        let trace_id = if page.is_some() { &None } else { &self.trace_id };
        for (name, value) in [
            ("session", &self.session),
            ("filter", &self.filter),
            ("order_by", &self.order_by),
            ("trace_id", trace_id),
            ("span_id", &self.span_id),
            ("search", &self.search),
        ] {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        }
        if let Some(overview) = &self.overview {
            pairs.push(("view", "overview"));
            for (name, value) in [
                ("tab", &overview.tab),
                ("range", &overview.range),
                ("from", &overview.from),
                ("to", &overview.to),
                ("unit", &overview.unit),
            ] {
                if let Some(value) = value {
                    pairs.push((name, value));
                }
            }
        }
        if self.graph && self.overview.is_none() {
            pairs.push(("view", "graph"));
        }
        let compared = self.compare.join(",");
        if !compared.is_empty() {
            pairs.push(("compare", &compared));
        }
        if self.embed {
            pairs.push(("embed", "1"));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = pairs.iter().map(|(key, value)| format!("{key}={}", encode_component(value))).collect();
        format!("?{}", encoded.join("&"))
    }
}

/// `config.json` deployed beside index.html: where the viewer finds traces when its URL names none.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct DeployConfig {
    /// A tracking server: an absolute URL, or a path on the page's origin (`""` for the origin itself);
    /// null or absent for the demo data set.
    #[serde(default)]
    pub server: Option<String>,
    #[serde(default)]
    pub experiment_ids: Vec<String>,
    /// Origins of pages that may frame the viewer and hear what it posts (its height, the trace and span
    /// open), e.g. `["https://dashboard.example.com"]`. The page's own origin always may; no other does
    /// unless named here.
    #[serde(default)]
    pub embedders: Vec<String>,
    /// Whether requests to `server` on another origin carry the browser's credentials for it (its cookies,
    /// its HTTP sign-in): `"include"` for a server that allows credentialed CORS from this page's origin.
    /// Requests to the page's own origin always carry them.
    #[serde(default)]
    pub credentials: CredentialsMode,
}

/// config.json's `credentials`, named as the Fetch standard names the modes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialsMode {
    #[default]
    SameOrigin,
    Include,
}

impl DeployConfig {
    /// The `embedders` that are origins (`http(s)://host[:port]`, lowercased, no path); anything else is left
    /// out, since a message posted to it could not be addressed.
    pub fn embedder_origins(&self) -> Vec<String> {
        self.embedders
            .iter()
            .filter_map(|entry| {
                let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
                let host = entry.strip_prefix("https://").or_else(|| entry.strip_prefix("http://"))?;
                let is_origin = !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ', '*']);
                is_origin.then_some(entry)
            })
            .collect()
    }

    /// The origin of the configured server when its requests are to carry the browser's credentials.
    pub fn credentialed_origin(&self, page_origin: &str) -> Option<String> {
        let server = self.server.as_deref().filter(|_| self.credentials == CredentialsMode::Include)?;
        let base_url = if server.contains("://") { server.to_string() } else { format!("{page_origin}{server}") };
        Some(origin_of(&base_url).to_ascii_lowercase())
    }

    /// The source this configuration names, for a page at `origin`; experiments in the URL come first.
    pub fn source(&self, origin: &str, url_experiment_ids: &[String]) -> Source {
        let Some(server) = &self.server else { return Source::Demo };
        let base_url = if server.contains("://") { server.clone() } else { format!("{origin}{server}") };
        let experiment_ids = if url_experiment_ids.is_empty() { self.experiment_ids.clone() } else { url_experiment_ids.to_vec() };
        Source::Server { base_url: base_url.trim_end_matches('/').to_string(), experiment_ids }
    }
}

/// The options a host page passes to the JavaScript API's `mount(element, options)`, all optional: `server` and
/// `experimentIds` (a tracking server's traces), or `traces` (Trace.to_json() objects or their JSON text);
/// `traceId` (open one), `view: "overview"`, `header: true` (the viewer's own header, hidden by default) and
/// `theme: "light" | "dark" | "system"`. A value of the wrong type is refused with serde's message.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MountOptions {
    pub server: Option<String>,
    /// Each `"1"` or `1` (other values are left out).
    #[serde(default)]
    pub experiment_ids: Vec<serde_json::Value>,
    /// Kept as given; the model reads them.
    pub traces: Option<serde_json::Value>,
    pub trace_id: Option<String>,
    pub view: Option<String>,
    #[serde(default)]
    pub header: bool,
    pub theme: Option<String>,
}

impl MountOptions {
    /// Where the mounted viewer starts.
    pub fn start(&self) -> ViewLocation {
        let source = match &self.server {
            Some(base_url) => Source::Server {
                base_url: base_url.trim_end_matches('/').to_string(),
                experiment_ids: self
                    .experiment_ids
                    .iter()
                    .filter_map(|id| id.as_str().map(str::to_string).or_else(|| id.as_u64().map(|number| number.to_string())))
                    .collect(),
            },
            None => Source::Provided,
        };
        let mut start = ViewLocation::of(source);
        start.trace_id = self.trace_id.clone();
        start.embed = !self.header;
        start.overview = (self.view.as_deref() == Some("overview")).then(OverviewParams::default);
        start
    }
}

/// Where MLflow's notebook display points its iframe, below the tracking server's base URL.
pub const NOTEBOOK_RENDERER_PATH: &str = "/static-files/lib/notebook-trace-renderer/";

/// The tracking server's base path when the page sits where MLflow's notebook display looks for its
/// renderer (`<base>/static-files/lib/notebook-trace-renderer/index.html`).
pub fn renderer_base(page_path: &str) -> Option<&str> {
    page_path.find(NOTEBOOK_RENDERER_PATH).map(|at| &page_path[..at])
}

/// Splits a query string into decoded key/value pairs, keeping order and repeats.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (decode_component(key), decode_component(value))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; bad escapes stay as text.
pub fn decode_component(text: &str) -> String {
    let hex = |byte: u8| (byte as char).to_digit(16).map(|digit| digit as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len()).then(|| Some(hex(bytes[i + 1])? << 4 | hex(bytes[i + 2])?)).flatten();
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters (and `/` and `:`, which keep URLs readable).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b':' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `id` as one segment of a URL path: unreserved characters kept, every other byte percent-encoded. None
/// for an id that must not reach a path at all: empty, with `/` or `\`, `..`, or a control character
/// (`../../2.0/mlflow-artifacts/…` as an assessment id would turn a delete into a delete of an artifact).
pub fn path_segment(id: &str) -> Option<String> {
    let unsafe_id = id.is_empty() || id == "." || id.contains(['/', '\\']) || id.contains("..") || id.chars().any(char::is_control);
    if unsafe_id {
        return None;
    }
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Some(out)
}

/// `scheme://host:port` of an absolute URL (the URL itself when it has no path).
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    url[after_scheme..].find(['/', '?', '#']).map_or(url, |at| &url[..after_scheme + at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_parameters_means_the_demo() {
        assert_eq!(ViewLocation::from_query(""), ViewLocation::of(Source::Demo));
        assert_eq!(ViewLocation::from_query("?trace_id=tr-1").trace_id.as_deref(), Some("tr-1"));
    }

    #[test]
    fn repeated_files_and_experiments_keep_their_order() {
        let location = ViewLocation::from_query("?traces=a.json&traces=https%3A%2F%2Fx.test%2Fb%20c.json");
        assert_eq!(location.source, Source::Files(vec!["a.json".into(), "https://x.test/b c.json".into()]));
        let location = ViewLocation::from_query("server=http://127.0.0.1:5000/&experiment_id=3&experiment_id=1&trace_id=tr-ab");
        assert_eq!(
            location.source,
            Source::Server { base_url: "http://127.0.0.1:5000".into(), experiment_ids: vec!["3".into(), "1".into()] }
        );
        assert_eq!(location.trace_id.as_deref(), Some("tr-ab"));
    }

    #[test]
    fn a_location_survives_a_round_trip_through_the_url() {
        for query in [
            "",
            "?traces=a%20b.json&trace_id=tr-1&span_id=1b185f58717985e2",
            "?server=http://h:5000&experiment_id=1&experiment_id=2",
            "?traces=t.json&filter=tag.%60mlflow.user%60%20%3D%20%27a%26b%27&order_by=tokens+DESC",
            "?trace_id=tr-1&span_id=1b185f58717985e2&search=get_weather&embed=1",
            "?traces=t.json&view=overview&tab=quality&range=custom&from=2026-11-01&to=2026-11-03T12:00&unit=hour",
            "?server=http://h:5000&experiment_id=1&trace_id=tr-a&trace_id=tr-b&trace_id=tr-c&page=2",
            "?traces=t.json&compare=tr-a,tr-b,tr-c",
            "?traces=t.json&trace_id=tr-a&view=graph",
            "?server=http://h:5000&experiment_id=1&session=chat%2042&trace_id=tr-b",
        ] {
            let location = ViewLocation::from_query(query);
            assert_eq!(ViewLocation::from_query(&location.to_query()), location, "{query}");
        }
        let filtered = ViewLocation::from_query("?traces=t.json&filter=tag.%60mlflow.user%60%20%3D%20%27a%26b%27");
        assert_eq!(filtered.filter.as_deref(), Some("tag.`mlflow.user` = 'a&b'"));
        assert_eq!(decode_component("100%"), "100%", "a stray percent stays");
        let compared = ViewLocation::from_query("?compare=tr-a,%20tr-b,,&compare=tr-c");
        assert_eq!(compared.compare, ["tr-a", "tr-b", "tr-c"], "ids split on commas, blanks dropped");
        let notebook = ViewLocation::from_query("?trace_id=tr-a&experiment_id=1&trace_id=tr-b&experiment_id=1&version=3.17.2&page=1");
        assert_eq!((notebook.trace_id.as_deref(), notebook.trace_ids.len()), (Some("tr-b"), 2));
        assert_eq!(ViewLocation::from_query("?trace_id=tr-a&page=9").trace_id.as_deref(), Some("tr-a"), "a page past the end");
        assert_eq!(renderer_base("/static-files/lib/notebook-trace-renderer/index.html"), Some(""));
        assert_eq!(renderer_base("/mlflow/static-files/lib/notebook-trace-renderer/"), Some("/mlflow"));
        assert_eq!(renderer_base("/trace-viewer/index.html"), None);
        let config: DeployConfig = serde_json::from_str(r#"{"server": "/mlflow/", "experiment_ids": ["2"]}"#).unwrap();
        assert_eq!(config.source("http://h", &[]), Source::Server { base_url: "http://h/mlflow".into(), experiment_ids: vec!["2".into()] });
        assert_eq!(
            config.source("http://h", &["5".into()]),
            Source::Server { base_url: "http://h/mlflow".into(), experiment_ids: vec!["5".into()] }
        );
        let config: DeployConfig = serde_json::from_str(r#"{"server": "https://mlflow.example.com"}"#).unwrap();
        assert_eq!(
            config.source("http://h", &[]),
            Source::Server { base_url: "https://mlflow.example.com".into(), experiment_ids: vec![] }
        );
        assert_eq!(serde_json::from_str::<DeployConfig>("{}").unwrap().source("http://h", &[]), Source::Demo);
        let config: DeployConfig = serde_json::from_str(
            r#"{"embedders": ["https://Dash.example.com/", "http://127.0.0.1:8888", "*", "https://x.example/path", "javascript:alert(1)", "https://"]}"#,
        )
        .unwrap();
        assert_eq!(config.embedder_origins(), ["https://dash.example.com", "http://127.0.0.1:8888"], "origins only, never a wildcard");
    }

    #[test]
    fn each_source_says_what_it_can_do_and_where_it_is() {
        let server = Source::Server { base_url: "http://h:5000".into(), experiment_ids: vec!["1".into(), "4".into()] };
        assert_eq!(
            server.with_experiments(vec!["7".into()]),
            Some(Source::Server { base_url: "http://h:5000".into(), experiment_ids: vec!["7".into()] })
        );
        assert_eq!(Source::Demo.with_experiments(vec!["7".into()]), None);
        let files = Source::Files(vec!["a.json".into(), "b.json".into()]);
        for (source, writable, streams) in
            [(&server, true, false), (&files, false, true), (&Source::Demo, false, true), (&Source::Provided, false, false)]
        {
            assert_eq!((source.is_writable(), source.filters_on_server(), source.fetches_each_trace()), (writable, writable, writable));
            assert_eq!(source.streams_files(), streams, "{source:?}");
        }
        assert_eq!(server.label(), "http://h:5000 · experiment 1, 4");
        assert_eq!(files.label(), "2 files");
        assert_eq!(Source::Files(vec!["a.json".into()]).label(), "a.json");
        assert_eq!(Source::Provided.label(), "Traces in this page");
    }

    #[test]
    fn mount_options_name_where_the_mounted_viewer_starts() {
        let options: MountOptions =
            serde_json::from_str(r#"{"server": "http://h:5000/", "experimentIds": ["3", 7], "traceId": "tr-1", "view": "overview"}"#)
                .unwrap();
        let start = options.start();
        assert_eq!(start.source, Source::Server { base_url: "http://h:5000".into(), experiment_ids: vec!["3".into(), "7".into()] });
        assert_eq!((start.trace_id.as_deref(), start.embed, start.overview.is_some()), (Some("tr-1"), true, true));
        let with_header: MountOptions = serde_json::from_str(r#"{"traces": [], "header": true}"#).unwrap();
        assert_eq!((with_header.start().source, with_header.start().embed), (Source::Provided, false));
        assert_eq!(MountOptions::default().start().source, Source::Provided);
        for wrong in [r#"{"header": "yes"}"#, r#"{"experimentIds": "1"}"#, r#"{"traceID": "tr-1"}"#] {
            assert!(serde_json::from_str::<MountOptions>(wrong).is_err(), "{wrong} is refused, not ignored");
        }
    }

    #[test]
    fn only_the_configured_server_gets_credentials_and_only_when_config_says_include() {
        let config = |text: &str| serde_json::from_str::<DeployConfig>(text).unwrap();
        let include = config(r#"{"server": "https://MLflow.example.com:8443/base/?x#y", "credentials": "include"}"#);
        assert_eq!(include.credentialed_origin("http://h").as_deref(), Some("https://mlflow.example.com:8443"));
        let same_origin_path = config(r#"{"server": "/mlflow", "credentials": "include"}"#);
        assert_eq!(same_origin_path.credentialed_origin("http://h:8080").as_deref(), Some("http://h:8080"));
        assert_eq!(config(r#"{"server": "https://mlflow.example.com"}"#).credentialed_origin("http://h"), None, "not by default");
        assert_eq!(config(r#"{"credentials": "include"}"#).credentialed_origin("http://h"), None, "no server, nobody");
        assert!(serde_json::from_str::<DeployConfig>(r#"{"credentials": "always"}"#).is_err(), "an unknown mode is refused");
        assert_eq!(origin_of("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
    }

    #[test]
    fn ids_in_url_paths_are_one_segment_or_refused() {
        assert_eq!(path_segment("tr-0af7651916cd43dd").as_deref(), Some("tr-0af7651916cd43dd"));
        assert_eq!(path_segment("a-b:c d%2F").as_deref(), Some("a-b%3Ac%20d%252F"), "':', ' ' and '%' encoded");
        for hostile in ["../../../../../2.0/mlflow-artifacts/artifacts/x", "a/b", "..", ".", "", "a\\b", "a\nb", "x..y"] {
            assert_eq!(path_segment(hostile), None, "{hostile:?}");
        }
        let overview = ViewLocation::from_query("?traces=t.json&view=overview&range=7d").overview.unwrap();
        assert_eq!((overview.range.as_deref(), overview.tab), (Some("7d"), None));
        assert_eq!(ViewLocation::from_query("?traces=t.json&view=list&range=7d").overview, None);
        assert_eq!(decode_component("%E2%9C%93+ok"), "✓ ok");
    }
}
