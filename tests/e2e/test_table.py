"""The trace table end to end: columns showing the seeded values, MLflow's filter syntax giving the same
traces against the server and on the same traces loaded from a file, inline syntax errors, sort, and
selection."""

import json

import pytest
from playwright.sync_api import expect


# Filters from the grammar, over the seeded scenarios (see scripts/demo/seed.py).
FILTERS = [
    "trace.status = 'ERROR'",
    "trace.name = 'rag_pipeline'",
    "trace.name LIKE 'weather%'",
    "trace.name ILIKE '%PLANNER%'",
    "tag.env = 'staging'",
    "tag.team IS NULL",
    "metadata.`mlflow.trace.user` = 'alice'",
    "span.type = 'TOOL' AND span.status = 'ERROR'",
    "span.type IN ('RETRIEVER', 'RERANKER')",
    # Both clauses must hold for the same span: none does, though each alone matches many.
    "span.name = 'get_weather' AND span.type = 'CHAT_MODEL'",
    "feedback.relevance > 0.5",
    "feedback.safety = 'true'",
    "feedback.tone LIKE '%friendly%'",
    "expectation.expected_response LIKE '%sunny%'",
    "trace.execution_time_ms > 3000 AND trace.status = 'OK'",
    "trace.text ILIKE '%umbrella%'",
]


def test_each_column_shows_the_seeded_value(viewer, seeded):
    import mlflow

    client = mlflow.MlflowClient(seeded.url)
    trace = next(t for t in (client.get_trace(i) for i in seeded.trace_ids) if t.info.state == "OK" and t.info.assessments)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, filter=f"trace.request_id = '{trace.info.trace_id}'")
    viewer.wait_for_rows(1)
    row = page.locator(f".trace-row[data-trace-id='{trace.info.trace_id}']")
    cell = lambda column: row.locator(f"[data-column={column}]")  # noqa: E731
    metadata = trace.info.trace_metadata
    expect(cell("trace_id")).to_contain_text(trace.info.trace_id[:12])
    expect(cell("trace_name")).to_have_text(trace.info.tags["mlflow.traceName"])
    expect(cell("session")).to_have_text(metadata["mlflow.trace.session"])
    expect(cell("user")).to_have_text(metadata["mlflow.trace.user"])
    expect(cell("tokens")).to_have_text(f"{json.loads(metadata['mlflow.trace.tokenUsage'])['total_tokens']:,}")
    expect(cell("state")).to_have_text("OK")
    expect(cell("request")).to_contain_text(trace.info.request_preview[:20])
    for assessment in trace.info.assessments:
        if assessment.valid is not False and assessment.feedback is not None:
            expect(cell("assessments")).to_contain_text(assessment.name)

    # Hidden columns come back from the column picker, and the choice is remembered on reload.
    page.get_by_role("button", name="Columns").click()
    page.get_by_label("Tags").check()
    tags = {k: v for k, v in trace.info.tags.items() if not k.startswith("mlflow.")}
    for key, value in tags.items():
        expect(cell("tags")).to_contain_text(f"{key}: {value}")
    page.reload()
    viewer.wait_for_rows(1)
    expect(page.locator("[data-column=tags]").first).to_be_visible()


@pytest.mark.parametrize("filter_text", FILTERS)
def test_a_filter_gives_the_same_traces_on_the_server_and_in_a_file(viewer, seeded, seeded_file, filter_text):
    import mlflow

    expected = sorted(t.info.trace_id for t in mlflow.MlflowClient(seeded.url).search_traces(
        locations=[seeded.experiment_id], filter_string=filter_text, max_results=500))

    viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, filter=filter_text)
    viewer.wait_for_rows(len(expected))
    assert sorted(viewer.listed_ids()) == expected, f"server mode, {filter_text}"

    viewer.open(traces=seeded_file, filter=filter_text)
    viewer.wait_for_rows(len(expected))
    assert sorted(viewer.listed_ids()) == expected, f"file mode, {filter_text}"
    assert not viewer.console_errors, viewer.console_errors


