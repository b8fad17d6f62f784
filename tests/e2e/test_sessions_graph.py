"""A conversation and an agent's shape (issue 22), logged through the SDK on a real server and exported to a
file: a 5-turn session (the third turn failing, the fourth with an image), a multi-agent trace whose
researcher loops plan → search, and a trace of one span. The session reads as its turns with totals, a turn
opens its trace and Back returns; the graph names the agents with their counts and the loop, and a node's
span opens in the tree."""

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from demo.seed import export

START_NS = 1_764_100_000_000_000_000
SECOND = 1_000_000_000
SESSION = "chat-42"
# A 1×1 PNG.
PIXEL = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6"
    "b1b50000000049454e44ae426082")).decode()
QUESTIONS = ["What's on my calendar today?", "Move the 3 pm meeting to 4 pm.", "Book a room for it.",
             "What is in this picture?", "Thanks, that's all."]


def log_turn(mlflow, SpanType, turn: int) -> str:
    at = START_NS + turn * 60 * SECOND
    content = QUESTIONS[turn] if turn != 3 else [{"type": "text", "text": QUESTIONS[turn]},
                                                 {"type": "image_url", "image_url": {"url": PIXEL}}]
    root = mlflow.start_span_no_context("assistant", span_type=SpanType.AGENT, start_time_ns=at,
                                        inputs={"messages": [{"role": "user", "content": content}]},
                                        metadata={"mlflow.trace.session": SESSION, "mlflow.trace.user": "ada"})
    tool_name = {0: "calendar", 1: "calendar", 2: "rooms", 3: "vision"}.get(turn)
    if tool_name:
        tool = mlflow.start_span_no_context(tool_name, span_type=SpanType.TOOL, parent_span=root, inputs={"turn": turn},
                                            start_time_ns=at + SECOND)
        tool.end(outputs={"ok": turn != 2}, end_time_ns=at + 2 * SECOND, status="ERROR" if turn == 2 else "OK")
    if turn == 2:
        root.record_exception(RuntimeError("no room is free at 4 pm"))
        root.end(end_time_ns=at + 3 * SECOND)
    else:
        answer = {0: "You have **two** meetings.", 1: "Moved to 4 pm.", 3: "A single pixel.", 4: "You're welcome."}[turn]
        root.end(outputs={"choices": [{"message": {"role": "assistant", "content": answer}}]}, end_time_ns=at + 3 * SECOND)
    return root.trace_id


def log_multi_agent(mlflow, SpanType) -> dict:
    at = START_NS + 3600 * SECOND
    supervisor = mlflow.start_span_no_context("supervisor", span_type=SpanType.AGENT, start_time_ns=at, inputs={"task": "report"})
    researcher = mlflow.start_span_no_context("researcher", span_type=SpanType.AGENT, parent_span=supervisor, start_time_ns=at + 1)
    searches = []
    for k in range(3):
        plan = mlflow.start_span_no_context("plan", span_type=SpanType.CHAT_MODEL, parent_span=researcher,
                                            start_time_ns=at + 10 + k * 100)
        plan.end(end_time_ns=at + 50 + k * 100)
        search = mlflow.start_span_no_context("search", span_type=SpanType.TOOL, parent_span=researcher,
                                              inputs={"k": k}, start_time_ns=at + 60 + k * 100)
        search.end(end_time_ns=at + 90 + k * 100)
        searches.append(search.span_id)
    researcher.end(end_time_ns=at + 400)
    writer = mlflow.start_span_no_context("writer", span_type=SpanType.AGENT, parent_span=supervisor, start_time_ns=at + 400)
    write = mlflow.start_span_no_context("write", span_type=SpanType.CHAT_MODEL, parent_span=writer, start_time_ns=at + 410)
    write.end(end_time_ns=at + 500)
    writer.end(end_time_ns=at + 600)
    supervisor.end(outputs="done", end_time_ns=at + 700)
    single = mlflow.start_span_no_context("lonely", span_type=SpanType.CHAIN, start_time_ns=at + 10 * SECOND)
    single.end(end_time_ns=at + 11 * SECOND)
    return {"multi": supervisor.trace_id, "searches": searches, "single": single.trace_id}


