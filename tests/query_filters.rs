//! The filter grammar against what a live MLflow server accepted and rejected, and the browser evaluator's
//! semantics on real traces.
#![cfg(not(target_arch = "wasm32"))]
// Native tests: the standard sort's copies in the wasm (clippy.toml) do not concern them.
#![allow(clippy::disallowed_methods)]

use std::path::Path;
use trace_viewer::model::{parse_traces, Trace};
use trace_viewer::query::{parse_filter, Matcher, OrderBy};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// (filter, HTTP status) for every filter probed on the live server.
fn probed_filters() -> Vec<(String, u16)> {
    let table = fixture("filter_grammar_results.md");
    let mut probes = Vec::new();
    for line in table.lines() {
        let Some(row) = line.strip_prefix("| `") else { continue };
        let Some((filter, status)) = ["` | 200 |", "` | 400 |"]
            .iter()
            .find_map(|end| row.find(end).map(|at| (row[..at].to_string(), end[4..7].parse::<u16>().unwrap())))
        else {
            continue;
        };
        if filter.starts_with('[') {
            continue; // the order_by table
        }
        probes.push((filter, status));
    }
    probes
}

#[test]
fn the_parser_accepts_what_the_server_accepts_and_rejects_what_it_rejects() {
    let probes = probed_filters();
    assert!(probes.len() > 90, "{} probes read", probes.len());
    let mut wrong = Vec::new();
    for (filter, status) in &probes {
        let parsed = parse_filter(filter);
        if parsed.is_ok() != (*status == 200) {
            wrong.push(format!("{filter:?}: server {status}, here {parsed:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} disagreements:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_accepted_filter_prints_back_to_the_same_filter() {
    for (filter, status) in probed_filters() {
        if status != 200 {
            continue;
        }
        let parsed = parse_filter(&filter).unwrap();
        let printed = parsed.to_string();
        assert_eq!(parse_filter(&printed).unwrap(), parsed, "{filter} printed as {printed}");
    }
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let error = parse_filter("trace.status = OK").unwrap_err();
    assert_eq!(error.position, 15);
    assert!(error.message.contains("quoted"), "{error}");
    assert_eq!(parse_filter("trace.status == 'OK'").unwrap_err().position, 13);
    assert_eq!(parse_filter("foo.bar = 'x'").unwrap_err().position, 0);
    let error = parse_filter("status = 'OK' OR tag.env = 'dev'").unwrap_err();
    assert_eq!(error.position, 14);
    assert!(error.message.contains("OR is not supported"), "{error}");
    let error = parse_filter("tag.env = 'dev").unwrap_err();
    assert_eq!((error.position, error.message.as_str()), (10, "this quote is never closed"));
    assert!(parse_filter("tag.mlflow.traceName = 'x'").unwrap_err().message.contains("backticks"));
    // Positions count characters, not bytes.
    assert_eq!(parse_filter("tag.`é` = 'ü' AND x").unwrap_err().position, 18);
}

#[test]
fn plain_words_search_text() {
    let filter = parse_filter("weather in Paris").unwrap();
    assert_eq!(filter.to_string(), "trace.text ILIKE '%weather in Paris%'");
    assert!(parse_filter("tag.env IS NULL").unwrap().to_string() == "tag.env IS NULL");
}

#[test]
fn a_filter_typed_on_narrows_the_last_one() {
    let narrows = |new: &str, old: &str| parse_filter(new).unwrap().narrows(&parse_filter(old).unwrap());
    assert!(narrows("cai", "ca"), "a word typed on");
    assert!(narrows("CAIRO", "ca"), "plain words ignore case");
    assert!(narrows("weather in paris", "in pa"));
    assert!(narrows("trace.status = 'OK' AND tag.env = 'prod'", "trace.status = 'OK'"), "a clause added");
    assert!(narrows("trace.name LIKE '%agent%'", "trace.name LIKE '%gen%'"));
    assert!(narrows("tag.env = 'prod'", "tag.env = 'prod'"));
    assert!(narrows("tag.env = 'prod'", ""), "everything is kept by the empty filter");
    assert!(!narrows("ca", "cai"), "a letter deleted widens");
    assert!(!narrows("trace.name LIKE '%AGENT%'", "trace.name LIKE '%gen%'"), "LIKE minds case");
    assert!(!narrows("trace.name LIKE 'agent%'", "trace.name LIKE 'age%'"), "anchored patterns are not compared");
    assert!(!narrows("tag.env = 'production'", "tag.env = 'prod'"));
    assert!(!narrows("tag.team = 'a'", "tag.env = 'prod'"));
    assert!(!narrows("trace.name ILIKE '%agent%'", "trace.text ILIKE '%agent%'"), "another field");
    assert!(!narrows("trace.status = 'OK'", "trace.status = 'OK' AND tag.env = 'prod'"), "a clause removed");
}

fn traces(names: &[&str]) -> Vec<Trace> {
    names.iter().flat_map(|name| parse_traces(&fixture(&format!("mlflow/{name}"))).unwrap()).collect()
}

/// Names of the traces (by file order) a filter keeps.
fn kept(filter: &str, traces: &[Trace]) -> Vec<String> {
    let matcher = Matcher::new(&parse_filter(filter).unwrap()).unwrap();
    traces.iter().filter(|trace| matcher.matches(trace)).map(|trace| trace.name()).collect()
}

#[test]
fn the_evaluator_follows_the_servers_semantics() {
    let all = traces(&[
        "trace_to_json_agent_turn1.json",
        "trace_to_json_agent_error.json",
        "trace_to_json_rag.json",
        "trace_to_json_linked_prompts.json",
    ]);
    assert_eq!(kept("trace.status = 'ERROR'", &all), ["weather_agent"]);
    assert_eq!(kept("status IN ('OK', 'ERROR')", &all).len(), 4);
    assert_eq!(kept("trace.status NOT IN ('OK')", &all), ["weather_agent"]);
    assert_eq!(kept("name = 'rag_pipeline'", &all), ["rag_pipeline"]);
    assert_eq!(kept("trace.name ILIKE '%AGENT%'", &all).len(), 2);
    assert_eq!(kept("trace.name LIKE '%AGENT%'", &all).len(), 0, "LIKE is case-sensitive");
    assert_eq!(kept("trace.name RLIKE '^(rag|prompted)_'", &all), ["rag_pipeline", "prompted_answer"]);
    assert_eq!(kept("feedback.tone = 'friendly'", &all).len(), 1);
    assert_eq!(kept("feedback.tone LIKE 'fri%'", &all).len(), 0, "stored JSON-encoded: the quote comes first");
    assert_eq!(kept("feedback.tone LIKE '%fri%'", &all).len(), 1);
    assert_eq!(kept("feedback.is_correct = 'true'", &all).len(), 1);
    assert_eq!(kept("feedback.relevance > 0.5", &all).len(), 1);
    // The overridden relevance (0.9, no longer valid) is not matched; its valid override (0.6) is.
    assert_eq!(kept("feedback.relevance > 0.7", &all).len(), 0);
    assert_eq!(kept("feedback.relevance < 0.7", &all), ["weather_agent"]);
    assert_eq!(kept("feedback.is_correct IS NULL", &all), ["rag_pipeline", "prompted_answer"]);
    assert_eq!(kept("span.type = 'TOOL' AND span.status = 'ERROR'", &all), ["weather_agent"]);
    assert_eq!(kept("span.name = 'get_weather' AND span.type = 'MATH'", &all).len(), 0, "the same span");
    assert_eq!(kept("span.type IN ('RETRIEVER', 'RERANKER')", &all), ["rag_pipeline"]);
    assert_eq!(kept("span.attributes.`mlflow.llm.model` RLIKE '^gpt-4o-mini$'", &all).len(), 2);
    assert_eq!(kept("metadata.`mlflow.trace.session` RLIKE '^sess-00[13]$'", &all), ["weather_agent", "weather_agent"]);
    assert_eq!(kept("tag.env != 'dev'", &all).len(), 0, "no env tag is not a different env");
    assert_eq!(kept("prompt = 'weather-qa/2'", &all), ["prompted_answer"]);
    // The server answered ['prompted_answer', 'weather_agent'] for this one.
    assert_eq!(kept("trace.text ILIKE '%Paris%'", &all), ["weather_agent", "prompted_answer"]);
    assert_eq!(kept("paris", &all), ["weather_agent", "prompted_answer"], "plain words");
    // The server searches each span as it stores it: its base64 id and status code are text too.
    assert_eq!(kept("trace.text LIKE '%9u3SQOUG+dM=%'", &all), ["weather_agent"]);
    assert_eq!(kept("span.content LIKE '%STATUS_CODE_ERROR%'", &all), ["weather_agent"]);
    // As on the server, trace.text and span clauses must hold for the same span.
    assert_eq!(kept("span.type = 'PARSER' AND trace.text ILIKE '%Paris%'", &all), ["weather_agent"]);
    assert_eq!(kept("span.type = 'MATH' AND trace.text ILIKE '%Paris%'", &all).len(), 0, "the MATH span does not say Paris");
    assert_eq!(kept("trace.execution_time_ms > 50 AND trace.status = 'OK'", &all), ["weather_agent", "prompted_answer"]);
    let first = all[0].info.request_time_ns.unwrap() / 1_000_000;
    assert_eq!(kept(&format!("timestamp_ms = {first}"), &all), ["weather_agent"]);
    assert!(Matcher::new(&parse_filter("trace.name RLIKE '('").unwrap()).is_err(), "bad regex is an error, not a panic");
    let huge = format!("trace.name RLIKE '{}'", "a".repeat(5_000));
    assert!(Matcher::new(&parse_filter(&huge).unwrap()).err().unwrap().contains("over 1000 characters"));
    let expanding = Matcher::new(&parse_filter("trace.name RLIKE '((a{100}){100}){100}'").unwrap());
    assert!(expanding.is_err(), "a pattern that expands past the size limit is refused");
    // What a narrower filter keeps, its broader one keeps too (the table relies on it while typing).
    for (narrow, broad) in [("paris", "par"), ("span.content LIKE '%STATUS_CODE_ERROR%'", "span.content LIKE '%ERROR%'")] {
        assert!(parse_filter(narrow).unwrap().narrows(&parse_filter(broad).unwrap()));
        let broad_kept = kept(broad, &all);
        assert!(kept(narrow, &all).iter().all(|name| broad_kept.contains(name)), "{narrow} within {broad}");
    }
}

#[test]
fn order_by_round_trips_and_sorts() {
    for text in ["timestamp_ms DESC", "execution_time_ms ASC", "tag.env ASC", "metadata.`mlflow.trace.user` DESC", "tokens DESC"] {
        assert_eq!(OrderBy::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(OrderBy::parse("trace.name").unwrap().to_string(), "name ASC");
    assert!(OrderBy::parse("feedback.relevance DESC").is_err());
    let mut all = traces(&["trace_to_json_agent_turn1.json", "trace_to_json_rag.json", "trace_to_json_linked_prompts.json"]);
    let by_tokens = OrderBy::parse("tokens DESC").unwrap();
    all.sort_by(|a, b| by_tokens.compare(a, b));
    let totals: Vec<u64> = all.iter().map(|t| t.token_usage().map_or(0, |u| u.total_tokens)).collect();
    assert!(totals.windows(2).all(|pair| pair[0] >= pair[1]), "{totals:?}");
}

#[test]
fn the_server_is_asked_the_normalised_filter_and_only_sorts_it_can_do() {
    use trace_viewer::data::server_query;
    use trace_viewer::location::ViewLocation;
    let at = |query: &str| server_query(&ViewLocation::from_query(query));
    let server = "?server=http://h:5000&experiment_id=1";
    let asked = at(&format!("{server}&filter=tag.env%3D'prod'&order_by=execution_time_ms+DESC")).unwrap();
    assert_eq!(asked.filter.as_deref(), Some("tag.env = 'prod'"), "normalised as the server reads it");
    assert_eq!(asked.order_by.as_deref(), Some("execution_time_ms DESC"));
    // A filter that does not parse goes as typed, so that the server's answer says what is wrong with it.
    assert_eq!(at(&format!("{server}&filter=status+%3D%3D")).unwrap().filter.as_deref(), Some("status =="));
    assert_eq!(at(&format!("{server}&order_by=tokens+DESC")).unwrap().order_by, None, "the browser sorts by tokens");
    assert_eq!(at("?traces=a.json&filter=tag.env%3D'prod'"), None, "files are searched in the browser");
}