def test_a_syntax_error_is_shown_inline_before_anything_is_sent(viewer, seeded):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(seeded.trace_ids))
    searches = []
    page.on("request", lambda request: "traces/search" in request.url and searches.append(request.url))
    box = page.get_by_label("Search traces")
    box.fill("trace.status = 'OK' AND tag.env = prod")
    box.press("Enter")
    error = page.locator(".filter-error")
    expect(error).to_contain_text("Syntax error at character 35")
    expect(error).to_contain_text("must be quoted")
    expect(error.locator("mark")).to_have_text("p")
    assert searches == [], "nothing was sent"
    assert "filter=" not in page.url

    box.fill("trace.status = 'OK' AND tag.env = 'prod'")
    box.press("Enter")
    expect(error).to_have_count(0)
    assert "filter=trace.status" in page.url
    assert searches, "the valid filter went to the server"


def test_plain_words_search_text_in_file_mode(viewer, seeded, seeded_file):
    page = viewer.open(traces=seeded_file)
    total = len(seeded.trace_ids)
    viewer.wait_for_rows(total)  # the whole file is read
    page.get_by_label("Search traces").fill("umbrella")
    expect(page.locator("[data-testid=trace-count]")).to_contain_text(f"of {total} traces")
    assert viewer.row_count() < total


def test_sorting_by_tokens_and_by_execution_time(viewer, seeded_file):
    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    page.get_by_role("button", name="Tokens").click()
    tokens = page.locator("[data-column=tokens]").evaluate_all(
        "cells => cells.map(c => Number(c.innerText.replace(/,/g, '') || 0))")
    assert tokens == sorted(tokens, reverse=True) and len(tokens) > 5, tokens
    assert "order_by=tokens+DESC" in page.url or "order_by=tokens%20DESC" in page.url
    page.get_by_role("button", name="Tokens").click()
    tokens = page.locator("[data-column=tokens]").evaluate_all(
        "cells => cells.map(c => Number(c.innerText.replace(/,/g, '') || 0))")
    assert tokens == sorted(tokens), tokens


def test_shift_click_selects_a_range(viewer, seeded_file):
    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    boxes = page.locator(".trace-row .select-cell input")
    boxes.nth(1).click()
    boxes.nth(4).click(modifiers=["Shift"])
    expect(page.locator(".trace-row.selected")).to_have_count(4)
    expect(page.locator("[data-testid=trace-count]")).to_contain_text("4 selected")
    page.get_by_label("Select all loaded traces").check()
    expect(page.locator("[data-testid=trace-count]")).to_contain_text(f"{viewer.row_count()} selected")


def test_a_shift_click_range_after_a_new_filter_spans_the_rows_shown(viewer, seeded_file):
    ok = "trace.status = 'OK'"
    viewer.open(traces=seeded_file, filter=ok)
    viewer.rows().first.wait_for()
    shown_ok = viewer.listed_ids()
    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    shown_all = viewer.listed_ids()
    # An OK trace that moves up by two rows or more once the failed ones are filtered out, with three more below it.
    first = next(i for i, trace_id in enumerate(shown_ok[:-3]) if shown_all.index(trace_id) >= i + 2)
    checkbox = lambda trace_id: page.locator(f".trace-row[data-trace-id='{trace_id}'] .select-cell input")
    checkbox(shown_ok[first]).click()
    page.get_by_label("Search traces").fill(ok)
    expect(page.locator(".trace-row").first).to_have_attribute("data-trace-id", shown_ok[0])
    checkbox(shown_ok[first + 3]).click(modifiers=["Shift"])
    expect(page.locator("[data-testid=trace-count]")).to_contain_text("4 selected")
    selected = page.locator(".trace-row.selected").evaluate_all("rows => rows.map(r => r.dataset.traceId)")
    assert selected == shown_ok[first:first + 4]


def test_typing_a_word_letter_by_letter_and_back_keeps_what_each_search_alone_keeps(viewer, seeded_file):
    # Each keystroke that narrows the search tests only what the last one kept; one that widens tests all.
    steps = ["w", "we", "wea", "weat", "weath", "weather", "weather ", "weather a", "weather", "wea", "", "t", "to", "tok", "tokyo"]
    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    total = viewer.row_count()
    alone = {}
    for text in dict.fromkeys(steps):
        viewer.open(traces=seeded_file, filter=text)
        expect(page.locator("[data-testid=trace-count]")).to_contain_text(f"{total} traces")
        alone[text] = (viewer.row_count(), viewer.listed_ids())
    assert len({count for count, _ in alone.values()}) >= 4, alone
    viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    search = page.get_by_label("Search traces")
    for text in steps:
        search.fill(text)
        viewer.wait_for_rows(alone[text][0])
        assert viewer.listed_ids() == alone[text][1], text


