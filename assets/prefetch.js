// Starts the tracking-server requests that this page's link asks for while the wasm is still loading: a
// link's first answers then arrive about 100 ms sooner. The app takes an answer over only when it sends
// exactly the same request (src/api.rs, `take_prefetched`: the keys are "GET <url>" and "POST <url> <body>",
// the body as serde_json writes it, keys in the order written there: `search_body`, tested against the text
// this file writes); a request guessed differently here is sent anew there,
// so this file only ever saves time. Only plain links are guessed: a server, its experiments, a trace.
(() => {
  const started = {};
  window.__traceViewerPrefetched = started;
  const query = new URLSearchParams(location.search);
  const all = name => query.getAll(name).map(value => value.trim()).filter(value => value !== "");
  const server = all("server")[0];
  if (!server || !server.includes("://")) return;
  const base = server.replace(/\/+$/, "");
  // A failure is the app's to report (it sends the request again); unclaimed, it is no error of the page's.
  const keep = (key, answer) => { answer.catch(() => {}); started[key] = answer; };
  const get = url => keep(`GET ${url}`, fetch(url));
  const post = (url, body) => {
    const text = JSON.stringify(body);
    keep(`POST ${url} ${text}`, fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: text}));
  };
  const traceIds = all("trace_id");
  if (traceIds.length === 1 && /^[\w.-]+$/.test(traceIds[0])) {
    get(`${base}/api/3.0/mlflow/traces/${traceIds[0]}`);
    get(`${base}/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${traceIds[0]}`);
  }
  const experiments = all("experiment_id");
  // The list's first page, as the app asks for it when the link has no filter or sort of its own. Not
  // with a trace: the app asks for that list only once the trace has loaded (src/ui/shell.rs).
  if (experiments.length && !traceIds.length && !query.has("filter") && !query.has("order_by") && !query.has("view")) {
    post(`${base}/api/3.0/mlflow/traces/search`, {
      locations: experiments.map(id => ({mlflow_experiment: {experiment_id: id}, type: "MLFLOW_EXPERIMENT"})),
      max_results: 100,
      order_by: ["timestamp_ms DESC"],
    });
  }
})();
