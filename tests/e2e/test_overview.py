"""The overview (usage, quality, tool calls) against the seeded server: the figures shown are the metrics
endpoint's; the same traces exported to a file, and the server with its metrics endpoint gone (as on MLflow
before 3.5), give the same figures computed in the browser; the selectors change the buckets; a click lands on
the filtered list."""

import json
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from demo.seed import export, seed

TABS = ["usage", "quality", "tools"]


def utc_day(offset_days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=offset_days)).strftime("%Y-%m-%d")


# The seeded traces span the last three days; five whole UTC days hold them all.
RANGE = {"range": "custom", "from": utc_day(-4), "to": utc_day(0)}


# Traces logged at fixed dates, for tests whose buckets must not depend on the day they run: 2026-11-14 to
# 2026-11-18 lie in one 30-day bucket of the server's alignment (days 20771-20775 since the epoch, bucket 692).
PINNED_END = datetime(2026, 11, 18, 12, tzinfo=timezone.utc)
PINNED_RANGE = {"range": "custom", "from": "2026-11-14", "to": "2026-11-18"}


@pytest.fixture(scope="module")
def pinned(seeded, served_files) -> tuple[str, int]:
    """A small experiment logged through the SDK over the three days before PINNED_END, exported to a file:
    (its path beside the viewer, how many traces it holds)."""
    experiment_id = seed(seeded.url, experiment="pinned-dates", traces=12, days=3, end_time=PINNED_END)
    count = export(seeded.url, experiment_id, str(served_files / "pinned.json"))
    return "e2e/pinned.json", count


@pytest.fixture(scope="module")
def exported(seeded, served_files) -> str:
    """The seeded experiment exported to a trace file served beside the viewer."""
    export(seeded.url, seeded.experiment_id, str(served_files / "overview.json"))
    return "e2e/overview.json"