def test_the_filter_dropdown_writes_the_filter_syntax(viewer, seeded, seeded_file):
    import mlflow

    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    page.get_by_role("button", name="Filters").click()
    dialog = page.get_by_role("dialog", name="Build a filter")
    dialog.get_by_label("State").select_option("OK")
    dialog.get_by_label("Tag key").select_option("env")
    dialog.get_by_label("Tag value").fill("prod")
    dialog.get_by_label("At least (ms)").fill("2000")
    dialog.get_by_role("button", name="Add to search").click()
    written = "trace.status = 'OK' AND tag.env = 'prod' AND trace.execution_time_ms >= 2000"
    expect(page.get_by_label("Search traces")).to_have_value(written)
    expected = sorted(t.info.trace_id for t in mlflow.MlflowClient(seeded.url).search_traces(
        locations=[seeded.experiment_id], filter_string=written, max_results=500))
    assert expected, "the seeded data holds such traces"
    viewer.wait_for_rows(len(expected))
    assert sorted(viewer.listed_ids()) == expected


def test_grouping_by_session_summarises_and_expands_in_order(viewer, seeded, seeded_file):
    import mlflow

    traces = mlflow.MlflowClient(seeded.url).search_traces(locations=[seeded.experiment_id], max_results=500)
    sessions: dict[str, list] = {}
    for trace in traces:
        sessions.setdefault(trace.info.trace_metadata["mlflow.trace.session"], []).append(trace)
    page = viewer.open(traces=seeded_file)
    viewer.rows().first.wait_for()
    page.get_by_role("button", name="Group by session").click()
    expect(page.locator(".session-row")).to_have_count(len(sessions))

    session_id, members = max(sessions.items(), key=lambda item: len(item[1]))
    row = page.locator(f".session-row[data-session='{session_id}']")
    expect(row).to_contain_text(f"{len(members)} turns" if len(members) > 1 else "1 turn")
    expect(row).to_contain_text(members[0].info.trace_metadata["mlflow.trace.user"])
    # From the keyboard: the toggle keeps the focus, so Enter again folds the session back.
    toggle = row.get_by_role("button")
    toggle.focus()
    page.keyboard.press("Enter")
    oldest_first = [t.info.trace_id for t in sorted(members, key=lambda t: t.info.request_time)]
    expect(page.locator(".trace-row.nested")).to_have_count(len(members))
    assert page.locator(".trace-row.nested").evaluate_all("rows => rows.map(r => r.dataset.traceId)") == oldest_first
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(page.locator(".trace-row.nested")).to_have_count(0)
    expect(toggle).to_have_attribute("aria-expanded", "false")


def test_the_hidden_columns_show_run_name_prompt_source_and_expectations(viewer, seeded):
    import mlflow

    client = mlflow.MlflowClient(seeded.url)
    traces = [client.get_trace(trace_id) for trace_id in seeded.trace_ids]
    in_run = next(t for t in traces if t.info.trace_metadata.get("mlflow.sourceRun"))
    prompted = next(t for t in traces if t.info.tags.get("mlflow.linkedPrompts"))
    expected = next(t for t in traces if any(a.expectation is not None for a in t.info.assessments))
    run_name = client.get_run(in_run.info.trace_metadata["mlflow.sourceRun"]).info.run_name

    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(traces))
    page.get_by_role("button", name="Columns").click()
    for label in ("Run name", "Prompt", "Source", "Expectations"):
        page.get_by_role("menu").get_by_label(label).check()
    page.get_by_role("button", name="Columns").click()

    cell = lambda trace, column: page.locator(f".trace-row[data-trace-id='{trace.info.trace_id}'] [data-column={column}]")  # noqa: E731
    expect(cell(in_run, "run")).to_have_text(run_name)
    prompt = json.loads(prompted.info.tags["mlflow.linkedPrompts"])[0]
    expect(cell(prompted, "prompt")).to_have_text(f"{prompt['name']}/{prompt['version']}")
    expect(cell(in_run, "source")).to_have_text(in_run.info.trace_metadata["mlflow.source.name"])
    name = next(a.name for a in expected.info.assessments if a.expectation is not None)
    expect(cell(expected, "expectations")).to_contain_text(name)
