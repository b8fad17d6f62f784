"""The span viewer against a real server, beyond the tree: chat (OpenAI and Anthropic shapes), token totals
and cost as the server computed them, assessments listed, added and deleted (checked through the REST API),
search within the trace with next/previous, filters, folding by level, the critical path, the minimap
zoom and the keyboard shortcuts."""

import json
import re
import urllib.request

import pytest

from playwright.sync_api import expect

from test_table_writes import fresh_experiment


def client(seeded):
    import mlflow

    return mlflow.MlflowClient(seeded.url)


def find_trace(seeded, name: str, predicate=lambda trace: True):
    """A seeded trace of one scenario (by root span name) that satisfies `predicate`."""
    for trace_id in seeded.trace_ids:
        trace = client(seeded).get_trace(trace_id)
        root = next(span for span in trace.data.spans if span.parent_id is None)
        if root.name == name and predicate(trace):
            return trace
    raise AssertionError(f"the seed logs a {name} trace")


def span_named(trace, name: str):
    return next(span for span in trace.data.spans if span.name == name)


def open_span(viewer, seeded, trace, span):
    return viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id, span_id=span.span_id)


def rest_assessments(seeded, trace_id: str) -> list[dict]:
    with urllib.request.urlopen(f"{seeded.url}/api/3.0/mlflow/traces/{trace_id}") as answer:
        return json.load(answer)["trace"]["trace_info"].get("assessments", [])


def test_openai_chat_shows_roles_tools_and_the_tool_call_arguments(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: any(s.name == "plan" for s in t.data.spans))
    plan = span_named(trace, "plan")
    page = open_span(viewer, seeded, trace, plan)
    panel = page.get_by_label("Selected span")
    expect(panel.get_by_role("tab", name="Chat")).to_have_attribute("aria-selected", "true")
    messages = panel.locator(".chat-message")
    sent = plan.inputs["messages"]
    expect(messages).to_have_count(len(sent) + 1)
    roles = messages.evaluate_all("items => items.map(m => m.dataset.role)")
    assert roles == [m["role"] for m in sent] + ["assistant"]
    expect(messages.nth(1)).to_contain_text(sent[1]["content"])
    call = plan.outputs["choices"][0]["message"]["tool_calls"][0]
    tool_call = messages.last.locator(".tool-call")
    expect(tool_call.locator(".tool-call-name")).to_have_text(call["function"]["name"])
    city = json.loads(call["function"]["arguments"])["city"]
    expect(tool_call.locator(".json-tree")).to_contain_text(f'city: "{city}"')
    definitions = panel.locator(".tool-definitions")
    expect(definitions.locator("summary")).to_have_text("Tools offered (1)")


def test_anthropic_messages_show_as_chat(viewer, seeded):
    trace = find_trace(seeded, "travel_planner")
    plan = span_named(trace, "plan_trip")
    page = open_span(viewer, seeded, trace, plan)
    messages = page.get_by_label("Selected span").locator(".chat-message")
    expect(messages).to_have_count(2)
    expect(messages.first).to_have_attribute("data-role", "user")
    expect(messages.first).to_contain_text(plan.inputs["messages"][0]["content"][0]["text"])
    expect(messages.last).to_have_attribute("data-role", "assistant")


def test_the_header_shows_the_servers_token_totals_and_cost(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: "mlflow.trace.tokenUsage" in t.info.trace_metadata)
    usage = json.loads(trace.info.trace_metadata["mlflow.trace.tokenUsage"])
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    facts = page.locator(".trace-header dl.facts")
    expect(facts).to_contain_text(
        f"{usage['total_tokens']:,} ({usage['input_tokens']:,} in, {usage['output_tokens']:,} out)")
    if "mlflow.trace.cost" in trace.info.trace_metadata:
        total = json.loads(trace.info.trace_metadata["mlflow.trace.cost"])["total_cost"]
    else:
        total = sum(s.attributes["mlflow.llm.cost"]["total_cost"] for s in trace.data.spans if "mlflow.llm.cost" in s.attributes)
    shown = facts.locator("div", has=page.locator("dt", has_text="Cost")).locator("dd").inner_text()
    assert abs(float(shown.lstrip("$")) - total) <= total * 0.01, (shown, total)