def server_metric(seeded, body: dict) -> list[dict]:
    """Asks the tracking server's metrics endpoint directly."""
    payload = {"experiment_ids": [seeded.experiment_id], **body}
    start = int(datetime.strptime(RANGE["from"], "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp() * 1000)
    payload.update(start_time_ms=start, end_time_ms=start + 5 * 86_400_000 - 1)
    request = urllib.request.Request(f"{seeded.url}/api/3.0/mlflow/traces/metrics", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data_points"]


def shown_figures(page) -> dict:
    """Every figure the tab shows: cards, tables, each chart bucket's label and each bar's label."""
    expect(page.locator(".figures-origin")).to_be_visible()
    read_labels = "els => els.map(e => e.getAttribute('aria-label'))"
    return {
        "cards": page.locator(".stat-card").all_inner_texts(),
        "tables": page.locator(".summary-table").all_inner_texts(),
        "buckets": page.locator(".chart .hit").evaluate_all(read_labels),
        "bars": page.locator(".bar-row").evaluate_all(read_labels),
    }


def card_value(page, label: str):
    return page.locator(".stat-card", has=page.locator(".stat-label", has_text=label)).locator(".stat-value")


def card(page, label: str) -> str:
    return card_value(page, label).inner_text()


@pytest.mark.parametrize("tab", TABS)
def test_server_file_and_browser_fallback_show_the_same_figures(viewer, seeded, exported, tab):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", tab=tab, unit="day", **RANGE)
    from_server = shown_figures(page)
    expect(page.locator(".figures-origin")).to_have_attribute("data-origin", "server")
    assert from_server["buckets"], "charts have buckets"

    page = viewer.open(traces=exported, view="overview", tab=tab, unit="day", **RANGE)
    from_file = shown_figures(page)
    expect(page.locator(".figures-origin")).to_have_attribute("data-origin", "browser")
    assert from_file == from_server
    assert not viewer.console_errors

    # A server without the metrics endpoint (MLflow before 3.5 answers 404): the viewer reads its traces.
    page.route("**/api/3.0/mlflow/traces/metrics", lambda route: route.fulfill(status=404, body="<!doctype html><title>404 Not Found</title>"))
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", tab=tab, unit="day", **RANGE)
    expect(page.locator(".figures-origin")).to_contain_text("This server has no metrics endpoint")
    assert shown_figures(page) == from_server


def test_cards_and_tables_show_the_metrics_endpoint_s_numbers(viewer, seeded):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", unit="day", **RANGE)
    by_status = server_metric(seeded, {"view_type": "TRACES", "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                                       "dimensions": ["trace_status"]})
    requests = sum(p["values"]["COUNT"] for p in by_status)
    errors = sum(p["values"]["COUNT"] for p in by_status if p["dimensions"]["trace_status"] == "ERROR")
    assert requests >= 24
    expect(page.locator(".stat-card").first).to_contain_text(f"{int(requests)}")
    assert card(page, "Requests") == f"{int(requests)}"
    assert card(page, "Errors") == f"{int(errors)}"
    tokens = server_metric(seeded, {"view_type": "TRACES", "metric_name": "total_tokens", "aggregations": [{"aggregation_type": "SUM"}]})
    assert card(page, "Tokens") == f"{int(tokens[0]['values']['SUM']):,}"
    # The Requests chart's buckets add up to the total, each labelled with its day.
    labels = page.locator(".chart", has_text="Requests").first.locator(".hit").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) == 5 and all("(UTC)" in label for label in labels)
    assert sum(int(label.rsplit("Requests: ", 1)[1].replace(",", "")) for label in labels) == requests

    page.get_by_role("tab", name="Tool calls").click()
    tools = server_metric(seeded, {"view_type": "SPANS", "metric_name": "span_count", "aggregations": [{"aggregation_type": "COUNT"}],
                                   "dimensions": ["span_name", "span_status"], "filters": ['span.type = "TOOL"']})
    calls = sum(p["values"]["COUNT"] for p in tools)
    failed = sum(p["values"]["COUNT"] for p in tools if p["dimensions"]["span_status"] == "ERROR")
    expect(page.locator(".stat-label", has_text="Tool calls")).to_be_visible()
    assert card(page, "Tool calls") == f"{int(calls)}"
    assert card(page, "Failed calls") == f"{int(failed)}"
    get_weather = sum(p["values"]["COUNT"] for p in tools if p["dimensions"]["span_name"] == "get_weather")
    row = page.locator(".summary-table tbody tr", has_text="get_weather")
    expect(row.locator("td").first).to_have_text(f"{int(get_weather)}")

    page.get_by_role("tab", name="Quality").click()
    counts = server_metric(seeded, {"view_type": "ASSESSMENTS", "metric_name": "assessment_count", "aggregations": [{"aggregation_type": "COUNT"}],
                                    "dimensions": ["assessment_name"]})
    expect(page.locator(".summary-table caption")).to_have_text("Quality summary")
    for point in counts:
        name = point["dimensions"]["assessment_name"]
        row = page.locator(".summary-table tbody tr").filter(has=page.locator("th", has_text=name)).first
        expect(row.locator("td.num")).to_have_text(f"{int(point['values']['COUNT'])}")
    averages = server_metric(seeded, {"view_type": "ASSESSMENTS", "metric_name": "assessment_value", "aggregations": [{"aggregation_type": "AVG"}],
                                      "dimensions": ["assessment_name"]})
    relevance = next(p["values"]["AVG"] for p in averages if p["dimensions"]["assessment_name"] == "relevance")
    expect(page.locator(".summary-table tbody tr", has_text="relevance")).to_contain_text(f"average {relevance:.2f}".rstrip("0").rstrip("."))
    assert not viewer.console_errors


def test_the_unit_selector_changes_the_buckets_and_disables_units_that_do_not_fit(viewer, pinned):
    path, count = pinned
    page = viewer.open(traces=path, view="overview", unit="day", **PINNED_RANGE)
    requests_chart = page.locator(".chart", has_text="Requests").first
    expect(requests_chart.locator(".hit")).to_have_count(5)
    expect(card_value(page, "Requests")).to_have_text(str(count))  # every trace of the file is in these five days
    unit = page.get_by_label("Time unit")
    expect(unit.locator("option[value=minute]")).to_have_attribute("disabled", "")  # 7,200 minutes are too many
    expect(unit.locator("option[value=month]")).to_have_attribute("disabled", "")  # one 30-day bucket says nothing
    unit.select_option("hour")
    expect(requests_chart.locator(".hit")).to_have_count(5 * 24)
    assert "unit=hour" in page.url
    expect(card_value(page, "Requests")).to_have_text(str(count))
    # The range selector: the last hour in minutes; a range without traces shows zeros, not a blank chart.
    page.get_by_label("Time range").select_option("1h")
    expect(page.get_by_label("Time unit")).to_have_value("minute")
    assert "range=1h" in page.url
    # A custom range starts as the range shown; its dates can then be changed.
    page.get_by_label("Time range").select_option("custom")
    an_hour_ago = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%d")
    expect(page.get_by_label("From", exact=True)).to_have_value(an_hour_ago)
    page.get_by_label("From", exact=True).fill(PINNED_RANGE["from"])
    page.get_by_label("To", exact=True).fill(PINNED_RANGE["to"])
    expect(requests_chart.locator(".hit")).to_have_count(5)  # five days: daily buckets by default
    assert f"from={PINNED_RANGE['from']}" in page.url and f"to={PINNED_RANGE['to']}" in page.url
    expect(card_value(page, "Requests")).to_have_text(str(count))
    viewer.open(traces=path, view="overview", range="custom", unit="day", **{"from": "2020-01-01", "to": "2020-01-03"})
    expect(page.locator(".chart", has_text="Requests").first.locator(".hit")).to_have_count(3)
    assert card(page, "Requests") == "0"
    expect(page.locator(".no-data").first).to_have_text("Nothing in this range")
    assert not viewer.console_errors


def listed_count_after_click(viewer, page) -> int:
    expect(page.locator("[role=table]")).to_be_visible()
    return viewer.row_count()


def test_clicks_open_the_list_filtered_to_those_traces(viewer, seeded):
    import mlflow

    client = mlflow.MlflowClient(seeded.url)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", unit="day", **RANGE)
    expect(page.locator(".chart", has_text="Requests").first.locator(".hit")).to_have_count(5)
    busiest = page.locator(".chart", has_text="Requests").first.locator(".hit").evaluate_all(
        "els => els.map((e, i) => [i, Number(e.getAttribute('aria-label').split('Requests: ')[1].replace(',', ''))])")
    index, expected = max(busiest, key=lambda pair: pair[1])
    page.locator(".chart", has_text="Requests").first.locator(".hit").nth(index).click()
    expect(page.locator("[role=table]")).to_be_visible()
    viewer.wait_for_rows(expected)
    assert "timestamp_ms" in urllib.parse.unquote(page.url)

    # A tool: the traces that called it in the range.
    viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", tab="tools", unit="day", **RANGE)
    page.get_by_role("button", name="get_weather").first.click()
    expect(page.locator("[role=table]")).to_be_visible()
    shown_filter = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))["filter"]
    assert "span.name = 'get_weather'" in shown_filter
    callers = client.search_traces(locations=[seeded.experiment_id], filter_string=shown_filter, max_results=500)
    assert callers and all(any(s.name == "get_weather" for s in client.get_trace(t.info.trace_id).data.spans) for t in callers[:3])
    viewer.wait_for_rows(len(callers))

    # An assessment value: the traces judged so.
    viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, view="overview", tab="quality", unit="day", **RANGE)
    judged_true = page.locator(".chart", has_text="is_correct · values").locator(".bar-row", has_text="true")
    count = int(judged_true.get_attribute("aria-label").split(": ")[1])
    judged_true.click()
    viewer.wait_for_rows(count)
    assert "feedback.`is_correct` = 'true'" in urllib.parse.unquote(page.url)
    assert not viewer.console_errors