@pytest.fixture(scope="module")
def logged(seeded, served_files) -> dict:
    import mlflow
    from mlflow.entities import SpanType

    mlflow.set_tracking_uri(seeded.url)
    experiment_id = mlflow.set_experiment("sessions-and-graphs").experiment_id
    turns = [log_turn(mlflow, SpanType, turn) for turn in range(5)]
    ids = log_multi_agent(mlflow, SpanType)
    mlflow.flush_trace_async_logging()
    mlflow.log_feedback(trace_id=turns[1], name="helpful", value=True)
    path = served_files / "sessions_graph.json"
    export(seeded.url, experiment_id, str(path))
    return {**ids, "turns": turns, "server": seeded.url, "experiment_id": experiment_id, "file": "e2e/sessions_graph.json"}


def where(logged, source: str) -> dict:
    return {"server": logged["server"], "experiment_id": logged["experiment_id"]} if source == "server" else {"traces": logged["file"]}


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_session_reads_as_its_turns_with_totals_and_a_turn_opens_its_trace(viewer, logged, source):
    page = viewer.open(**where(logged, source), session=SESSION)
    cards = page.locator(".turn-card")
    expect(cards).to_have_count(5)
    expect(cards.locator(".turn-head strong")).to_have_text([f"Turn {n}" for n in range(1, 6)])
    for n, question in enumerate(QUESTIONS):
        expect(cards.nth(n).locator(".chat-message[data-role='user']")).to_contain_text(question)
    totals = page.locator(".session-totals")
    expect(totals.locator(".stat-card", has_text=re.compile("^Turns")).locator("dd")).to_have_text("5")
    expect(totals.locator(".stat-card", has_text="Failed turns").locator("dd")).to_have_text("1")
    expect(cards.nth(2)).to_have_class(re.compile(r"\bfailed\b"))
    expect(cards.nth(2).locator(".badge")).to_have_text("ERROR")
    expect(cards.nth(0).locator(".chat-message[data-role='assistant'] strong")).to_have_text("two")
    # MLflow keeps the image as the trace's attachment: a server hands it over, a file cannot.
    cards.nth(3).scroll_into_view_if_needed()
    if source == "server":
        expect(cards.nth(3).locator("figure.media img")).to_have_count(1)
    else:
        expect(cards.nth(3).locator("figure.media")).to_contain_text("image not shown")
    expect(cards.nth(1).locator(".turn-assessments")).to_have_text("helpful: true")
    expect(cards.nth(2).locator(".turn-tools .span-type")).to_have_text(["rooms"])
    cards.nth(1).get_by_role("button", name="Open trace").click()
    expect(page).to_have_url(re.compile(f"trace_id={logged['turns'][1]}"))
    expect(page.locator(".trace-detail")).to_be_visible()
    page.go_back()
    expect(page.locator(".turn-card")).to_have_count(5)
    assert not viewer.console_errors


def test_the_table_opens_a_session_row_as_its_conversation(viewer, logged):
    page = viewer.open(**where(logged, "server"))
    page.get_by_role("button", name="Group by session").click()
    row = page.locator(f".session-row[data-session='{SESSION}']")
    row.get_by_role("link", name="Open conversation").click()
    expect(page).to_have_url(re.compile(f"session={SESSION}"))
    expect(page.locator(".turn-card")).to_have_count(5)


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_session_that_matches_nothing_says_so(viewer, logged, source):
    page = viewer.open(**where(logged, source), session="nobody")
    expect(page.get_by_role("alert")).to_have_text('No trace belongs to the session "nobody" here.')