def test_assessments_are_listed_added_and_deleted_through_the_rest_api(viewer, seeded):
    # Its own experiment: this test changes what it looks at.
    experiment_id, trace_ids = fresh_experiment(seeded, "span-viewer-assessments", traces=10)
    trace = next(t for t in (client(seeded).get_trace(i) for i in trace_ids) if any(a.name == "relevance" for a in t.info.assessments))
    trace_id = trace.info.trace_id
    root = next(span for span in trace.data.spans if span.parent_id is None)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=root.span_id)
    panel = page.get_by_label("Selected span")
    panel.get_by_role("tab", name=re.compile("^Assessments")).click()
    valid = [a for a in trace.info.assessments if a.valid is not False]
    cards = panel.locator(".assessment")
    expect(cards).to_have_count(len(valid))
    relevance = next(a for a in valid if a.name == "relevance")
    card = panel.locator(f".assessment[data-assessment-id='{relevance.assessment_id}']")
    expect(card.locator(".chip-value")).to_have_text(f"{relevance.value:.2f}")
    expect(card).to_contain_text(relevance.rationale)
    expect(card).to_contain_text("LLM judge · gpt-4o-judge")

    # Add feedback on the selected span; the first attempt finds the server gone, and nothing typed is lost.
    form = panel.locator(".add-assessment")
    form.get_by_label("On this span").check()
    form.get_by_label("Assessment name").fill("helpful")
    form.get_by_label("Assessment value").fill("false")
    form.get_by_label("Assessment rationale").fill("Cites the wrong page.")
    form.get_by_label("Assessor").fill("reviewer@example.com")
    page.route("**/assessments", lambda route: route.abort("connectionrefused"))
    form.get_by_role("button", name="Add").click()
    expect(panel).to_contain_text("Not added: Could not reach")
    expect(form.get_by_label("Assessment name")).to_have_value("helpful")
    expect(form.get_by_label("Assessment rationale")).to_have_value("Cites the wrong page.")
    page.unroute("**/assessments")
    form.get_by_role("button", name="Add").click()
    added = panel.locator(".assessment[data-assessment-name='helpful']")
    expect(added.locator(".chip-value")).to_have_text("fail")
    stored = next(a for a in rest_assessments(seeded, trace_id) if a["assessment_name"] == "helpful")
    assert stored["feedback"]["value"] is False
    assert stored["span_id"] == root.span_id
    assert stored["rationale"] == "Cites the wrong page."
    assert stored["source"] == {"source_type": "HUMAN", "source_id": "reviewer@example.com"}
    expect(form.get_by_label("Assessment name")).to_have_value("")

    # Delete the judge's relevance score.
    card.get_by_role("button", name="Delete").click()
    card.get_by_role("button", name="Delete").click()  # confirm
    expect(card).to_have_count(0)
    assert relevance.assessment_id not in {a["assessment_id"] for a in rest_assessments(seeded, trace_id)}


def test_search_within_the_trace_steps_through_matches_and_stays_in_the_url(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: len(t.data.spans) >= 5)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    search = page.get_by_label("Search within the trace")
    search.fill("get_weather")
    # The tool span by name, the planning call that offers and calls the tool, and the answer whose inputs
    # repeat the call; the root mentions it nowhere.
    expected = [s for s in trace.data.spans if "get_weather" in json.dumps(
        [s.name, s.inputs, s.outputs, s.attributes, [e.attributes for e in s.events]])]
    expect(page.locator(".match-count")).to_have_text(f"{len(expected)} matches")
    expect(page.locator(".span-row.match")).to_have_count(len(expected))
    order = page.locator(".span-row").evaluate_all("rows => rows.map(r => r.dataset.spanId)")
    matched = [span_id for span_id in order if span_id in {s.span_id for s in expected}]
    selected = page.locator(".span-row[aria-selected=true]")
    search.press("Enter")
    expect(page.locator(".match-count")).to_have_text(f"1 of {len(expected)}")
    expect(selected).to_have_attribute("data-span-id", matched[0])
    page.get_by_role("button", name="Next match").click()
    expect(selected).to_have_attribute("data-span-id", matched[1])
    page.get_by_role("button", name="Previous match").click()
    page.get_by_role("button", name="Previous match").click()
    expect(selected).to_have_attribute("data-span-id", matched[-1])
    assert "search=get_weather" in page.url
    page.reload()
    expect(page.get_by_label("Search within the trace")).to_have_value("get_weather")
    expect(page.locator(".span-row.match")).to_have_count(len(expected))


