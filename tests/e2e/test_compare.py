"""Comparing agent runs, logged through the SDK on a real server with known differences and exported to a
file: a different tool chosen at step 3 (with a slower, costlier plan), a retry loop of five against one,
and a failed tool. The first divergence named is the known one, the jump selects it, the deltas are right,
and the loop folds into "× 5 iterations"."""

import re

import pytest
from playwright.sync_api import expect

from demo.seed import export

START_NS = 1_764_000_000_000_000_000  # fixed: the durations, not the dates, are what the tests read
MS = 1_000_000


def log_run(mlflow, SpanType, steps: list[dict], offset_ms: int) -> str:
    """One agent run: a root agent span, then each step one after the other. Returns the trace id."""
    at = START_NS + offset_ms * MS
    root = mlflow.start_span_no_context("travel_agent", span_type=SpanType.AGENT, inputs={"question": "Plan a trip to Rome"},
                                        start_time_ns=at)
    for step in steps:
        kind = SpanType.CHAT_MODEL if step["kind"] == "model" else SpanType.TOOL
        attributes = {}
        if "tokens" in step:
            tokens = step["tokens"]
            attributes["mlflow.chat.tokenUsage"] = {"input_tokens": tokens - 10, "output_tokens": 10, "total_tokens": tokens}
        inputs = step.get("inputs", {"messages": [{"role": "user", "content": "Plan a trip to Rome"}]} if kind == SpanType.CHAT_MODEL else {})
        span = mlflow.start_span_no_context(step["name"], span_type=kind, parent_span=root, inputs=inputs, attributes=attributes,
                                            start_time_ns=at)
        at += step["ms"] * MS
        outputs = {"choices": [{"message": {"role": "assistant", "content": step.get("answer", "Let me look.")}}]} if kind == SpanType.CHAT_MODEL else {"ok": True}
        span.end(outputs=outputs, status="ERROR" if step.get("error") else "OK", end_time_ns=at)
        at += 5 * MS
    root.end(outputs="Booked.", end_time_ns=at)
    return root.trace_id


def plan(ms=1000, tokens=100):
    return {"kind": "model", "name": "plan", "ms": ms, "tokens": tokens}


def tool(name, ms=200, error=False, **inputs):
    return {"kind": "tool", "name": name, "ms": ms, "error": error, "inputs": inputs or {"city": "Rome"}}


ANSWER = {"kind": "model", "name": "answer", "ms": 800, "tokens": 50}


@pytest.fixture(scope="module")
def runs(seeded, served_files) -> dict:
    import mlflow
    from mlflow.entities import SpanType

    mlflow.set_tracking_uri(seeded.url)
    experiment_id = mlflow.set_experiment("compare-runs").experiment_id
    ids = {
        "weather": log_run(mlflow, SpanType, [plan(), tool("get_weather"), ANSWER], 0),
        "calendar": log_run(mlflow, SpanType, [plan(ms=1500, tokens=130), tool("get_calendar"), ANSWER], 10_000),
        "failed": log_run(mlflow, SpanType, [plan(), tool("get_weather", error=True), ANSWER], 20_000),
        "retries": log_run(mlflow, SpanType, [plan()] + [tool("fetch_rates", error=k < 4, ms=100 * (k + 1)) for k in range(5)] + [ANSWER], 30_000),
        "once": log_run(mlflow, SpanType, [plan(), tool("fetch_rates"), ANSWER], 40_000),
    }
    mlflow.flush_trace_async_logging()
    path = served_files / "compare_runs.json"
    export(seeded.url, experiment_id, str(path))
    return {**ids, "server": seeded.url, "experiment_id": experiment_id, "file": "e2e/compare_runs.json"}


def open_comparison(viewer, runs, source: str, *names: str, **params):
    where = {"server": runs["server"], "experiment_id": runs["experiment_id"]} if source == "server" else {"traces": runs["file"]}
    return viewer.open(**where, compare=",".join(runs.get(name, name) for name in names), **params)


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_different_tool_at_step_three_is_the_first_divergence_and_the_jump_selects_it(viewer, runs, source):
    page = open_comparison(viewer, runs, source, "weather", "calendar")
    banner = page.locator(".compare-banner")
    expect(banner).to_contain_text("First divergence")
    expect(banner).to_contain_text("Step 3: tool call get_weather (a step only some runs took)")
    lines = page.locator(".step-line")
    expect(lines).to_have_count(5)
    expect(lines.locator(".step-title")).to_have_text(["travel_agent", "plan", "get_weather", "get_calendar", "answer"])
    # The plan: the same step, slower and costlier in the second run.
    plan_second = lines.nth(1).locator(".run-cell").nth(1)
    expect(plan_second).to_contain_text("1.50 s")
    expect(plan_second.locator(".delta")).to_have_text("+500 ms · +30 tok")
    expect(lines.nth(2).locator(".run-cell").nth(1)).to_have_text("— not run")
    banner.get_by_role("button", name="Jump to it").click()
    expect(lines.nth(2)).to_have_class(re.compile(r"\bselected\b"))
    detail = page.get_by_label("Step 3 in each run")
    expect(detail.locator("h4")).to_have_text([re.compile(r"^Run 1: get_weather"), "Run 2: not run"])
    assert not viewer.console_errors


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_tool_that_failed_in_one_run_is_where_they_diverge_with_its_error_diffed(viewer, runs, source):
    page = open_comparison(viewer, runs, source, "weather", "failed")
    expect(page.locator(".compare-banner")).to_contain_text("Step 3: tool call get_weather (an error in only some runs)")
    summary = page.locator(".compare-summary")
    expect(summary.locator("tr", has_text="Errors").locator("td")).to_have_text(["0", "1"])
    page.locator(".step-line").nth(2).click()
    second = page.locator(".compare-run-detail[data-run='1']")
    expect(second.locator(".diff-section.changed h5")).to_have_text("Error (differs)")