@pytest.mark.parametrize("source", ["server", "file"])
def test_the_graph_names_the_agents_with_counts_and_the_loop_and_a_node_opens_its_span(viewer, logged, source):
    page = viewer.open(**where(logged, source), trace_id=logged["multi"])
    page.get_by_role("tab", name="Graph").click()
    expect(page).to_have_url(re.compile("view=graph"))
    nodes = page.locator(".graph-node")
    expect(nodes).to_have_count(6)
    expect(page.locator(".graph-node[data-node='search'] .node-facts")).to_contain_text("× 3")
    expect(page.locator(".graph-node[data-node='researcher'] .node-type")).to_have_text("AGENT")
    back = page.locator(".edge.back")
    expect(back).to_have_count(1)
    expect(back.locator("text")).to_have_text("× 2")
    page.locator(".graph-node[data-node='search']").click()
    spans = page.locator(".node-spans li")
    expect(spans).to_have_count(3)
    spans.nth(1).get_by_role("button").click()
    expect(page).to_have_url(re.compile(f"span_id={logged['searches'][1]}"))
    expect(page.locator(".span-row.selected .span-name")).to_have_text("search")


def test_a_trace_of_one_span_is_a_graph_of_one_node(viewer, logged):
    page = viewer.open(**where(logged, "file"), trace_id=logged["single"], view="graph")
    expect(page.locator(".graph-node")).to_have_count(1)
    expect(page.locator(".edge")).to_have_count(0)


def test_five_hundred_turns_stay_windowed(viewer, served_files):
    def turn(n: int) -> dict:
        span = {"trace_id": base64.b64encode(n.to_bytes(16, "big")).decode(), "span_id": base64.b64encode(n.to_bytes(8, "big")).decode(),
                "parent_span_id": None, "name": "assistant", "start_time_unix_nano": START_NS + n * SECOND,
                "end_time_unix_nano": START_NS + n * SECOND + 1000, "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
                "attributes": {"mlflow.spanType": '"AGENT"', "mlflow.spanInputs": json.dumps(f"question {n}"),
                               "mlflow.spanOutputs": json.dumps(f"answer {n}")}}
        return {"info": {"trace_id": f"tr-{n:032x}", "state": "OK", "request_time": f"2025-11-25T00:{n // 60:02d}:{n % 60:02d}Z", "execution_duration_ms": 1,
                         "trace_metadata": {"mlflow.trace.session": "long"}, "tags": {}}, "data": {"spans": [span]}}
    (served_files / "long_session.json").write_text(json.dumps([turn(n) for n in range(1, 501)]))
    page = viewer.open(traces="e2e/long_session.json", session="long")
    expect(page.locator(".session-totals .stat-card", has_text=re.compile("^Turns")).locator("dd")).to_have_text("500")
    assert page.locator(".turn-card").count() < 20
    page.locator(".session-scroller").evaluate("el => el.scrollTop = el.scrollHeight")
    expect(page.locator(".turn-card", has_text="Turn 500")).to_be_visible()
    expect(page.locator(".turn-card", has_text="Turn 500").locator(".chat-message[data-role='user']")).to_contain_text("question 500")


def test_a_trace_naming_every_span_differently_is_refused_as_a_graph_with_the_reason(viewer, served_files):
    def span(n: int) -> dict:
        return {"trace_id": base64.b64encode((7).to_bytes(16, "big")).decode(), "span_id": base64.b64encode(n.to_bytes(8, "big")).decode(),
                "parent_span_id": None if n == 1 else base64.b64encode((1).to_bytes(8, "big")).decode(), "name": f"step_{n}",
                "start_time_unix_nano": START_NS + n, "end_time_unix_nano": START_NS + n + 10,
                "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [], "attributes": {"mlflow.spanType": '"TOOL"'}}
    trace = {"info": {"trace_id": f"tr-{7:032x}", "state": "OK", "execution_duration_ms": 1, "trace_metadata": {}, "tags": {}},
             "data": {"spans": [span(n) for n in range(1, 1002)]}}
    (served_files / "unique_names.json").write_text(json.dumps([trace]))
    page = viewer.open(traces="e2e/unique_names.json", trace_id=f"tr-{7:032x}", view="graph")
    expect(page.get_by_role("status").filter(has_text="too many to draw")).to_contain_text("1,001 spans in 1,001 different ways")
    expect(page.locator(".graph-node")).to_have_count(0)