def test_a_search_match_inside_a_folded_span_is_revealed(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: span_named(t, "get_weather").status.status_code == "OK")
    tool = span_named(trace, "get_weather")
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator(".span-row")).to_have_count(1)
    search = page.get_by_label("Search within the trace")
    search.fill(tool.span_id)  # no span mentions its own id
    expect(page.locator(".match-count")).to_have_text("No match")
    search.fill("CELSIUS")  # the tool's output (first in tree order), in any case
    search.press("Enter")
    selected = page.locator(".span-row[aria-selected=true]")
    expect(selected).to_have_attribute("data-span-id", tool.span_id)
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))


def test_filters_by_type_and_errors_keep_the_ancestors(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: any(s.status.status_code == "ERROR" and s.span_type == "TOOL" for s in t.data.spans))
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    rows = page.locator(".span-row")
    expect(rows).to_have_count(len(trace.data.spans))
    page.get_by_label("Span type").select_option("CHAT_MODEL")
    chat_models = [s for s in trace.data.spans if s.span_type == "CHAT_MODEL"]
    expect(rows).to_have_count(len(chat_models) + 1)  # and the root above them
    expect(rows.first.locator(".span-type")).to_have_text("AGENT")
    page.get_by_label("Span type").select_option("")
    page.get_by_label(re.compile("^Errors only")).check()
    failed_ids = {s.span_id for s in trace.data.spans if s.status.status_code == "ERROR"}
    shown = set(rows.evaluate_all("rows => rows.map(r => r.dataset.spanId)"))
    root = next(s for s in trace.data.spans if s.parent_id is None)
    assert shown == failed_ids | {root.span_id}


def test_folding_by_level_and_expand_all(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: len(t.data.spans) >= 5)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    rows = page.locator(".span-row")
    page.get_by_label("Levels shown").select_option("1")
    expect(rows).to_have_count(1)
    page.get_by_label("Levels shown").select_option("2")
    expect(rows).to_have_count(len(trace.data.spans))  # every child of the root is a leaf here
    page.get_by_role("button", name="Collapse all").click()
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Expand all").click()
    expect(rows).to_have_count(len(trace.data.spans))


def test_the_critical_path_and_the_minimap_zoom(viewer, seeded):
    trace = find_trace(seeded, "weather_agent", lambda t: len(t.data.spans) >= 5)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    page.get_by_role("button", name="Critical path").click()
    critical = page.locator(".span-row.critical")
    # The agent's steps run one after another: every span is on the path except none overlapping.
    spans = sorted((s for s in trace.data.spans if s.parent_id is not None), key=lambda s: s.start_time_ns)
    sequential = all(a.end_time_ns <= b.start_time_ns for a, b in zip(spans, spans[1:]))
    if sequential:
        expect(critical).to_have_count(len(trace.data.spans))
    expect(page.locator(".span-row[data-depth='0']")).to_have_class(re.compile("critical"))

    box = page.locator(".minimap-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + 10, steps=5)
    page.mouse.up()
    expect(page.locator(".minimap-caption")).to_contain_text("Showing")
    expect(page.locator(".minimap-band")).to_have_count(1)
    page.get_by_role("button", name="Reset zoom").click()
    expect(page.locator(".minimap-caption")).to_contain_text("Drag across the minimap")


def test_keyboard_shortcuts_search_help_next_trace_and_back(viewer, seeded):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(seeded.trace_ids))
    order = viewer.listed_ids()
    page.locator(".trace-row").nth(1).locator("[data-column=trace_name] .open-trace").click()
    expect(page.locator(".trace-header")).to_contain_text(order[1])
    page.keyboard.press("/")
    expect(page.get_by_label("Search within the trace")).to_be_focused()
    page.keyboard.press("Escape")  # leaves the search box
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.keyboard.press("j")
    expect(page.locator(".trace-header")).to_contain_text(order[2])
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(page.locator(".trace-header")).to_contain_text(order[0])
    page.keyboard.press("Escape")
    expect(page.locator(".trace-detail")).to_have_count(0)
    viewer.wait_for_rows(len(seeded.trace_ids))