def test_a_retry_loop_of_five_against_one_folds_into_five_iterations_from_the_table(viewer, runs):
    page = viewer.open(server=runs["server"], experiment_id=runs["experiment_id"])
    for name in ("retries", "once"):
        page.locator(f".trace-row[data-trace-id='{runs[name]}'] .select-cell input").click()
    page.get_by_role("button", name="Compare 2").click()
    expect(page).to_have_url(re.compile("compare="))
    loop = page.locator(".loop-line")
    expect(loop).to_have_count(1)
    expect(loop.locator(".loop-count")).to_have_text("× 5 iterations")
    cells = loop.locator(".run-cell")
    # The runs in the order the table listed them: read from the summary's headers.
    order = [title.removeprefix("Open ") for title in page.locator(".compare-summary th[data-run] button").evaluate_all("bs => bs.map(b => b.title)")]
    assert sorted(order) == sorted([runs["retries"], runs["once"]])
    counts = {order[0]: cells.nth(0), order[1]: cells.nth(1)}
    expect(counts[runs["retries"]]).to_contain_text("5 of 5")
    expect(counts[runs["once"]]).to_contain_text("1 of 5")
    expect(counts[runs["retries"]].locator(".iteration-strip i")).to_have_count(5)
    loop.get_by_role("button", name="Show or fold the iterations").click()
    expect(page.locator(".step-line .step-title", has_text="fetch_rates")).to_have_count(5)
    page.get_by_label("Fold repeated steps").uncheck()
    expect(page.locator(".loop-line")).to_have_count(0)
    page.go_back()
    expect(page.locator(".trace-row")).to_have_count(5)


@pytest.mark.parametrize("source", ["server", "file"])
def test_bad_comparisons_say_what_is_wrong(viewer, runs, source):
    page = open_comparison(viewer, runs, source, "weather", "weather")
    expect(page.locator(".error-panel")).to_contain_text(f"A trace cannot be compared with itself: {runs['weather']} is named twice.")
    page = open_comparison(viewer, runs, source, "weather", "calendar", "failed", "retries", "once")
    expect(page.locator(".error-panel")).to_contain_text("At most 4 traces can be compared at once; the link names 5.")
    page = open_comparison(viewer, runs, source, "weather")
    expect(page.locator(".error-panel")).to_contain_text("Comparing needs two to 4 trace ids")
    missing = "tr-00000000000000000000000000000000"
    page = open_comparison(viewer, runs, source, "weather", missing)
    expect(page.locator(".error-panel")).to_contain_text("Could not load the traces to compare")
    expect(page.locator(".error-panel")).to_contain_text(missing)


@pytest.mark.parametrize("width", [1400, 420])
def test_the_comparison_fits_desktop_and_phone_widths(viewer, runs, width):
    viewer.page.set_viewport_size({"width": width, "height": 900})
    page = open_comparison(viewer, runs, "file", "weather", "calendar")
    expect(page.locator(".compare-banner")).to_be_visible()
    page.locator(".compare-banner").get_by_role("button", name="Jump to it").click()
    body_width = page.evaluate("document.documentElement.scrollWidth")
    assert body_width <= width, f"the page scrolls sideways at {width} px ({body_width} px wide)"
    expect(page.locator(".step-line.selected .step-title")).to_be_in_viewport()


@pytest.mark.parametrize("source", ["server", "file"])
def test_a_retry_loop_folds_in_the_span_tree_and_unfolds_all_or_only_what_differs(viewer, runs, source):
    where = {"server": runs["server"], "experiment_id": runs["experiment_id"]} if source == "server" else {"traces": runs["file"]}
    page = viewer.open(**where, trace_id=runs["retries"])
    loop = page.locator(".loop-row")
    expect(loop.locator(".loop-count")).to_have_text("× 5 iterations")
    expect(loop.locator(".iteration-strip i")).to_have_count(5)
    expect(loop.locator(".iteration-strip i.failed")).to_have_count(4)
    fetches = page.locator(".span-row:not(.loop-row) .span-name", has_text="fetch_rates")
    expect(fetches).to_have_count(0)
    # Four failed tries and the one that worked: only the first and the last went differently from the first.
    loop.get_by_role("button", name=re.compile("only iterations that differ")).click()
    expect(fetches).to_have_count(2)
    loop.get_by_role("button", name="Show or fold the iterations").click()
    expect(fetches).to_have_count(0)
    loop.get_by_role("button", name="Show or fold the iterations").click()
    expect(fetches).to_have_count(5)
    page.get_by_label("Fold loops").uncheck()
    expect(page.locator(".loop-row")).to_have_count(0)
    expect(fetches).to_have_count(5)


def test_a_search_match_inside_a_folded_loop_opens_it(viewer, runs):
    page = viewer.open(traces=runs["file"], trace_id=runs["retries"], search="fetch_rates")
    expect(page.locator(".loop-row")).to_have_count(1)
    page.get_by_label("Search within the trace").press("Enter")
    selected = page.locator(".span-row.selected .span-name")
    expect(selected).to_have_text("fetch_rates")
    expect(page.locator(".loop-row")).to_have_attribute("aria-expanded", "true")
