"""Hostile trace content: names, tags, metadata, inputs, outputs, chat markdown, attributes, exception
messages, retrieved documents and assessment rationales carrying HTML and script payloads, logged through
the SDK. Every view shows them as literal text and no script runs (a flag the payloads would set stays
unset), through the server and from a file; the served page carries the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

PAYLOADS = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    '<svg onload="window.pwned=1"></svg>',
    "[click me](javascript:window.pwned=1)",
    '"><style>body{display:none}</style>',
]
MIXED = " ".join(PAYLOADS) + " \u202eRTL\u202c zero\u200bwidth"


def log_hostile_trace(url: str) -> tuple[str, str]:
    import mlflow
    from mlflow.entities import AssessmentSource, SpanType

    mlflow.set_tracking_uri(url)
    experiment_id = mlflow.set_experiment("hostile").experiment_id
    root = mlflow.start_span_no_context(
        PAYLOADS[0], span_type=SpanType.AGENT, inputs={"question": PAYLOADS[1]},
        metadata={"mlflow.trace.user": PAYLOADS[2], "mlflow.trace.session": PAYLOADS[4]},
        tags={"note": PAYLOADS[1]}, attributes={"custom": PAYLOADS[2]})
    chat = mlflow.start_span_no_context(
        "chat", span_type=SpanType.CHAT_MODEL, parent_span=root,
        inputs={"messages": [{"role": "user", "content": MIXED}]})
    chat.end(outputs={"choices": [{"message": {"role": "assistant", "content": "**bold** " + MIXED}}]})
    docs = mlflow.start_span_no_context("retrieve", span_type=SpanType.RETRIEVER, parent_span=root, inputs={"q": "x"})
    docs.end(outputs=[{"page_content": PAYLOADS[1], "metadata": {"doc_uri": "javascript:window.pwned=1"}, "id": "d"}])
    tool = mlflow.start_span_no_context("tool", span_type=SpanType.TOOL, parent_span=root, inputs={"x": PAYLOADS[3]})
    tool.record_exception(RuntimeError(PAYLOADS[2]))
    tool.end()
    root.end(outputs={"answer": MIXED})
    mlflow.log_feedback(trace_id=root.trace_id, name="safety", value=False, rationale=PAYLOADS[1],
                        source=AssessmentSource(source_type="HUMAN", source_id=PAYLOADS[0]))
    mlflow.flush_trace_async_logging()
    return experiment_id, root.trace_id


@pytest.fixture(scope="module")
def hostile(seeded, served_files) -> tuple[str, str]:
    from demo.seed import export

    experiment_id, trace_id = log_hostile_trace(seeded.url)
    export(seeded.url, experiment_id, str(served_files / "hostile.json"))
    return experiment_id, trace_id


def assert_nothing_ran(page):
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img[src=x], [onerror], [onload], a[href^='javascript:' i]").count() == 0
    # The only scripts are the app's own.
    sources = page.locator("script").evaluate_all("scripts => scripts.map(s => s.getAttribute('src'))")
    assert all(src and not src.startswith("data:") for src in sources), sources
    expect(page.locator("body")).to_be_visible()


def visit_every_view(page, open_view):
    open_view()  # the table
    expect(page.locator(".trace-row")).to_have_count(1)
    expect(page.locator(".trace-row")).to_contain_text(PAYLOADS[0])
    assert_nothing_ran(page)
    page.locator(".trace-row [data-column=trace_name] .open-trace").click()
    expect(page.locator(".trace-header h1")).to_contain_text(PAYLOADS[0])
    expect(page.locator(".trace-header")).to_contain_text(PAYLOADS[2])  # the user
    expect(page.locator(".tag-editor")).to_contain_text(PAYLOADS[1])
    panel = page.get_by_label("Selected span")
    for name in ["chat", "retrieve", "tool", PAYLOADS[0]]:
        page.locator(".span-row", has=page.locator(".span-name", has_text=name)).first.click()
        expect(panel.locator(".span-title")).to_have_text(name)
        for tab in panel.get_by_role("tab").all():
            tab.click()
            assert_nothing_ran(page)
        panel.get_by_role("tab").first.click()
    page.locator(".span-row", has=page.locator(".span-name", has_text="chat")).click()
    panel.get_by_role("tab", name="Chat").click()
    chat = panel.locator(".chat")
    expect(chat.locator(".chat-message").first).to_contain_text(PAYLOADS[0])
    expect(chat.locator("strong")).to_have_text("bold")  # markdown still works
    expect(chat).to_contain_text("[click me](javascript:window.pwned=1)")  # an unsafe link stays text
    page.locator(".span-row", has=page.locator(".span-name", has_text="tool")).click()
    expect(panel.locator(".exception")).to_contain_text(PAYLOADS[2])
    page.locator(".span-row", has=page.locator(".span-name", has_text="retrieve")).click()
    expect(panel.locator(".document")).to_contain_text(PAYLOADS[1])
    expect(panel.locator(".doc-uri")).to_have_text("javascript:window.pwned=1")
    search = page.get_by_label("Search within the trace")
    search.fill(PAYLOADS[1])
    search.press("Enter")
    assert_nothing_ran(page)


def test_hostile_content_through_the_server_is_text(viewer, seeded, hostile):
    experiment_id, trace_id = hostile
    page = viewer.page
    visit_every_view(page, lambda: viewer.open(server=seeded.url, experiment_id=experiment_id))
    panel = page.get_by_label("Selected span")
    page.locator(".span-row[data-depth='0']").click()
    panel.get_by_role("tab", name="Assessments").click()
    card = panel.locator(".assessment[data-assessment-name=safety]")
    expect(card.locator(".rationale")).to_have_text(PAYLOADS[1])
    expect(card).to_contain_text(PAYLOADS[0])  # the source id
    assert_nothing_ran(page)


def test_hostile_content_from_a_file_is_text(viewer, hostile):
    visit_every_view(viewer.page, lambda: viewer.open(traces="e2e/hostile.json"))


def test_the_served_page_carries_the_content_security_policy(viewer):
    page = viewer.open()
    policy = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert page.locator("script:not([src])").count() == 0
