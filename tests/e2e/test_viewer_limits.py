"""What the viewer does where a trace or a server pushes past what it can show or say: a value MLflow's filter
syntax cannot quote, a session of more turns than are fetched at once, a graph of more edges than are drawn."""

import json
import random

from playwright.sync_api import expect

from mlflow_server import MlflowServer

BOTH_QUOTES = '''o'neil "junior"'''


def trace(trace_id: str, at_ms: int, spans: list[dict], user: str | None = None, session: str | None = None) -> dict:
    metadata = {key: value for key, value in (("mlflow.trace.user", user), ("mlflow.trace.session", session)) if value}
    return {"info": {"trace_id": trace_id, "request_time": f"2026-11-0{1 + at_ms % 5}T10:00:00Z", "state": "OK",
                     "execution_duration": "1s", "trace_metadata": metadata, "tags": {}},
            "data": {"spans": spans}}


def span(span_id: int, name: str, parent: int | None, start: int, trace_id: str) -> dict:
    return {"trace_id": trace_id, "span_id": f"{span_id:016x}", "parent_span_id": f"{parent:016x}" if parent is not None else None,
            "name": name, "start_time_unix_nano": start, "end_time_unix_nano": start + 1000,
            "status": {"code": "STATUS_CODE_OK"}, "attributes": {"mlflow.spanType": '"TOOL"' if parent is not None else '"AGENT"'}}


def test_a_value_the_filter_syntax_cannot_quote_is_refused_with_the_reason(viewer, served_files):
    (served_files / "quotes.json").write_text(json.dumps([
        trace("tr-quotes", 1, [span(1, "turn", None, 1, "tr-quotes")], user=BOTH_QUOTES),
        trace("tr-plain", 2, [span(1, "turn", None, 2, "tr-plain")], user="plain"),
    ]))
    page = viewer.open(traces="e2e/quotes.json")
    viewer.wait_for_rows(2)
    search = page.get_by_role("searchbox").first
    before = search.input_value()
    page.get_by_role("button", name="Filters").click()
    builder = page.get_by_role("dialog", name="Build a filter")
    builder.get_by_label("User").select_option(BOTH_QUOTES)
    builder.get_by_role("button", name="Add to search").click()
    expect(builder.get_by_role("alert")).to_contain_text("cannot quote")
    assert search.input_value() == before, "nothing else was searched for"
    viewer.wait_for_rows(2)
    # A value that holds one kind of quote is quoted with the other.
    builder.get_by_label("User").select_option("plain")
    builder.get_by_role("button", name="Add to search").click()
    viewer.wait_for_rows(1)


def test_a_session_link_the_filter_syntax_cannot_quote_says_so(viewer, seeded):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, session=BOTH_QUOTES)
    expect(page.locator(".error-panel")).to_contain_text("cannot quote")


def test_a_long_session_is_fetched_500_turns_at_a_time(viewer):
    import mlflow

    turns = 503
    with MlflowServer() as server:
        mlflow.set_tracking_uri(server.url)
        experiment_id = mlflow.set_experiment("long-session").experiment_id
        for turn in range(turns):
            root = mlflow.start_span_no_context("turn", inputs={"question": f"question {turn}"}, metadata={"mlflow.trace.session": "long"})
            root.end(outputs=f"answer {turn}")
        mlflow.flush_trace_async_logging()
        page = viewer.open(server=server.url, experiment_id=experiment_id, session="long")
        more = page.get_by_role("status").filter(has_text="turns are shown")
        expect(more).to_contain_text("The first 500 turns are shown; the session has more.", timeout=60_000)
        stat = page.locator(".session-totals .stat-card", has=page.get_by_text("Turns", exact=True)).locator("dd")
        expect(stat).to_have_text("500")
        expect(page.locator(".turn-card").first).to_contain_text("question 0")
        more.get_by_role("button", name="Load more turns").click()
        expect(stat).to_have_text(str(turns), timeout=60_000)
        expect(page.get_by_role("button", name="Load more turns")).to_have_count(0)


def test_a_graph_of_thousands_of_edges_draws_the_most_frequent(viewer, served_files):
    """300 tools called 1,500 times in a random order make about 1,800 distinct edges; 1,000 are drawn."""
    rng = random.Random(7)
    names = [f"tool_{k}" for k in range(300)]
    order = names + [rng.choice(names) for _ in range(1200)]
    rng.shuffle(order)
    spans = [span(0, "agent", None, 0, "tr-edges")] + [span(k + 1, name, 0, 10 + k, "tr-edges") for k, name in enumerate(order)]
    (served_files / "edges.json").write_text(json.dumps([trace("tr-edges", 1, spans)]))
    page = viewer.open(traces="e2e/edges.json", trace_id="tr-edges", view="graph")
    caption = page.locator(".graph-caption")
    expect(caption).to_contain_text("The 1,000 most frequent edges are drawn;")
    expect(caption).to_contain_text("rarer ones are left out.")
    assert page.locator(".agent-graph g.edge").count() == 1000