def test_a_direct_link_to_a_trace_walks_the_default_order_and_builds_the_table_on_the_way_back(viewer):
    from conftest import ROOT

    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    newest_first = [t["info"]["trace_id"] for t in sorted(demo, key=lambda t: t["info"]["request_time"], reverse=True)]
    page = viewer.open(trace_id=newest_first[0])
    expect(page.locator(".trace-header")).to_contain_text(newest_first[0])
    expect(page.locator(".trace-row")).to_have_count(0)  # not built while hidden
    page.keyboard.press("j")
    expect(page.locator(".trace-header")).to_contain_text(newest_first[1])
    page.keyboard.press("Escape")
    viewer.wait_for_rows(len(demo))
    assert viewer.listed_ids()[:2] == newest_first[:2]


def post_otlp(seeded, experiment_id: str, spans: list[dict]) -> None:
    request = urllib.request.Request(
        f"{seeded.url}/v1/traces", method="POST",
        data=json.dumps({"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"scope": {"name": "e2e"}, "spans": spans}]}]}).encode(),
        headers={"Content-Type": "application/json", "x-mlflow-experiment-id": experiment_id})
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200


def test_an_in_progress_trace_refreshes_until_complete_keeping_the_selection(viewer, seeded):
    import time

    experiment_id = client(seeded).create_experiment("e2e-in-progress")
    trace_hex, root_id, child_id = "ab" * 16, "01" * 8, "02" * 8
    start = time.time_ns() - 5_000_000_000

    def span(span_id, parent, name, end_offset):
        return {"traceId": trace_hex, "spanId": span_id, "parentSpanId": parent, "name": name, "kind": 1,
                "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + end_offset), "status": {"code": 1},
                "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}]}

    # The child arrives first: MLflow stores the trace IN_PROGRESS, its root absent.
    post_otlp(seeded, experiment_id, [span(child_id, root_id, "step", 1_000_000)])
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=f"tr-{trace_hex}", span_id=child_id)
    expect(page.locator(".trace-header .badge-running")).to_have_text("IN_PROGRESS")
    expect(page.locator(".span-row")).to_have_count(1)
    expect(page.locator(f".span-row[data-span-id='{child_id}']")).to_contain_text("orphan")
    # Then the root: the open view refreshes on its own, and the selected span stays selected.
    post_otlp(seeded, experiment_id, [span(root_id, "", "agent", 2_000_000)])
    expect(page.locator(".trace-header .badge-ok")).to_have_text("OK", timeout=20_000)
    expect(page.locator(".span-row")).to_have_count(2)
    expect(page.locator(".span-row[aria-selected=true]")).to_have_attribute("data-span-id", child_id)


@pytest.mark.parametrize("width", [1400, 420])
def test_the_timeline_axis_labels_never_run_into_each_other(viewer, served_files, width):
    """Traces of a few durations (how the ticks fall differs), on a desktop and a phone: every label shown on
    the axis stands clear of the next one."""
    start = 1_764_583_200_000_000_000
    def trace(n: int, duration_ns: int) -> dict:
        span = {"trace_id": f"{n:032x}", "span_id": f"{n:016x}", "parent_span_id": None, "name": "work",
                "start_time_unix_nano": start, "end_time_unix_nano": start + duration_ns,
                "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [], "attributes": {}}
        return {"info": {"trace_id": f"tr-{n:032x}", "state": "OK", "trace_metadata": {}, "tags": {}}, "data": {"spans": [span]}}
    durations = [2_000_000, 7_000_000, 1_300_000_000, 34_500_000_000, 950]
    (served_files / "axis_durations.json").write_text(json.dumps([trace(n, d) for n, d in enumerate(durations, 1)]))
    viewer.page.set_viewport_size({"width": width, "height": 900})
    for n in range(1, len(durations) + 1):
        page = viewer.open(traces="e2e/axis_durations.json", trace_id=f"tr-{n:032x}")
        expect(page.locator(".span-row")).to_have_count(1)
        boxes = [box for box in (tick.bounding_box() for tick in page.locator(".span-axis .axis-tick").all()) if box and box["width"] > 0]
        assert len(boxes) >= 2, f"{durations[n - 1]} ns at {width} px: {len(boxes)} labels"
        boxes.sort(key=lambda box: box["x"])
        labels = page.locator(".span-axis .axis-tick").all_inner_texts()
        for left, right in zip(boxes, boxes[1:]):
            assert left["x"] + left["width"] <= right["x"], f"{durations[n - 1]} ns at {width} px: labels {labels} overlap"
