"""Agent traces as frameworks log them, logged through the SDK on the real server and exported to a file: a
multi-agent handoff chain 44 levels deep, a RAG trace with a reranker, a span-level assessment and span
links (to the deep trace's tool, and to a trace that does not exist), and a Strands agent whose
conversation lives in its child spans."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.seed import export

DEPTH = 44
SCORES = {"c": 0.9962, "b": 0.4127, "a": 0.0031}
DANGLING_TRACE = "ffffffffffffffffffffffffffffffff"


def document(key: str, text: str, score: float | None = None) -> dict:
    metadata = {"doc_uri": f"https://docs.example/{key}"}
    if score is not None:
        metadata["relevance_score"] = score
    return {"id": key, "page_content": text, "metadata": metadata}


def log_agent_traces(url: str) -> dict:
    """Logs the traces through the SDK; returns their ids and the ids of the spans the tests look at."""
    import mlflow
    from mlflow.entities import AssessmentSource, Link, SpanType

    mlflow.set_tracking_uri(url)
    experiment_id = mlflow.set_experiment("agent-traces").experiment_id
    ids = {"experiment_id": experiment_id}

    # A supervisor handing off to an agent that hands off again, 43 times, then a tool at the bottom.
    root = mlflow.start_span_no_context("supervisor", span_type=SpanType.AGENT, inputs={"question": "Where is the report?"})
    chain = [root]
    for depth in range(1, DEPTH):
        chain.append(mlflow.start_span_no_context(f"handoff_{depth}", span_type=SpanType.AGENT, parent_span=chain[-1], inputs={"depth": depth}))
    tool = mlflow.start_span_no_context("deepest_lookup", span_type=SpanType.TOOL, parent_span=chain[-1], inputs={"q": "report"})
    tool.end(outputs={"found": "reports/q3.pdf"})
    for span in reversed(chain):
        span.end(outputs="found it")
    ids.update(deep=root.trace_id, deep_tool=tool.span_id)

    # Retrieval, then a reranker that moves the third document to the top; a judge scored the reranker.
    given = [document("a", "Billing questions"), document("b", "Account settings"), document("c", "How to reset a password")]
    ranked = [document(key, next(d["page_content"] for d in given if d["id"] == key), SCORES[key]) for key in ("c", "b", "a")]
    rag = mlflow.start_span_no_context("rag", span_type=SpanType.CHAIN, inputs={"question": "How do I reset my password?"})
    retrieve = mlflow.start_span_no_context("retrieve", span_type=SpanType.RETRIEVER, parent_span=rag, inputs={"query": "reset password"})
    retrieve.end(outputs=given)
    links = [Link(trace_id=root.trace_id, span_id=tool.span_id, attributes={"link.type": "follows_from"}),
             Link(trace_id=f"tr-{DANGLING_TRACE}", span_id="00000000000000aa")]
    rerank = mlflow.start_span_no_context("rerank", span_type=SpanType.RERANKER, parent_span=rag,
                                          inputs={"query": "reset password", "documents": given}, links=links)
    rerank.end(outputs=ranked)
    rag.end(outputs="Use the reset link on the sign-in page.")
    mlflow.log_feedback(trace_id=rag.trace_id, name="rerank_quality", value=0.9, span_id=rerank.span_id,
                        rationale="The password document came first.",
                        source=AssessmentSource(source_type="LLM_JUDGE", source_id="judges/rerank"))
    ids.update(rag=rag.trace_id, rerank=rerank.span_id)

    # A Strands agent: its own inputs and outputs hold the prompt and the answer, the rest is in its children.
    strands = {"mlflow.message.format": "strands"}
    prompt = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]
    agent = mlflow.start_span_no_context("invoke_agent", span_type=SpanType.AGENT, inputs=prompt, attributes=strands)
    first = mlflow.start_span_no_context("chat", span_type=SpanType.CHAT_MODEL, parent_span=agent, inputs=prompt, attributes=strands)
    first.end(outputs=[{"toolUse": {"toolUseId": "tooluse_1", "name": "calculator", "input": {"expression": "2+2"}}}])
    calculator = mlflow.start_span_no_context("execute_tool calculator", span_type=SpanType.TOOL, parent_span=agent,
                                              inputs={"expression": "2+2"}, attributes={"gen_ai.tool.call.id": "tooluse_1"})
    calculator.end(outputs=[{"text": "4"}])
    second = mlflow.start_span_no_context("chat", span_type=SpanType.CHAT_MODEL, parent_span=agent, inputs=prompt, attributes=strands)
    second.end(outputs=[{"text": "2 + 2 is 4."}])
    agent.end(outputs="2 + 2 is 4.")
    ids.update(strands=agent.trace_id, strands_agent=agent.span_id)

    # Python's json writes NaN and Infinity as they are, into the server's spans file and into exports.
    judge = mlflow.start_span_no_context("score_answers", span_type=SpanType.CHAIN, inputs={"answers": ["a", "b"]})
    judge.end(outputs={"scores": [0.5, float("nan")], "best": float("inf")})
    ids.update(nan=judge.trace_id)
    mlflow.flush_trace_async_logging()
    return ids


@pytest.fixture(scope="module")
def agent_traces(seeded, served_files) -> dict:
    ids = log_agent_traces(seeded.url)
    path = served_files / "agent_traces.json"
    export(seeded.url, ids["experiment_id"], str(path))
    return {**ids, "server": seeded.url, "file": "e2e/agent_traces.json"}


def open_trace(viewer, agent_traces, source: str, trace: str, **params):
    where = {"server": agent_traces["server"], "experiment_id": agent_traces["experiment_id"]} if source == "server" else {"traces": agent_traces["file"]}
    return viewer.open(**where, trace_id=agent_traces[trace], **params)


@pytest.mark.parametrize("width", [1400, 420])
def test_a_span_44_levels_deep_shows_its_type_name_and_depth(viewer, agent_traces, width):
    viewer.page.set_viewport_size({"width": width, "height": 900})
    page = open_trace(viewer, agent_traces, "server", "deep", search="deepest_lookup")
    expect(page.locator(".span-row").first).to_be_visible()
    page.get_by_placeholder(re.compile("Search")).first.press("Enter")  # jump to the match
    row = page.locator(f".span-row[data-span-id='{agent_traces['deep_tool']}']")
    expect(row).to_have_class(re.compile(r"\bselected\b"))
    expect(row).to_have_attribute("data-depth", str(DEPTH))
    expect(row.locator(".span-depth")).to_have_text(str(DEPTH))
    label = row.locator(".span-label").bounding_box()
    for part, least_px in ((row.locator(".span-type"), 30), (row.locator(".span-name"), 64)):
        expect(part).to_be_visible()
        box = part.bounding_box()
        assert box["width"] >= least_px, f"{part} squeezed to {box['width']} px"
        assert label["x"] <= box["x"] and box["x"] + box["width"] <= label["x"] + label["width"] + 1, "inside the tree column"
    expect(row.locator(".span-name")).to_have_text("deepest_lookup")
    assert not viewer.console_errors


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_reranker_shows_its_documents_before_and_after_with_exact_scores(viewer, agent_traces, source):
    page = open_trace(viewer, agent_traces, source, "rag", span_id=agent_traces["rerank"])
    panel = page.get_by_label("Selected span")
    panel.get_by_role("tab", name="Documents").click()
    reranking = panel.locator(".reranking")
    expect(reranking.locator("h3")).to_have_text(["Given (3)", "Reranked (3)"])
    first = reranking.locator("section").nth(1).locator("li").first
    expect(first).to_contain_text("#1")
    expect(first.locator(".rank-change")).to_have_text("↑ 2 (was #3)")
    expect(first.locator(".document-score")).to_have_text("score 0.9962")
    expect(first).to_contain_text("How to reset a password")
    expect(reranking.locator("section").nth(1).locator(".rank-change")).to_have_text(["↑ 2 (was #3)", "unchanged", "↓ 2 (was #1)"])
    expect(reranking.locator(".document-score")).to_have_text([f"score {SCORES[key]}" for key in ("c", "b", "a")])


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_span_level_assessment_is_marked_in_the_tree_and_listed_from_the_trace(viewer, agent_traces, source):
    page = open_trace(viewer, agent_traces, source, "rag")
    rerank_row = page.locator(f".span-row[data-span-id='{agent_traces['rerank']}']")
    expect(rerank_row.locator(".badge-assessed")).to_have_text("✓ 1")
    expect(page.locator(".span-row .badge-assessed")).to_have_count(1)
    panel = page.get_by_label("Selected span")
    panel.get_by_role("tab", name="Assessments").click()
    other = panel.locator(".other-assessments li")
    expect(other).to_have_count(1)
    expect(other).to_contain_text("rerank_quality")
    other.get_by_role("button", name="on span rerank").click()
    expect(panel.locator(".span-title")).to_have_text("rerank")
    assert f"span_id={agent_traces['rerank']}" in page.url
    expect(panel.locator(".assessment[data-assessment-name=rerank_quality]")).to_be_visible()


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_strands_agent_shows_the_conversation_of_its_child_spans(viewer, agent_traces, source):
    page = open_trace(viewer, agent_traces, source, "strands", span_id=agent_traces["strands_agent"])
    panel = page.get_by_label("Selected span")
    expect(panel.get_by_role("tab", name="Chat")).to_have_attribute("aria-selected", "true")
    messages = panel.locator(".chat-message")
    expect(messages).to_have_count(4)
    assert messages.evaluate_all("items => items.map(m => m.dataset.role)") == ["user", "assistant", "tool", "assistant"]
    expect(messages.nth(0)).to_contain_text("What is 2+2?")
    expect(messages.nth(1).locator(".tool-call-name")).to_have_text("calculator")
    expect(messages.nth(2)).to_contain_text("4")
    expect(messages.nth(3)).to_contain_text("2 + 2 is 4.")


@pytest.mark.parametrize("source, missing", [("server", "The server has no such trace"), ("file", "Not among the loaded traces")])
def test_span_links_open_the_linked_trace_and_a_dangling_link_says_so(viewer, agent_traces, source, missing):
    page = open_trace(viewer, agent_traces, source, "rag", span_id=agent_traces["rerank"])
    links = page.get_by_label("Selected span").locator(".span-link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text(agent_traces["deep"])
    expect(links.nth(0)).to_contain_text("follows_from")
    expect(links.nth(1).locator(".badge-dangling")).to_have_text(f"Dangling: {missing}")
    links.nth(0).get_by_role("button", name="Open the linked trace").click()
    expect(page.get_by_label("Selected span").locator(".span-title")).to_have_text("deepest_lookup")
    assert f"trace_id={agent_traces['deep']}" in page.url and f"span_id={agent_traces['deep_tool']}" in page.url
    page.go_back()
    expect(page.get_by_label("Selected span").locator(".span-title")).to_have_text("rerank")
    # The server answered 404 for the trace that does not exist: expected, not a failure of the page.
    assert not [error for error in viewer.console_errors if DANGLING_TRACE not in error and "404" not in error]


def test_the_demo_overview_counts_every_trace_however_early_it_is_opened(viewer):
    demo = json.loads((Path(__file__).parents[2] / "demo" / "traces.json").read_text())
    for _ in range(3):
        page = viewer.open(view="overview")
        card = page.locator(".stat-card", has=page.locator(".stat-label", has_text="Requests")).locator(".stat-value")
        expect(card).to_have_text(f"{len(demo):,}")
    assert not viewer.console_errors


def test_a_file_holding_a_servers_error_answer_says_so(viewer, served_files):
    (served_files / "error-answer.json").write_text(json.dumps({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Trace with ID tr-123 not found."}))
    page = viewer.open(traces="e2e/error-answer.json")
    expect(page.locator(".error-panel")).to_contain_text("a tracking server's error answer, not traces: RESOURCE_DOES_NOT_EXIST: Trace with ID tr-123 not found.")


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_trace_whose_outputs_hold_nan_and_infinity_opens_with_them_as_null(viewer, agent_traces, source):
    page = open_trace(viewer, agent_traces, source, "nan")
    expect(page.locator(".span-row .span-name")).to_have_text(["score_answers"])
    outputs = page.get_by_label("Selected span").locator(".span-section").filter(has=page.get_by_role("heading", name="Outputs"))
    expect(outputs).to_contain_text("0.5")
    expect(outputs).to_contain_text("null")
    expect(outputs).not_to_contain_text("NaN")
    expect(page.locator("[role=alert]")).to_have_count(0)
    assert not viewer.console_errors
